package escape

import (
	"strings"
	"unicode/utf8"
)

// Terminal returns s made safe to print on a terminal on one line:
//
//   - escape sequences are removed whole, with their parameters and
//     payloads: CSI (ESC [ or U+009B; colours, cursor moves, screen
//     clears), OSC (ESC ] or U+009D; window titles, hyperlinks, clipboard
//     writes), DCS, SOS, PM and APC strings (up to ST, BEL or the next
//     ESC), and the short ESC forms (ESC c resets the terminal);
//   - every other control character is removed: C0 (NUL, BEL, backspace,
//     ...), DEL and C1 (U+0080–U+009F);
//   - bidirectional embeddings, overrides and isolates (U+202A–U+202E,
//     U+2066–U+2069) are removed: they make a terminal or a ticket show
//     text in another order than it is (an address that reads backwards);
//   - invalid UTF-8 is removed;
//   - tab, newline, carriage return, vertical tab, form feed, NEL and the
//     Unicode line and paragraph separators become one space.
//
// Printable text, every script and emoji included, is unchanged, and so is
// a string that needs none of this (Terminal returns it without copying).
func Terminal(s string) string { return terminal(s, false) }

// TerminalLines is Terminal for text of several lines (a multi-line error
// message): newlines stay, a carriage return before a newline goes, and
// everything else is as in Terminal.
func TerminalLines(s string) string { return terminal(s, true) }

// The C1 controls that open a sequence, and the string terminator.
const (
	c1DCS = 0x90
	c1SOS = 0x98
	c1CSI = 0x9b
	c1ST  = 0x9c
	c1OSC = 0x9d
	c1PM  = 0x9e
	c1APC = 0x9f
	esc   = 0x1b
	bel   = 0x07
)

func terminal(s string, lines bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // the last thing written is a space made from a control
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			// Invalid UTF-8: a raw 0x9b byte is CSI to an 8-bit terminal.
		case r == esc:
			i = skipEscape(s, i)
		case r == c1CSI:
			i = skipCSI(s, i)
		case r == c1DCS || r == c1SOS || r == c1OSC || r == c1PM || r == c1APC:
			i = skipString(s, i)
		case r == '\n' && lines:
			b.WriteByte('\n')
			space = false
		case r == '\r' && lines && i < len(s) && s[i] == '\n':
		case isBreak(r):
			if !space {
				b.WriteByte(' ')
				space = true
			}
		case isControl(r) || isBidi(r):
		default:
			b.WriteRune(r)
			space = false
		}
	}
	return b.String()
}

// isPlain reports whether s is valid UTF-8 without anything terminal
// removes or changes.
func isPlain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || isControl(r) || isBidi(r) || isBreak(r) {
			return false
		}
		i += size
	}
	return true
}

// isBreak reports whether r breaks or spaces a line.
func isBreak(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// isControl reports whether r is a C0 or C1 control or DEL.
func isControl(r rune) bool { return r < 0x20 || 0x7f <= r && r <= 0x9f }

// isBidi reports whether r is a bidirectional embedding, override or
// isolate (the marks U+200E, U+200F and U+061C only affect neutral
// characters next to them and stay).
func isBidi(r rune) bool { return 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069 }

// skipEscape returns the index after the escape sequence whose ESC ends
// just before i (ECMA-48 §5.3, and the control strings of §8.3).
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1)
	case 0x20 <= c && c <= 0x2f: // intermediate bytes, then a final byte
		for i < len(s) && 0x20 <= s[i] && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && 0x30 <= s[i] && s[i] <= 0x7e {
			i++
		}
		return i
	case 0x30 <= c && c <= 0x7e: // ESC 7, ESC c, ESC =, ...
		return i + 1
	}
	return i // a bare ESC: only it goes
}

// skipCSI returns the index after a control sequence whose introducer ends
// just before i: parameter and intermediate bytes, then a final byte. A
// byte that fits none ends the sequence and is kept.
func skipCSI(s string, i int) int {
	for i < len(s) && 0x20 <= s[i] && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && 0x40 <= s[i] && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString returns the index after a control string (OSC, DCS, SOS, PM,
// APC) whose introducer ends just before i: it ends at ST (ESC \ or
// U+009C), at BEL (xterm's OSC terminator), at another ESC (which starts
// the next sequence), or at the end of s.
func skipString(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case bel, c1ST:
			return i + size
		case esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		}
		i += size
	}
	return i
}
