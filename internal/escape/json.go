package escape

import "unicode/utf8"

// JSON rewrites the output of encoding/json so that it is safe to show:
// the C1 controls (U+0080–U+009F, which some terminals obey as escape
// sequences), DEL, the line and paragraph separators U+2028 and U+2029,
// and the bidirectional embeddings, overrides and isolates become \u
// escapes. encoding/json already escapes the C0 controls. The value the
// JSON stands for is unchanged: a reader decodes each escape to the
// character it replaced.
//
// b must be encoding/json output (valid UTF-8, where every non-ASCII
// character is inside a string); JSON returns b itself when nothing needs
// escaping.
func JSON(b []byte) []byte {
	first := -1
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if jsonEscaped(r) {
			first = i
			break
		}
		i += size
	}
	if first < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	out = append(out, b[:first]...)
	const hex = "0123456789abcdef"
	for i := first; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if jsonEscaped(r) {
			out = append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// jsonEscaped reports whether JSON writes r as a \u escape.
func jsonEscaped(r rune) bool {
	return 0x7f <= r && r <= 0x9f || r == 0x2028 || r == 0x2029 || isBidi(r)
}
