package graph

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/provbot/provbot/internal/logsafe"
)

// OData literals. Every value placed in a $filter goes through quote (a
// string literal) or guid (an unquoted Edm.Guid literal): a single quote
// inside a string is written twice, and control characters are refused
// before any request is made, so a name such as x' or 1 eq 1 or 'a stays
// one string. https://learn.microsoft.com/graph/filter-query-parameter#escaping-single-quotes

// checkText refuses what no filter, path or name should contain: invalid
// UTF-8 and control characters (Unicode category Cc: NUL, tab, newline,
// DEL, ...). Everything else, quotes, unicode and emoji included, passes.
func checkText(what, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	for i, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%s has a control character (U+%04X) at byte %d", what, r, i)
		}
	}
	return nil
}

// quote returns s as an OData string literal.
func quote(s string) (string, error) {
	if err := checkText("filter value", s); err != nil {
		return "", err
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

// mustQuote quotes a value already checked by checkText.
func mustQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// guid returns s as an unquoted Edm.Guid literal, as filters on resourceId
// need it, refusing anything that is not a GUID.
func guid(s string) (string, error) {
	if !isGUID(s) {
		return "", fmt.Errorf("%q is not a GUID", logsafe.Cap(s))
	}
	return s, nil
}

// isGUID reports whether s is a GUID in its 8-4-4-4-12 hex form, the form
// Entra object ids take.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// eqAny joins "prop eq 'v'" clauses with or.
func eqAny(prop string, values []string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = prop + " eq " + mustQuote(v)
	}
	return strings.Join(parts, " or ")
}
