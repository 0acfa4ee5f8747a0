// Package browsertest starts the headless Chromium that browser tests drive
// with chromedp: found the same way everywhere, started with the flags this
// project's machines need, skipped locally and required in CI when missing.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Candidates are the browsers Find looks for, in order, when
// PROVBOT_CHROMIUM is not set.
var Candidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// Find returns the browser to drive: $PROVBOT_CHROMIUM when set (it must
// exist), else the first of Candidates found. It returns "" and no error
// when there is none.
func Find() (string, error) {
	if p := os.Getenv("PROVBOT_CHROMIUM"); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("PROVBOT_CHROMIUM=%s: %w", p, err)
		}
		return found, nil
	}
	for _, c := range Candidates {
		if found, err := exec.LookPath(c); err == nil {
			return found, nil
		}
	}
	return "", nil
}

// Start starts a headless Chromium for t (a fresh profile in t.TempDir(), no
// network beyond what the page asks for) and returns the chromedp context of
// its tab. The browser stops when t ends.
//
// The first action on a chromedp context binds the browser's life to that
// context, so Start makes it here; callers derive timeouts for their own
// actions from the returned context:
//
//	ctx := browsertest.Start(t)
//	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
//	defer cancel()
//	err := chromedp.Do(ctx, chromedp.Navigate(url))
//
// Without a Chromium (none of Candidates, no PROVBOT_CHROMIUM) the test is
// skipped, unless $CI is set: CI must run the browser tests.
func Start(t testing.TB) context.Context {
	t.Helper()
	exe, err := Find()
	if err != nil {
		t.Fatal(err)
	}
	if exe == "" {
		msg := "no Chromium found (looked for PROVBOT_CHROMIUM, " + strings.Join(Candidates, ", ") +
			"); install Debian's chromium package as .ci/run does, or set PROVBOT_CHROMIUM"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (CI must run the browser tests)")
		}
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	stop := func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit
	}
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			stop()
			t.Fatalf("start %s: %v", exe, err)
		}
	case <-time.After(30 * time.Second):
		stop()
		t.Fatalf("start %s: no answer after 30 s", exe)
	}
	t.Cleanup(stop)
	return ctx
}
