package escape_test

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/provbot/provbot/internal/escape"
)

func TestJSONEscapesC1AndBidiControls(t *testing.T) {
	raw, _ := json.Marshal(map[string]string{"name": "a\u009b2Jb\u0085c\u202ed\u2028e\x7f\x1bf", "plain": "Zoë"})
	got := string(escape.JSON(raw))
	want := `{"name":"a\u009b2Jb\u0085c\u202ed\u2028e\u007f\u001bf","plain":"Zoë"}`
	if got != want {
		t.Errorf("JSON = %s\nwant   %s", got, want)
	}
	plain := []byte(`{"a":"Zoë 🚀"}`)
	if out := escape.JSON(plain); &out[0] != &plain[0] {
		t.Error("JSON copied output that needed no escaping")
	}
}

// FuzzJSON checks that the escaped JSON stands for the same value and has
// no C1 control, separator or bidi override left raw.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{"plain", "\u0085", "\u009b[2J", "\u202e", "\u2028", "\x7f", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		raw, err := json.Marshal([]string{s})
		if err != nil {
			t.Fatal(err)
		}
		out := escape.JSON(raw)
		var back, want []string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("escaped JSON %s does not parse: %v", out, err)
		}
		_ = json.Unmarshal(raw, &want)
		if back[0] != want[0] {
			t.Fatalf("value changed: %q became %q", want[0], back[0])
		}
		for i := 0; i < len(out); {
			r, size := utf8.DecodeRune(out[i:])
			if 0x7f <= r && r <= 0x9f || r == 0x2028 || r == 0x2029 || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069 {
				t.Fatalf("U+%04X left raw in %s", r, out)
			}
			i += size
		}
	})
}
