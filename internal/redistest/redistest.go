// Package redistest starts a real redis-server for tests: on a loopback
// port, its files in the test's temporary directory, stopped when the test
// ends. Without redis-server (Debian's package of that name; .ci/run
// installs it) the test is skipped, unless $CI is set: CI must run the
// Redis tests.
package redistest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running redis-server.
type Server struct {
	// URL is its address as PROVBOT_STORE takes it: redis://127.0.0.1:PORT/0.
	URL string
	// Addr is its host:port.
	Addr string

	cmd     *exec.Cmd
	exited  chan error
	stopped sync.Once
}

// Find returns the redis-server to run: $PROVBOT_REDIS_SERVER when set
// (it must exist), else redis-server on the PATH; "" and no error when
// there is none.
func Find() (string, error) {
	if p := os.Getenv("PROVBOT_REDIS_SERVER"); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("PROVBOT_REDIS_SERVER=%s: %w", p, err)
		}
		return found, nil
	}
	found, err := exec.LookPath("redis-server")
	if errors.Is(err, exec.ErrNotFound) {
		return "", nil
	}
	return found, err
}

// Start starts a redis-server for t, with no persistence, listening on
// 127.0.0.1 only. It is stopped when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	exe, err := Find()
	if err != nil {
		t.Fatal(err)
	}
	if exe == "" {
		msg := "no redis-server found (looked for PROVBOT_REDIS_SERVER, redis-server); install Debian's redis-server package as .ci/run does"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (CI must run the Redis tests)")
		}
		t.Skip(msg)
	}
	// A port picked free can be taken before redis-server binds it: try
	// again with another.
	var errs []error
	for range 5 {
		s, err := start(t, exe)
		if err == nil {
			t.Cleanup(s.stop)
			return s
		}
		errs = append(errs, err)
	}
	t.Fatalf("start redis-server: %v", errors.Join(errs...))
	return nil
}

// start runs redis-server on a free port and waits until it answers.
func start(t testing.TB, exe string) (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := t.TempDir()
	s := &Server{Addr: "127.0.0.1:" + strconv.Itoa(port), exited: make(chan error, 1)}
	s.URL = "redis://" + s.Addr + "/0"
	logPath := filepath.Join(dir, "redis.log")
	s.cmd = exec.Command(exe, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", dir,
		"--save", "", "--appendonly", "no", "--protected-mode", "yes", "--logfile", logPath, "--daemonize", "no")
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.exited <- s.cmd.Wait() }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exited:
			log, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("redis-server on port %d exited (%v): %s", port, err, lastLines(string(log), 5))
		default:
		}
		if ping(s.Addr) == nil {
			return s, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("redis-server on port %d did not answer within 10s", port)
}

// Stop ends the server before the test does, for tests of what happens
// when Redis goes away. Stopping twice is harmless.
func (s *Server) Stop() { s.stop() }

// stop ends the server (once): SIGTERM, then SIGKILL after 5 s.
func (s *Server) stop() { s.stopped.Do(s.kill) }

func (s *Server) kill() {
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// ping sends PING in Redis' protocol and wants +PONG.
func ping(addr string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
