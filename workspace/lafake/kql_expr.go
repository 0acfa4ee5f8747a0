package lafake

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// expr parses an expression with or, and, comparisons and terms.
func (p *parser) expr() (fn, error) { return p.or() }

func (p *parser) or() (fn, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.is("or") {
		p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(rec record) any { return truthy(a(rec)) || truthy(b(rec)) }
	}
	return l, nil
}

func (p *parser) and() (fn, error) {
	l, err := p.cmp()
	if err != nil {
		return nil, err
	}
	for p.is("and") {
		p.next()
		r, err := p.cmp()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(rec record) any { return truthy(a(rec)) && truthy(b(rec)) }
	}
	return l, nil
}

func (p *parser) cmp() (fn, error) {
	if p.is("not") {
		p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		f, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return func(r record) any { return !truthy(f(r)) }, nil
	}
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	op := ""
	switch t := p.peek(); {
	case t.kind == tokPunct && (t.text == "==" || t.text == "!=" || t.text == "=~" || t.text == "!~" ||
		t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">="):
		op = t.text
		p.next()
	case t.kind == tokPunct && t.text == "!" && p.toks[p.pos+1].text == "contains":
		op = "!contains"
		p.pos += 2
	case t.kind == tokIdent && (t.text == "contains" || t.text == "contains_cs" || t.text == "has" || t.text == "startswith"):
		op = t.text
		p.next()
	default:
		return l, nil
	}
	r, err := p.term()
	if err != nil {
		return nil, err
	}
	return binary(op, l, r), nil
}

func (p *parser) term() (fn, error) {
	f, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.is("."):
			p.next()
			name, err := p.ident()
			if err != nil {
				return nil, err
			}
			base := f
			f = func(r record) any { return member(base(r), name) }
		case p.is("["):
			p.next()
			k, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			base := f
			f = func(r record) any { return index(base(r), k(r)) }
		default:
			return f, nil
		}
	}
}

func (p *parser) primary() (fn, error) {
	t := p.peek()
	switch t.kind {
	case tokString:
		// Adjacent string literals are one literal in KQL.
		var b strings.Builder
		for p.peek().kind == tokString {
			b.WriteString(p.next().str)
		}
		s := b.String()
		return func(record) any { return s }, nil
	case tokNumber:
		p.next()
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, p.fail("a bad number")
		}
		return func(record) any { return n }, nil
	case tokTimespan:
		p.next()
		d, err := parseTimespan(t.text)
		if err != nil {
			return nil, &syntaxError{msg: err.Error(), line: t.line, col: t.col, near: t.text}
		}
		return func(record) any { return d }, nil
	case tokPunct:
		if t.text == "(" {
			p.next()
			f, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			return f, nil
		}
		return nil, p.fail("expected a value")
	case tokIdent:
		p.next()
		if p.is("(") {
			return p.call(t.text)
		}
		switch t.text {
		case "true":
			return func(record) any { return true }, nil
		case "false":
			return func(record) any { return false }, nil
		}
		if v, ok := p.lets[t.text]; ok {
			return func(record) any { return v }, nil
		}
		if _, ok := p.hasColumn(t.text); ok {
			name := t.text
			return func(r record) any { return r[name] }, nil
		}
		return nil, p.unresolved(t.text)
	default:
		return nil, p.fail("expected a value")
	}
}

// call compiles a function call; the name has been read and '(' is next.
func (p *parser) call(name string) (fn, error) {
	p.next() // (
	if name == "datetime" {
		// datetime(2026-01-02T03:04:05Z): the lexer keeps the argument as
		// one raw token.
		t := p.next()
		if t.kind != tokRaw || !p.is(")") {
			return nil, p.fail("a bad datetime")
		}
		p.next()
		tm, err := parseDatetime(strings.TrimSpace(t.text))
		if err != nil {
			return nil, p.fail("a bad datetime")
		}
		return func(record) any { return tm }, nil
	}
	var args []fn
	for !p.is(")") {
		a, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if !p.is(",") {
			break
		}
		p.next()
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	f, arity, ok := functions(name, p.now)
	if !ok {
		return nil, &semanticError{fmt.Sprintf("'%s' operator: Failed to resolve scalar expression named '%s'", p.opName, name)}
	}
	if arity != len(args) {
		return nil, &semanticError{fmt.Sprintf("function '%s' expects %d argument(s)", name, arity)}
	}
	return func(r record) any {
		vals := make([]any, len(args))
		for i, a := range args {
			vals[i] = a(r)
		}
		return f(vals)
	}, nil
}

// parseTimespan reads 30d, 12h, 5m, 10s, 250ms.
func parseTimespan(s string) (time.Duration, error) {
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"ms", time.Millisecond}, {"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}}
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(n, 64)
			if err != nil {
				return 0, fmt.Errorf("a bad timespan")
			}
			return time.Duration(f * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("a bad timespan")
}

// parseDatetime reads a datetime literal's text.
func parseDatetime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad datetime %q", s)
}
