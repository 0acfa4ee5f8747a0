package teamsrender

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// files are the Node.js side (package.json and its lock, the checker, the
// render page) and the host configs; install writes them next to the
// node_modules that npm ci makes. node_modules itself is never in the tree.
//
//go:embed js/package.json js/package-lock.json js/check.cjs js/page.html js/page.js js/teams.css
//go:embed hostconfig/*.json
var files embed.FS

// npmTimeout bounds npm ci; it takes seconds with a warm npm cache.
const npmTimeout = 5 * time.Minute

// installed is the result of the one install a test process makes.
var installed struct {
	once sync.Once
	dir  string
	err  error
}

// install returns the directory holding check.cjs, page.html, the host
// configs and node_modules with the exact packages of package-lock.json,
// installing them with npm ci the first time a process asks. The directory
// is named after a hash of the embedded files, so a changed lock or script
// gets a fresh install and an unchanged one is reused across test runs.
//
// Without node and npm the test is skipped, or fails when $CI is set; so
// does a failed npm ci (the registry may be out of reach locally).
func install(t testing.TB) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, tool+" not found: install Debian's nodejs and npm packages as .ci/run does")
		}
	}
	installed.once.Do(func() {
		installed.dir, installed.err = installOnce()
	})
	if installed.err != nil {
		skipOrFail(t, "install Microsoft's adaptivecards package: "+installed.err.Error())
	}
	return installed.dir
}

// skipOrFail skips t locally and fails it in CI, where the renderer tests
// must run.
func skipOrFail(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI must run the renderer tests)")
	}
	t.Skip(msg)
}

// cacheRoot is where installs live: $PROVBOT_TEAMSRENDER_CACHE, else the
// user's cache directory, else the temporary directory.
func cacheRoot() string {
	if dir := os.Getenv("PROVBOT_TEAMSRENDER_CACHE"); dir != "" {
		return dir
	}
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "provbot", "teamsrender")
	}
	return filepath.Join(os.TempDir(), "provbot-teamsrender")
}

// completeMark is written last into an install; its presence means done.
const completeMark = ".installed"

func installOnce() (string, error) {
	sum, err := filesHash()
	if err != nil {
		return "", err
	}
	root := cacheRoot()
	dir := filepath.Join(root, sum)
	if _, err := os.Stat(filepath.Join(dir, completeMark)); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", fmt.Errorf("cache directory: %w", err)
	}
	// Install beside the final place and rename: another test process may
	// be installing the same files at the same time; the first rename wins.
	tmp, err := os.MkdirTemp(root, "install-")
	if err != nil {
		return "", fmt.Errorf("cache directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := writeFiles(tmp); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), npmTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "NO_UPDATE_NOTIFIER=1", "npm_config_update_notifier=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm ci in %s: %w\n%s", tmp, err, tail(out, 2000))
	}
	if err := os.WriteFile(filepath.Join(tmp, completeMark), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, completeMark)); statErr == nil {
			return dir, nil // another process finished first
		}
		return "", fmt.Errorf("move the install into place: %w", err)
	}
	return dir, nil
}

// filesHash names an install after everything that goes into it.
func filesHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", p, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash the embedded files: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// writeFiles lays the embedded files out in dir: js/* at the top, the host
// configs in hostconfig/.
func writeFiles(dir string) error {
	return fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		dest := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, "js/")))
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dest, b, 0o644)
	})
}

// hostConfig returns the embedded host config of a theme.
func hostConfig(theme Theme) ([]byte, error) {
	name, ok := hostConfigFiles[theme]
	if !ok {
		return nil, errors.New("no host config for theme " + string(theme))
	}
	return files.ReadFile(path.Join("hostconfig", name))
}

func tail(b []byte, n int) string {
	s := strings.TrimSpace(string(b))
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}
