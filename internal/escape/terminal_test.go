package escape_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/provbot/provbot/internal/escape"
)

func TestTerminalRemovesWhatATerminalWouldObey(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain text", "Adele Vance (adele.vance@contoso.com)", "Adele Vance (adele.vance@contoso.com)"},
		{"other scripts and emoji", "Zoë Müller 山田 مرحبا 🚀", "Zoë Müller 山田 مرحبا 🚀"},
		{"screen clear and cursor home", "Adele\x1b[2J\x1b[HVance", "AdeleVance"},
		{"colour", "\x1b[31;1mred\x1b[0m", "red"},
		{"private mode (hide the cursor)", "a\x1b[?25lb", "ab"},
		{"window title, BEL-terminated", "x\x1b]0;pwned\x07y", "xy"},
		{"window title, ST-terminated", "x\x1b]2;pwned\x1b\\y", "xy"},
		{"hyperlink keeps only its text", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"clipboard write", "ok\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07", "ok"},
		{"DCS string", "a\x1bPq#0;2;0;0;0#0~~\x1b\\b", "ab"},
		{"APC and PM strings", "a\x1b_payload\x1b\\b\x1b^pm\x1b\\c", "abc"},
		{"unterminated OSC takes the rest", "a\x1b]0;title", "a"},
		{"OSC ended by the next ESC", "a\x1b]0;t\x1b[31mb", "ab"},
		{"reset terminal", "a\x1bcb", "ab"},
		{"charset designation", "a\x1b(0b", "ab"},
		{"DEC screen alignment test", "a\x1b#8b", "ab"},
		{"bare ESC at the end", "a\x1b", "a"},
		{"ESC before a non-ASCII character", "a\x1bé", "aé"},
		{"8-bit CSI", "a\u009b2Jb", "ab"},
		{"8-bit OSC with 8-bit ST", "a\u009d0;t\u009cb", "ab"},
		{"8-bit DCS", "a\u0090q\u009cb", "ab"},
		{"other C1 controls", "a\u0085b\u0080c\u009ad", "a bcd"},
		{"raw 0x9b byte (invalid UTF-8)", "a\x9b2Jb", "a2Jb"},
		{"bell and backspace", "bell\x07 back\b\b\bspace", "bell backspace"},
		{"NUL and DEL", "a\x00b\x7fc", "abc"},
		{"carriage return overwrites no more", "Status: failed\rStatus: OK    ", "Status: failed Status: OK    "},
		{"newlines and tabs become one space", "line1\r\nline2\tcol", "line1 line2 col"},
		{"Unicode line separators", "a\u2028b\u2029c", "a b c"},
		{"right-to-left override", "moc.osotnoc@\u202enimda", "moc.osotnoc@nimda"},
		{"bidi isolates", "a\u2066b\u2069c", "abc"},
		{"bidi marks stay", "a\u200fb\u200ec", "a\u200fb\u200ec"},
		{"incomplete CSI keeps the byte that ends it", "a\x1b[12\nb", "a b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := escape.Terminal(tc.in); got != tc.want {
				t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTerminalLinesKeepsNewlines(t *testing.T) {
	in := "2 people match:\r\n  Adele\x1b]0;x\x07 Vance\n  Adele\tMoreau\r"
	if got, want := escape.TerminalLines(in), "2 people match:\n  Adele Vance\n  Adele Moreau "; got != want {
		t.Errorf("TerminalLines = %q, want %q", got, want)
	}
}

// FuzzTerminal checks, for any input, that nothing a terminal obeys
// survives, that a second pass changes nothing, and that text without
// controls passes unchanged.
func FuzzTerminal(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[2J", "\x1b]8;;u\x1b\\t\x1b]8;;\x1b\\", "\u009b31m", "a\u202eb", "\xff\xfe", "x\r\ny"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lines := range []bool{false, true} {
			clean := escape.Terminal
			if lines {
				clean = escape.TerminalLines
			}
			got := clean(s)
			if !utf8.ValidString(got) {
				t.Fatalf("output %q is not valid UTF-8", got)
			}
			for _, r := range got {
				if r == '\n' && lines {
					continue
				}
				if r < 0x20 || 0x7f <= r && r <= 0x9f || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069 || r == 0x2028 || r == 0x2029 {
					t.Fatalf("clean(%q) = %q keeps U+%04X", s, got, r)
				}
			}
			if again := clean(got); again != got {
				t.Fatalf("not idempotent: %q then %q", got, again)
			}
			if len(got) > len(s) {
				t.Fatalf("output longer than input: %q from %q", got, s)
			}
		}
		if !strings.ContainsFunc(s, func(r rune) bool {
			return r < 0x20 || 0x7f <= r && r <= 0x9f || r == utf8.RuneError || 0x2028 <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069
		}) && escape.Terminal(s) != s {
			t.Fatalf("Terminal changed plain text %q to %q", s, escape.Terminal(s))
		}
	})
}
