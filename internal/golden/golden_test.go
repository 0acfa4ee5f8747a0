package golden_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provbot/provbot/internal/golden"
)

func TestJSONDiffComparesValuesNotLayout(t *testing.T) {
	for _, tc := range []struct {
		name, want, got string
		equal           bool
	}{
		{"member order and spaces", `{"a": 1, "b": [true, null]}`, `{"b":[true,null],"a":1}`, true},
		{"a changed value", `{"a": 1}`, `{"a": 2}`, false},
		{"a missing member", `{"a": 1, "b": 2}`, `{"a": 1}`, false},
		{"array order matters", `[1, 2]`, `[2, 1]`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diff, err := golden.JSONDiff([]byte(tc.want), []byte(tc.got))
			if err != nil {
				t.Fatal(err)
			}
			if (diff == "") != tc.equal {
				t.Errorf("diff = %q, want equal = %v", diff, tc.equal)
			}
		})
	}
	if _, err := golden.JSONDiff([]byte(`{`), []byte(`{}`)); err == nil {
		t.Error("a golden file that is not JSON is not reported")
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed []string
}

func (r *recorder) Errorf(format string, args ...any) { r.failed = append(r.failed, format) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = append(r.failed, format) }
func (r *recorder) Helper()                           {}

func TestJSONFailsOnADifferenceAndNamesTheUpdateCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "card.json")
	if err := os.WriteFile(path, []byte(`{"text": "old"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	golden.JSON(r, path, []byte(`{"text":"old"}`))
	if len(r.failed) != 0 {
		t.Errorf("equal JSON failed: %v", r.failed)
	}
	golden.JSON(r, path, []byte(`{"text":"new"}`))
	if len(r.failed) != 1 || !strings.Contains(r.failed[0], "run `%s`") {
		t.Errorf("a difference gave %v", r.failed)
	}
}

func TestUpdateRewritesOnlyFilesThatDiffer(t *testing.T) {
	t.Setenv("UPDATE_GOLDEN", "1")
	dir := t.TempDir()
	same, changed, missing := filepath.Join(dir, "same.json"), filepath.Join(dir, "changed.json"), filepath.Join(dir, "new", "missing.json")
	for _, p := range []string{same, changed} {
		if err := os.WriteFile(p, []byte(`{"b": 1, "a": 2}`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	golden.JSON(t, same, []byte(`{"a":2,"b":1}`))
	golden.JSON(t, changed, []byte(`{"a":3}`))
	golden.JSON(t, missing, []byte(`{"a":4}`))
	for path, want := range map[string]string{
		same:    `{"b": 1, "a": 2}`,
		changed: "{\n  \"a\": 3\n}\n",
		missing: "{\n  \"a\": 4\n}\n",
	} {
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", filepath.Base(path), got, err, want)
		}
	}
}
