//go:build unix

package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
)

// serveProcessEnv names the environment variable that makes
// TestServeProcess run `provbot serve`: tests and benchmarks start this
// test binary again for it, so that serve has a process of its own, as in
// production, apart from the fakes (and can be killed like one).
const serveProcessEnv = "PROVBOT_TEST_SERVE_PROCESS"

// TestServeProcess is `provbot serve` in a process of its own, for
// startServeProcess; skipped otherwise.
func TestServeProcess(t *testing.T) {
	if os.Getenv(serveProcessEnv) == "" {
		t.Skip("run by startServeProcess only")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, os.Getenv, os.Stdout, os.Stderr); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
}

// startServeProcess starts serve in a child process with env added to
// this process's environment, its logs to stderr, and stops it with
// SIGTERM when the test ends (a process killed before is only reaped).
func startServeProcess(tb testing.TB, env map[string]string, stderr io.Writer) *os.Process {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), serveProcessEnv+"=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stderr = stderr
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	return cmd.Process
}
