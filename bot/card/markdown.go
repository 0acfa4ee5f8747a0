package card

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Markdown is text for the fields Teams renders as Markdown: TextBlock.text,
// Fact.title and Fact.value. It can only be made two ways, so that text we
// did not write never reaches a card as Markdown:
//
//   - [Plain] escapes a string (a person's words, directory names, log
//     texts, app messages, step descriptions, anything not a constant
//     of ours) so that it shows exactly as given;
//   - [Format] takes a constant template of ours and escapes every
//     argument that is not itself Markdown.
//
// The zero value is empty text.
type Markdown struct{ s string }

// template is a format string of ours. It is unexported so that only
// constants (string literals and untyped string constants) convert to it:
// a string variable does not compile where a template is expected.
type template string

// Plain returns s as Markdown that shows exactly s: every character that
// Markdown would read as formatting is backslash-escaped, line breaks are
// kept, leading blanks of each line are dropped (they would start a code
// block), and control characters become spaces.
func Plain(s string) Markdown { return Markdown{escape(s)} }

// Format formats like fmt.Sprintf with a constant format of ours, escaping
// every argument as [Plain] does, except Markdown arguments, which are
// inserted as they are. Arguments are inline text: each run of blanks and
// line breaks in one becomes a single space and both ends are trimmed, so
// that no argument can end a paragraph or an emphasis the template began. Write "%%" for a literal percent sign.
func Format(format template, args ...any) Markdown {
	if len(args) == 0 {
		return Markdown{string(format)}
	}
	wrapped := make([]any, len(args))
	for i, a := range args {
		wrapped[i] = escaped{a}
	}
	return Markdown{fmt.Sprintf(string(format), wrapped...)}
}

// String returns the Markdown source.
func (m Markdown) String() string { return m.s }

// Clip shortens the text to at most n runes, ending it with "…" when it
// was longer. It never splits an escape, so the result is as safe as m.
func (m Markdown) Clip(n int) Markdown {
	if n < 1 || utf8.RuneCountInString(m.s) <= n {
		return m
	}
	s := string([]rune(m.s)[:n-1])
	if trailing := len(s) - len(strings.TrimRight(s, "\\")); trailing%2 == 1 {
		s = s[:len(s)-1]
	}
	return Markdown{s + "…"}
}

// IsZero reports whether the text is empty.
func (m Markdown) IsZero() bool { return m.s == "" }

// MarshalText writes the Markdown source (a JSON string in a card).
func (m Markdown) MarshalText() ([]byte, error) { return []byte(m.s), nil }

// escaped formats its value with the caller's verb and flags, then escapes
// the result; Markdown values pass through.
type escaped struct{ v any }

// Format implements fmt.Formatter.
func (e escaped) Format(f fmt.State, verb rune) {
	if m, ok := e.v.(Markdown); ok {
		io.WriteString(f, m.s)
		return
	}
	io.WriteString(f, escape(inline(fmt.Sprintf(fmt.FormatString(f, verb), e.v))))
}

// inline turns each run of white space and control characters into one
// space and trims both ends (a blank before a template's closing "**" would
// leave the bold open).
func inline(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			if !blank {
				b.WriteByte(' ')
			}
			blank = true
			continue
		}
		blank = false
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// inlineSpecial are the characters escaped wherever they are: emphasis,
// code, strike-through, links and images, autolinks and HTML (mentions
// included), table cells, and the backslash itself. Characters that only matter at the
// start of a line are escaped there (escapeLine). "&" is left alone: an
// entity such as "&amp;" can only show as its character, never as
// formatting, and Teams would show a stray backslash in every "R&D".
const inlineSpecial = "\\*_`~[]()<|"

// escape backslash-escapes s for Markdown, line by line.
func escape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		escapeLine(&b, line)
	}
	return b.String()
}

// escapeLine writes one line: blanks at its start dropped, a block marker
// at its start neutralised (-, + and = start lists, rules and headings, #
// a heading, > a quote; "1." and "1)" start numbered lists), and inline
// specials escaped.
func escapeLine(b *strings.Builder, line string) {
	line = strings.TrimLeftFunc(strings.Map(noControl, line), unicode.IsSpace)
	if line == "" {
		return
	}
	switch line[0] {
	case '-', '+', '=', '#', '>':
		b.WriteByte('\\')
	}
	digits := len(line) - len(strings.TrimLeft(line, "0123456789"))
	for i := 0; i < len(line); i++ {
		c := line[i]
		if i == digits && digits > 0 && digits <= 9 && c == '.' {
			b.WriteByte('\\')
		}
		if strings.IndexByte(inlineSpecial, c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
}

// noControl turns control characters (C0 other than newline, DEL, C1) into
// spaces.
func noControl(r rune) rune {
	if r != '\n' && unicode.IsControl(r) {
		return ' '
	}
	return r
}
