package card_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/bot/card/cardtest"
)

// render returns what a CommonMark renderer makes of md.
func render(md card.Markdown) cardtest.Rendered { return cardtest.Render(md.String()) }

// hostile are texts people type or directories and apps hold that would
// format, link or restructure a card if they reached it as Markdown.
var hostile = []struct{ name, text string }{
	{"a typed link", "[Reset](https://evil.example)"},
	{"an image", "![logo](https://evil.example/x.png)"},
	{"a reference link", "[Reset][1]\n\n[1]: https://evil.example"},
	{"an autolink", "<https://evil.example>"},
	{"an HTML link", `<a href="https://evil.example">Reset</a>`},
	{"a Teams mention", "<at>Everyone</at>"},
	{"bold", "**bold**"},
	{"bold with underscores", "__bold__"},
	{"italics", "_x_ and *y*"},
	{"strike-through", "~~gone~~"},
	{"inline code", "`rm -rf /`"},
	{"a code fence", "```\ncode\n```"},
	{"an indented code block", "    indented code"},
	{"a numbered list", "1. list"},
	{"a numbered list with a parenthesis", "2) second"},
	{"a bulleted list", "- item\n+ item\n* item"},
	{"a heading", "# heading"},
	{"a setext heading", "Title\n====="},
	{"a setext heading with dashes", "Title\n-----"},
	{"a rule", "***"},
	{"a quote", "> quoted"},
	{"a table", "| a | b |\n|---|---|\n| 1 | 2 |"},
	{"a list after a newline", "fine\n- but this\n3. and this"},
	{"blank lines", "one\n\n\n# two"},
	{"CRLF line breaks", "one\r\n# two\r\n- three"},
	{"a backslash before a star", `\*not bold\*`},
	{"a trailing backslash", `C:\Users\`},
	{"a user name with underscores", "adele_vance_admin@contoso.com"},
	{"an app message", "HTTP status code 409 (Conflict): a user with userName 'adele@contoso.com' already exists [owner: *Grady*]"},
	{"a long text", strings.Repeat("[x](https://evil.example) **y** _z_ ", 2000)},
}

func TestPlainShowsHostileTextVerbatimWithoutMarkdown(t *testing.T) {
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			out := render(card.Plain(tc.text))
			if len(out.Formatting) > 0 {
				t.Errorf("Plain(%q) renders as Markdown %v:\n%s", tc.text, out.Formatting, out.HTML)
			}
			if got, want := out.Shown, cardtest.Collapse(tc.text); got != want {
				t.Errorf("Plain(%q) shows\n%q\nwant\n%q", tc.text, got, want)
			}
		})
	}
}

func TestFormatEscapesEveryArgumentButKeepsItsTemplate(t *testing.T) {
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			md := card.Format("**%s** asked: %s (%d)", tc.text, tc.text, 3)
			out := render(md)
			if len(out.Formatting) != 1 || out.Formatting[0] != "strong" {
				t.Errorf("want only the template's bold, got %v:\n%s", out.Formatting, out.HTML)
			}
			want := cardtest.Collapse(tc.text + " asked: " + tc.text + " (3)")
			if got := out.Shown; got != want {
				t.Errorf("shows\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestFormatInsertsMarkdownArgumentsAsTheyAre(t *testing.T) {
	inner := card.Format("_%s_", "a*b")
	out := render(card.Format("%s said %v", inner, "[x](https://evil.example)"))
	if len(out.Formatting) != 1 || out.Formatting[0] != "em" {
		t.Errorf("want the inner template's italics only, got %v: %s", out.Formatting, out.HTML)
	}
	if got := out.Shown; got != "a*b said [x](https://evil.example)" {
		t.Errorf("shows %q", got)
	}
}

func TestFormatKeepsVerbsAndFlags(t *testing.T) {
	for _, tc := range []struct {
		md   card.Markdown
		want string
	}{
		{card.Format("%.3s…", "abcdef"), "abc…"},
		{card.Format("%q", "a_b"), `"a\_b"`},
		{card.Format("%05d%%", 42), `00042%`},
		{card.Format("%d", -1), `\-1`},
		{card.Format("no arguments: **bold** stays"), "no arguments: **bold** stays"},
	} {
		if got := tc.md.String(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestPlainDropsControlCharacters(t *testing.T) {
	if got := card.Plain("a\x1b[2Jb\u0085c\td").String(); got != `a \[2Jb c d` {
		t.Errorf("got %q", got)
	}
}

// Markdown comes only from Plain and from Format with a constant: a string
// variable as a template, or a conversion to Markdown, does not compile.
func TestMarkdownIsOnlyMadeFromConstantsOrEscapedText(t *testing.T) {
	fset := token.NewFileSet()
	imp := exportDataImporter(t, fset)
	for _, tc := range []struct {
		name, code string
		compiles   bool
	}{
		{"a string literal template", `_ = card.Format("What to do")`, true},
		{"an untyped constant template", `const tmpl = "When: %s"; _ = card.Format(tmpl, s)`, true},
		{"escaped text", `_ = card.Plain(s)`, true},
		{"a variable as template", `_ = card.Format(s)`, false},
		{"a typed string constant as template", `const tmpl string = "x"; _ = card.Format(tmpl)`, false},
		{"a conversion to Markdown", `_ = card.Markdown(s)`, false},
		{"a composite literal with text", `_ = card.Markdown{s}`, false},
		{"a string in a TextBlock", `_ = card.TextBlock{Text: s}`, false},
		{"a string in a Fact", `_ = card.Fact{Title: "x", Value: s}`, false},
		{"a made-up colour", `_ = card.TextBlock{Color: card.Color{}}; _ = card.Color{"red"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "package p\nimport \"github.com/provbot/provbot/bot/card\"\nfunc f(s string) {\n_ = s\n" + tc.code + "\n}\n"
			f, err := parser.ParseFile(fset, "p.go", src, 0)
			if err != nil {
				t.Fatal(err)
			}
			conf := types.Config{Importer: imp}
			_, err = conf.Check("p", fset, []*ast.File{f}, nil)
			if tc.compiles && err != nil {
				t.Errorf("%s does not compile: %v", tc.code, err)
			}
			if !tc.compiles && err == nil {
				t.Errorf("%s compiles", tc.code)
			}
		})
	}
}

// exportDataImporter imports packages from the compiler's export data,
// which `go list -export` builds (and caches) for card and its
// dependencies.
func exportDataImporter(t *testing.T, fset *token.FileSet) types.Importer {
	t.Helper()
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}", "github.com/provbot/provbot/bot/card").Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	exports := map[string]string{}
	for line := range strings.Lines(string(out)) {
		path, file, _ := strings.Cut(strings.TrimSpace(line), "=")
		exports[path] = file
	}
	return importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
}
