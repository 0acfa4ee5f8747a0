package graph

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// lexLiteral reads the OData string literal at the start of s, as Graph's
// $filter parser does (a quote inside is written twice), and returns its
// value and the rest of s after it.
func lexLiteral(s string) (value, rest string, ok bool) {
	if !strings.HasPrefix(s, "'") {
		return "", s, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), s[i+1:], true
	}
	return "", "", false
}

// FuzzQuote checks every value placed in a $filter: quote refuses exactly
// invalid UTF-8 and control characters, and otherwise makes one literal
// that a parser reads back as the value, ending where the literal ends
// (so a value like x' or 1 eq 1 or 'a cannot add a clause); eqAny makes
// exactly one clause per value; guid accepts GUIDs only.
func FuzzQuote(f *testing.F) {
	f.Add("x' or 1 eq 1 or 'a", "b")
	f.Fuzz(func(t *testing.T, a, b string) {
		lit, err := quote(a)
		bad := !utf8.ValidString(a) || strings.ContainsFunc(a, unicode.IsControl)
		if bad != (err != nil) {
			t.Fatalf("quote(%q) error = %v", a, err)
		}
		if err != nil {
			return
		}
		v, rest, ok := lexLiteral(lit + " and x eq 1")
		if !ok || v != a || rest != " and x eq 1" {
			t.Fatalf("quote(%q) = %s reads back as %q, leaving %q", a, lit, v, rest)
		}
		if _, err := quote(b); err != nil {
			return
		}
		filter := eqAny("sourceIdentity/id", []string{a, b})
		for i, want := range []string{a, b} {
			rest, ok := strings.CutPrefix(filter, "sourceIdentity/id eq ")
			if !ok {
				t.Fatalf("clause %d of %s does not start with the property", i, filter)
			}
			v, rest, ok := lexLiteral(rest)
			if !ok || v != want {
				t.Fatalf("clause %d of %s reads %q, want %q", i, filter, v, want)
			}
			filter = strings.TrimPrefix(rest, " or ")
		}
		if filter != "" {
			t.Fatalf("eqAny left %q after its two clauses", filter)
		}
		if g, err := guid(a); (err == nil) != isGUID(a) || err == nil && g != a {
			t.Fatalf("guid(%q) = %q, %v", a, g, err)
		}
	})
}
