package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReadmeCommandsWorkAsWritten runs, in the README's order and in one
// empty folder, every provbot command the README shows that reads the
// demo tenant or a saved file (its sh blocks and inline code), exactly as
// written: a file one command writes is there for the next to read, as it
// is for a reader trying them one after the other.
func TestReadmeCommandsWorkAsWritten(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	cmds := readmeCommands(string(readme))
	if len(cmds) < 10 {
		t.Fatalf("found only %d runnable commands in the README: %q", len(cmds), cmds)
	}
	var offline int
	for _, c := range cmds {
		if slices.Contains(c, "--logs") {
			offline++
		}
	}
	if offline == 0 {
		t.Fatalf("the README shows no command that reads a saved file: %q", cmds)
	}
	t.Chdir(t.TempDir())
	for _, args := range cmds {
		line := "provbot " + strings.Join(args, " ")
		code, out, errOut := cli(t, args...)
		if code != 0 {
			t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", line, code, out, errOut)
			continue
		}
		if out == "" && errOut == "" {
			t.Errorf("%s: said nothing", line)
		}
	}
}

// readmeCommands returns the provbot commands of the README's sh blocks
// and inline code that run offline (--demo or --logs), split into
// arguments, comments removed; synopses with placeholders are left out.
func readmeCommands(md string) [][]string {
	var lines []string
	inSh := false
	for _, l := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(trimmed, "```"):
			inSh = !inSh && (trimmed == "```sh" || trimmed == "```bash" || trimmed == "```shell")
			continue
		case inSh:
			lines = append(lines, trimmed)
			continue
		}
		for _, m := range regexp.MustCompile("`(provbot [^`]+)`").FindAllStringSubmatch(l, -1) {
			lines = append(lines, m[1])
		}
	}
	var out [][]string
	for _, l := range lines {
		// Synopses and placeholders ("provbot logs [USER]", "--bot-id
		// <id>", "--logs …") are not commands to run.
		if !strings.HasPrefix(l, "provbot ") || strings.ContainsAny(l, "…<[") {
			continue
		}
		args := shellWords(l)[1:]
		if len(args) == 0 || args[0] == "demo" || args[0] == "serve" {
			continue
		}
		if slices.Contains(args, "--demo") || slices.Contains(args, "--logs") {
			out = append(out, args)
		}
	}
	return out
}

// shellWords splits a command line as a POSIX shell would for the simple
// lines of a README: words separated by blanks, single and double quotes,
// and a # starting a comment at the start of a word.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '#' && !inWord:
			return words
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// TestReadmeWarnsThatTheFirstBuildCompilesTheGraphSDK checks that a
// newcomer reads, before the demo's instructions, that the first build
// downloads and compiles the Graph SDK the module really depends on, and
// how long and how much disk that takes.
func TestReadmeWarnsThatTheFirstBuildCompilesTheGraphSDK(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	intro, _, _ := strings.Cut(string(readme), "\n## ")
	para := ""
	for _, p := range strings.Split(intro, "\n\n") {
		if strings.Contains(p, "first build") {
			para = strings.Join(strings.Fields(p), " ")
		}
	}
	if para == "" {
		t.Fatal("the README's introduction does not say what the first build does")
	}
	sdk := regexp.MustCompile("`(msgraph-sdk-go)`").FindStringSubmatch(para)
	if sdk == nil || !strings.Contains(string(gomod), "github.com/microsoftgraph/"+sdk[1]+" ") {
		t.Errorf("the first-build note names no Graph SDK module of go.mod: %s", para)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`downloads`), regexp.MustCompile(`compiles the Graph SDK`),
		regexp.MustCompile(`\d+ minutes`), regexp.MustCompile(`\d+(\.\d+)? GB of build cache`), regexp.MustCompile(`\d+ MiB`),
	} {
		if !want.MatchString(para) {
			t.Errorf("the first-build note does not say %s: %s", want, para)
		}
	}
}
