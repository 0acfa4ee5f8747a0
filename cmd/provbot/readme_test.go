package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/provbot/provbot/graph/fakegraph"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the README's cast tables from the cast data")

// castTables renders the README's two cast tables from the cast data:
// each person's story as the demo tells it (with its Log Analytics
// workspace) with the question to ask, then the further stories (the
// groups' last).
func castTables() (cast, more string) {
	var b strings.Builder
	b.WriteString("| Name | Role | App | What you will see | Question to ask |\n|---|---|---|---|---|\n")
	for _, c := range demoCast() {
		verdict := "`" + c.Category + "`"
		if c.GraphCategory != "" {
			verdict += "; `" + c.GraphCategory + "` with `--source graph`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s (%s) | %s |\n", c.DisplayName, c.Role, c.App, sentence(c.Story), verdict, quoted(c.Question))
	}
	cast = b.String()
	b.Reset()
	b.WriteString("| Name | App | Verdict | Why | Question to ask |\n|---|---|---|---|---|\n")
	n := len(fakegraph.DemoCast())
	for _, e := range fakegraph.DemoExpectations()[n:] {
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s |\n", e.DisplayName, e.App, e.Category, e.Signal, quoted(e.Question))
	}
	for _, g := range fakegraph.DemoGroupStories() {
		fmt.Fprintf(&b, "| the %s group (help desk) | %s | `%s` | %s | %s |\n", g.Name, g.App, g.Category, g.Story, quoted(g.Question))
	}
	return cast, b.String()
}

func quoted(q string) string {
	if q == "" {
		return ""
	}
	return "\"" + q + "\""
}

// TestReadmeCastTablesMatchTheCastData keeps the README's cast tables equal
// to the cast data the demo page and the cast test use (go test
// ./cmd/provbot -run ReadmeCast -update-readme rewrites them).
func TestReadmeCastTablesMatchTheCastData(t *testing.T) {
	const path = "../../README.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	cast, more := castTables()
	got := readme
	for _, table := range []struct{ header, want string }{
		{"| Name | Role | App | What you will see | Question to ask |", cast},
		{"| Name | App | Verdict | Why |", more},
	} {
		start := strings.Index(got, table.header)
		if start < 0 {
			t.Fatalf("the README has no table starting %q", table.header)
		}
		end := strings.Index(got[start:], "\n\n")
		if end < 0 {
			end = len(got) - start
		}
		got = got[:start] + table.want + got[start+end+1:]
	}
	if got == readme {
		return
	}
	if *updateReadme {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the README's cast tables differ from fakegraph.DemoCast, DemoExpectations and DemoGroupStories; run\n\tgo test ./cmd/provbot -run ReadmeCast -update-readme\n")
}
