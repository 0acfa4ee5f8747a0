package botframework_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The protocol knows nothing of provbot: the conversation (bot) depends on
// it, never the reverse, and neither the domain core nor the Graph adapter
// is reachable from here. The one exception is internal/logsafe, a
// standard-library-only leaf that caps what log lines carry.
func TestProtocolImportsNoProvbotPackage(t *testing.T) {
	for _, dir := range []string{".", "bftest"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %d files, %v", dir, len(files), err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(path, "github.com/provbot/provbot/") && !strings.HasPrefix(path, "github.com/provbot/provbot/botframework") &&
					path != "github.com/provbot/provbot/internal/logsafe" {
					t.Errorf("%s imports %s", name, path)
				}
			}
		}
	}
}
