// Package golden compares rendered JSON with golden files for tests, the
// one way the whole tree does it: documents are compared as JSON values
// (member order and layout do not matter), a failure shows the difference
// and the command that accepts it, and -update (or UPDATE_GOLDEN=1)
// rewrites the golden files whose content changed, and only those.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files that differ from the output")

// Updating reports whether golden files are being rewritten (-update, or
// UPDATE_GOLDEN set to a non-empty value).
func Updating() bool { return *update || os.Getenv("UPDATE_GOLDEN") != "" }

// JSON compares got, a JSON document, with the golden file at path. When
// updating, it writes got (indented) to path if the file is missing or
// differs as JSON, and leaves it alone otherwise.
func JSON(t testing.TB, path string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(path)
	if Updating() {
		if err == nil {
			if diff, derr := JSONDiff(want, got); derr == nil && diff == "" {
				return
			}
		}
		write(t, path, got)
		return
	}
	if err != nil {
		t.Fatalf("read golden file: %v\nRun `%s` to create it.", err, updateCommand(t))
	}
	diff, err := JSONDiff(want, got)
	if err != nil {
		t.Fatalf("%s: %v\nRun `%s` to regenerate it.", path, err, updateCommand(t))
	}
	if diff != "" {
		t.Errorf("output differs from %s (-golden +got):\n%s\nIf the change is intended, check it, then run `%s`.", path, diff, updateCommand(t))
	}
}

// JSONDiff compares two JSON documents as values and returns their
// difference (-want +got), or "" when they are equal.
func JSONDiff(want, got []byte) (string, error) {
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		return "", fmt.Errorf("the golden JSON does not parse: %w", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return "", fmt.Errorf("the output is not JSON: %w", err)
	}
	return cmp.Diff(w, g), nil
}

// write stores got, indented, at path.
func write(t testing.TB, path string, got []byte) {
	t.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, got, "", "  "); err != nil {
		t.Fatalf("the output is not JSON: %v", err)
	}
	out.WriteByte('\n')
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

// updateCommand is the go test command that rewrites this test's golden
// files: the package as a path from the module root and the top-level test.
func updateCommand(t testing.TB) string {
	pkg := "."
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				if rel, err := filepath.Rel(dir, wd); err == nil && rel != "." {
					pkg = "./" + filepath.ToSlash(rel)
				}
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	test, _, _ := strings.Cut(t.Name(), "/")
	return fmt.Sprintf("go test %s -run '^%s$' -update", pkg, test)
}
