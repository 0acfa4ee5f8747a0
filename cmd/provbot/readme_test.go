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
