package fakegraph

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The tokenizer of the $filter parser (see filter.go).

// tokenKind classifies a token.
type tokenKind int

const (
	tokEOF tokenKind = iota
	tokIdent
	tokString
	tokNumber
	tokGUID
	tokDateTime
	tokDate
	tokLParen
	tokRParen
	tokComma
	tokColon
	tokSlash
)

type token struct {
	kind tokenKind
	text string // identifier or raw literal text; the unescaped value for strings
	pos  int    // byte offset in the filter
}

// syntaxError is a filter that does not parse. Its message follows the
// OData library's wording, e.g. "Syntax error at position 18 in '...'.",
// which Graph prefixes with "Invalid filter clause: ".
type syntaxError struct{ msg string }

func (e *syntaxError) Error() string { return e.msg }

// lex splits a filter into tokens.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
			continue
		case c == '(':
			toks = append(toks, token{tokLParen, "(", i})
			i++
			continue
		case c == ')':
			toks = append(toks, token{tokRParen, ")", i})
			i++
			continue
		case c == ',':
			toks = append(toks, token{tokComma, ",", i})
			i++
			continue
		case c == ':':
			toks = append(toks, token{tokColon, ":", i})
			i++
			continue
		case c == '/':
			toks = append(toks, token{tokSlash, "/", i})
			i++
			continue
		case c == '\'':
			s, n, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokString, s, i})
			i += n
			continue
		}
		if n := matchGUID(src[i:]); n > 0 {
			toks = append(toks, token{tokGUID, src[i : i+n], i})
			i += n
			continue
		}
		if n := matchDateTime(src[i:]); n > 0 {
			toks = append(toks, token{tokDateTime, src[i : i+n], i})
			i += n
			continue
		}
		if n := matchDate(src[i:]); n > 0 {
			toks = append(toks, token{tokDate, src[i : i+n], i})
			i += n
			continue
		}
		if c == '-' || isDigit(c) {
			n := matchNumber(src[i:])
			if n == 0 {
				return nil, invalidChar(src, i)
			}
			toks = append(toks, token{tokNumber, src[i : i+n], i})
			i += n
			continue
		}
		r, _ := utf8.DecodeRuneInString(src[i:])
		if r == '_' || r == '$' || unicode.IsLetter(r) {
			j := i
			for j < len(src) {
				r, size := utf8.DecodeRuneInString(src[j:])
				if r == '_' || r == '.' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r) {
					j += size
					continue
				}
				break
			}
			toks = append(toks, token{tokIdent, src[i:j], i})
			i = j
			continue
		}
		return nil, invalidChar(src, i)
	}
	toks = append(toks, token{tokEOF, "", len(src)})
	return toks, nil
}

func invalidChar(src string, i int) error {
	r, _ := utf8.DecodeRuneInString(src[i:])
	return &syntaxError{fmt.Sprintf("Syntax error: character '%c' is not valid at position %d in '%s'.", r, i, src)}
}

// lexString reads a single-quoted literal starting at src[start]; a
// single quote inside it is written as two single quotes. It returns the
// unescaped value and the number of bytes consumed.
func lexString(src string, start int) (string, int, error) {
	var b strings.Builder
	i := start + 1
	for i < len(src) {
		if src[i] == '\'' {
			if i+1 < len(src) && src[i+1] == '\'' {
				b.WriteByte('\'')
				i += 2
				continue
			}
			return b.String(), i + 1 - start, nil
		}
		b.WriteByte(src[i])
		i++
	}
	return "", 0, &syntaxError{fmt.Sprintf("There is an unterminated string literal at position %d in '%s'.", start, src)}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// identTail reports whether s continues an identifier at its start, which
// would make a literal match there a false one ("2020-01-01x").
func identTail(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// matchGUID returns the length of a GUID literal at the start of s, or 0.
func matchGUID(s string) int {
	groups := []int{8, 4, 4, 4, 12}
	i := 0
	for g, n := range groups {
		for k := 0; k < n; k++ {
			if i >= len(s) || !isHex(s[i]) {
				return 0
			}
			i++
		}
		if g < len(groups)-1 {
			if i >= len(s) || s[i] != '-' {
				return 0
			}
			i++
		}
	}
	if identTail(s[i:]) || strings.HasPrefix(s[i:], "-") {
		return 0
	}
	return i
}

// matchDate returns the length of a yyyy-mm-dd literal at the start of s.
func matchDate(s string) int {
	if len(s) < 10 {
		return 0
	}
	for i, c := range []byte(s[:10]) {
		if i == 4 || i == 7 {
			if c != '-' {
				return 0
			}
			continue
		}
		if !isDigit(c) {
			return 0
		}
	}
	if identTail(s[10:]) {
		return 0
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return 0
	}
	return 10
}

// matchDateTime returns the length of a DateTimeOffset literal
// (yyyy-mm-ddThh:mm[:ss[.fffffff]](Z|±hh:mm)) at the start of s.
func matchDateTime(s string) int {
	if len(s) < 16 || (s[10] != 'T' && s[10] != 't') {
		return 0
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return 0
	}
	end := 11
	for end < len(s) {
		c := s[end]
		if isDigit(c) || c == ':' || c == '.' || c == 'Z' || c == 'z' || c == '+' || c == '-' {
			end++
			continue
		}
		break
	}
	if identTail(s[end:]) {
		return 0
	}
	if _, ok := parseDateTime(s[:end]); !ok {
		return 0
	}
	return end
}

// parseDateTime parses an OData DateTimeOffset literal.
func parseDateTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, strings.ToUpper(s)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// matchNumber returns the length of an integer or decimal literal.
func matchNumber(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == start {
		return 0
	}
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j > i+1 {
			i = j
		}
	}
	if identTail(s[i:]) {
		return 0
	}
	return i
}
