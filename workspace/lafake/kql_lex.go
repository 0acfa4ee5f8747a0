package lafake

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a KQL token.
type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokNumber
	tokTimespan
	tokPunct // | ; , ( ) [ ] . = == != =~ !~ < <= > >= ..
	tokRaw   // the argument of datetime(…), as written
)

// token is one KQL token with its position (1-based line and column).
type token struct {
	kind      tokKind
	text      string // identifier, punctuation, number or timespan as written
	str       string // a string literal's value
	line, col int
}

func (t token) String() string {
	switch t.kind {
	case tokEOF:
		return "end of query"
	case tokString:
		return fmt.Sprintf("%q", t.str)
	default:
		return "'" + t.text + "'"
	}
}

// syntaxError is a query the fake cannot parse; the server answers it as
// the API answers a syntax error (400 BadArgumentError / SyntaxError).
type syntaxError struct {
	msg       string
	line, col int
	near      string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("Query could not be parsed at '%s' on line [%d,%d]: %s", e.near, e.line, e.col, e.msg)
}

// lex splits a query into tokens. It follows the KQL rules that matter for
// quoting: '…' and "…" literals with backslash escapes (\\ \' \" \n \t
// \r), verbatim @'…' and @"…" literals where the quote is doubled, and //
// comments to the end of the line. A line break inside a quoted literal is
// an error, as in KQL.
//
// https://learn.microsoft.com/kusto/query/scalar-data-types/string
func lex(q string) ([]token, error) {
	var out []token
	line, col := 1, 1
	i := 0
	adv := func(n int) {
		for k := 0; k < n && i < len(q); k++ {
			if q[i] == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			i++
		}
	}
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			adv(1)
		case c == '/' && i+1 < len(q) && q[i+1] == '/':
			for i < len(q) && q[i] != '\n' {
				adv(1)
			}
		case c == '\'' || c == '"' || (c == '@' && i+1 < len(q) && (q[i+1] == '\'' || q[i+1] == '"')):
			t := token{kind: tokString, line: line, col: col}
			verbatim := c == '@'
			if verbatim {
				adv(1)
			}
			quote := q[i]
			adv(1)
			var b strings.Builder
			closed := false
			for i < len(q) {
				ch := q[i]
				if ch == '\n' || ch == '\r' {
					return nil, &syntaxError{msg: "a line break inside a string literal", line: line, col: col, near: "\\n"}
				}
				if verbatim && ch == quote {
					if i+1 < len(q) && q[i+1] == quote {
						b.WriteByte(quote)
						adv(2)
						continue
					}
					adv(1)
					closed = true
					break
				}
				if !verbatim && ch == '\\' {
					if i+1 >= len(q) {
						break
					}
					switch e := q[i+1]; e {
					case '\\', '\'', '"':
						b.WriteByte(e)
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'r':
						b.WriteByte('\r')
					default:
						return nil, &syntaxError{msg: "an unknown escape sequence", line: line, col: col, near: q[i : i+2]}
					}
					adv(2)
					continue
				}
				if !verbatim && ch == quote {
					adv(1)
					closed = true
					break
				}
				b.WriteByte(ch)
				adv(1)
			}
			if !closed {
				return nil, &syntaxError{msg: "an unterminated string literal", line: t.line, col: t.col, near: string(quote)}
			}
			t.str = b.String()
			out = append(out, t)
		case c >= '0' && c <= '9':
			t := token{kind: tokNumber, line: line, col: col}
			j := i
			for j < len(q) && (q[j] >= '0' && q[j] <= '9' || q[j] == '.' && j+1 < len(q) && q[j+1] >= '0' && q[j+1] <= '9') {
				j++
			}
			k := j
			for k < len(q) && q[k] >= 'a' && q[k] <= 'z' {
				k++
			}
			if unit := q[j:k]; unit != "" {
				switch unit {
				case "d", "h", "m", "s", "ms":
					t.kind = tokTimespan
				default:
					return nil, &syntaxError{msg: "an unknown timespan unit", line: line, col: col, near: q[i:k]}
				}
				j = k
			}
			t.text = q[i:j]
			adv(j - i)
			out = append(out, t)
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			t := token{kind: tokIdent, line: line, col: col}
			j := i
			for j < len(q) && isIdentByte(q[j]) {
				j++
			}
			t.text = q[i:j]
			adv(j - i)
			out = append(out, t)
			if t.text == "datetime" {
				// datetime(2026-01-02T03:04:05Z): the argument is not made
				// of tokens; keep it raw.
				k := i
				for k < len(q) && (q[k] == ' ' || q[k] == '\t') {
					k++
				}
				if k < len(q) && q[k] == '(' {
					end := strings.IndexByte(q[k:], ')')
					if end < 0 {
						return nil, &syntaxError{msg: "an unterminated datetime", line: line, col: col, near: "datetime"}
					}
					adv(k - i)
					out = append(out, token{kind: tokPunct, text: "(", line: line, col: col})
					adv(1)
					out = append(out, token{kind: tokRaw, text: q[i : k+end], line: line, col: col})
					adv(k + end - i)
				}
			}
		default:
			t := token{kind: tokPunct, line: line, col: col}
			two := ""
			if i+1 < len(q) {
				two = q[i : i+2]
			}
			switch two {
			case "==", "!=", "=~", "!~", "<=", ">=", "..":
				t.text = two
				adv(2)
				out = append(out, t)
				continue
			}
			switch c {
			case '|', ';', ',', '(', ')', '[', ']', '.', '=', '<', '>', '!':
				t.text = string(c)
				adv(1)
				out = append(out, t)
			default:
				r, _ := utf8.DecodeRuneInString(q[i:])
				return nil, &syntaxError{msg: "an unexpected character", line: line, col: col, near: string(r)}
			}
		}
	}
	out = append(out, token{kind: tokEOF, line: line, col: col})
	return out, nil
}

func isIdentByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}
