package botframework_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// TestAuthOffServesOnlyItsOwnLoopbackOrigin is the DNS-rebinding defence:
// without authentication, a web page the person visits must not reach the
// bot under its own host name (which it can make resolve to 127.0.0.1), nor
// post to it from another origin, nor send a body that is not JSON (which a
// form could send without a preflight).
func TestAuthOffServesOnlyItsOwnLoopbackOrigin(t *testing.T) {
	rec := newTurnRecorder()
	connector := bftest.NewConnector(t)
	srv, err := botframework.NewServer(botframework.Config{}, rec, botframework.Options{
		ListenAddr: "127.0.0.1:3978",
		Logger:     slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(t.Context()) })
	body := loadActivity(t, "teams/teams-message-personal.json", func(m map[string]any) { m["serviceUrl"] = connector.URL })
	for _, tc := range []struct {
		name        string
		host        string
		origin      string
		contentType string
		status      int
	}{
		{"same-origin page post", "127.0.0.1:3978", "http://127.0.0.1:3978", "application/json", 200},
		{"page opened as localhost", "localhost:3978", "http://localhost:3978", "application/json", 200},
		{"a tool without Origin", "127.0.0.1:3978", "", "application/json; charset=utf-8", 200},
		{"IPv6 loopback", "[::1]:3978", "http://[::1]:3978", "application/json", 200},
		{"rebound host name", "attacker.example:3978", "http://attacker.example:3978", "application/json", 403},
		{"rebound host name without Origin", "attacker.example:3978", "", "application/json", 403},
		{"loopback host on another port", "127.0.0.1:8080", "", "application/json", 403},
		{"another site's page", "127.0.0.1:3978", "https://attacker.example", "application/json", 403},
		{"another local app's page", "127.0.0.1:3978", "http://127.0.0.1:8080", "application/json", 403},
		{"sandboxed page (Origin null)", "127.0.0.1:3978", "null", "application/json", 403},
		{"form post as text/plain", "127.0.0.1:3978", "http://127.0.0.1:3978", "text/plain", 400},
		{"no content type", "127.0.0.1:3978", "", "", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/api/messages", bytes.NewReader(body))
			req.Host = tc.host
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			w := httptest.NewRecorder()
			srv.Handler().ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Fatalf("status = %d, want %d", w.Code, tc.status)
			}
			if tc.status == 200 {
				rec.next(t)
			} else {
				rec.none(t)
			}
		})
	}
}

func TestLocalOnlyGuardsAnyHandler(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := botframework.LocalOnly("127.0.0.1:54321", ok)
	for _, tc := range []struct {
		host, origin string
		status       int
	}{
		{"127.0.0.1:54321", "", 204},
		{"localhost:54321", "http://127.0.0.1:54321", 204},
		{"evil.example:54321", "", 403},
		{"127.0.0.1:54321", "http://evil.example:54321", 403},
	} {
		req := httptest.NewRequest(http.MethodGet, "/demo/cast", nil)
		req.Host = tc.host
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != tc.status {
			t.Errorf("Host %q Origin %q: status = %d, want %d", tc.host, tc.origin, w.Code, tc.status)
		}
	}
}
