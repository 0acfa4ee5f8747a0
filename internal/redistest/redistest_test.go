package redistest_test

import (
	"net"
	"testing"

	"github.com/provbot/provbot/internal/redistest"
)

func TestStartServesOnLoopbackAndStopsWithTheTest(t *testing.T) {
	var addr string
	t.Run("server", func(t *testing.T) {
		s := redistest.Start(t)
		addr = s.Addr
		host, _, err := net.SplitHostPort(s.Addr)
		if err != nil || host != "127.0.0.1" {
			t.Fatalf("address %q, want 127.0.0.1:port", s.Addr)
		}
		c, err := net.Dial("tcp", s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})
	if addr == "" {
		t.Skip("no redis-server")
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("redis-server still answers at %s after its test ended", addr)
	}
}
