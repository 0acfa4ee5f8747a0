package lafake

import (
	"fmt"
	"strconv"
	"time"
)

// The fake runs a small, strict subset of KQL: enough for the queries a
// client of AADProvisioningLogs sends, and strict enough that a query
// whose text was broken by an injected value fails the way the service
// fails (a syntax or semantic error) or visibly changes what it returns.
//
//	query    := { 'let' NAME '=' expr ';' } TABLE { '|' operator } [';']
//	operator := 'where' expr | 'take' N | 'limit' N
//	          | ('order' | 'sort') 'by' COLUMN ['asc' | 'desc'] {',' …}
//	          | 'project' COLUMN {',' COLUMN}
//	          | 'extend' NAME '=' expr {',' …}
//	          | 'summarize' [NAME '='] AGG {',' …}   AGG: count(), min(COL), max(COL)
//	expr     := expr 'or' expr | expr 'and' expr | 'not' '(' expr ')'
//	          | term [OP term]   OP: == != =~ !~ < <= > >= contains !contains
//	                                 contains_cs has startswith
//	term     := literal | NAME | FUNC '(' args ')' | term '.' NAME | term '[' expr ']' | '(' expr ')'
//
// Functions: base64_decode_tostring, tostring, tolower, toupper,
// parse_json, isempty, isnotempty, ago, now, datetime. Anything else (a
// union, a join, another table) is an error.

// semanticError is a query that parses but names something that does not
// exist; the server answers it as the API does (400 SemanticError).
type semanticError struct{ msg string }

func (e *semanticError) Error() string { return e.msg }

// column is a result column.
type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// record is one row while a query runs: column name → value. Values are
// nil, string, float64, bool, time.Time, time.Duration or decoded JSON
// (map[string]any, []any).
type record map[string]any

// fn is a compiled expression.
type fn func(r record) any

// operator is a compiled pipeline step.
type operator func(rs []record) []record

// program is a compiled query.
type program struct {
	table string
	ops   []operator
	cols  []column
}

// parser compiles tokens into a program against a table's schema.
type parser struct {
	toks   []token
	pos    int
	now    time.Time
	lets   map[string]any
	tables map[string][]column
	cols   []column
	opName string
}

// compile parses a query against the tables the workspace has.
func compile(q string, tables map[string][]column, now time.Time) (*program, error) {
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks, now: now, lets: map[string]any{}, tables: tables}
	return p.query()
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

// is reports whether the next token is the punctuation or keyword s.
func (p *parser) is(s string) bool {
	t := p.peek()
	return (t.kind == tokPunct || t.kind == tokIdent) && t.text == s
}

func (p *parser) fail(msg string) error {
	t := p.peek()
	near := t.text
	if t.kind == tokString {
		near = t.str
	}
	if t.kind == tokEOF {
		near = "<EOF>"
	}
	return &syntaxError{msg: msg, line: t.line, col: t.col, near: near}
}

func (p *parser) expect(s string) error {
	if !p.is(s) {
		return p.fail("expected '" + s + "'")
	}
	p.next()
	return nil
}

func (p *parser) ident() (string, error) {
	t := p.peek()
	if t.kind != tokIdent {
		return "", p.fail("expected a name")
	}
	p.next()
	return t.text, nil
}

func (p *parser) query() (*program, error) {
	for p.is("let") {
		p.next()
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expect("="); err != nil {
			return nil, err
		}
		f, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(";"); err != nil {
			return nil, err
		}
		p.lets[name] = f(nil) // let values here are constants
	}
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	cols, ok := p.tables[name]
	if !ok {
		return nil, &semanticError{fmt.Sprintf("'%s' operator: Failed to resolve table or column expression named '%s'", "table", name)}
	}
	prog := &program{table: name}
	p.cols = append([]column(nil), cols...)
	for p.is("|") {
		p.next()
		op, err := p.operator()
		if err != nil {
			return nil, err
		}
		prog.ops = append(prog.ops, op)
	}
	if p.is(";") {
		p.next()
	}
	if p.peek().kind != tokEOF {
		return nil, p.fail("unexpected text after the query")
	}
	prog.cols = p.cols
	return prog, nil
}

func (p *parser) operator() (operator, error) {
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	p.opName = name
	switch name {
	case "where":
		f, err := p.expr()
		if err != nil {
			return nil, err
		}
		return func(rs []record) []record {
			var out []record
			for _, r := range rs {
				if truthy(f(r)) {
					out = append(out, r)
				}
			}
			return out
		}, nil
	case "take", "limit":
		t := p.next()
		n, err := strconv.Atoi(t.text)
		if t.kind != tokNumber || err != nil || n < 0 {
			return nil, p.fail("expected a row count")
		}
		return func(rs []record) []record { return rs[:min(n, len(rs))] }, nil
	case "order", "sort":
		if err := p.expect("by"); err != nil {
			return nil, err
		}
		return p.orderBy()
	case "project":
		return p.project()
	case "extend":
		return p.extend()
	case "summarize":
		return p.summarize()
	default:
		return nil, &syntaxError{msg: "an operator this fake does not run", line: p.toks[p.pos-1].line, col: p.toks[p.pos-1].col, near: name}
	}
}

// hasColumn reports whether the current schema has a column.
func (p *parser) hasColumn(name string) (column, bool) {
	for _, c := range p.cols {
		if c.Name == name {
			return c, true
		}
	}
	return column{}, false
}

func (p *parser) orderBy() (operator, error) {
	type key struct {
		col  string
		desc bool
	}
	var keys []key
	for {
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if _, ok := p.hasColumn(name); !ok {
			return nil, p.unresolved(name)
		}
		k := key{col: name, desc: true} // KQL sorts descending by default
		if p.is("asc") {
			p.next()
			k.desc = false
		} else if p.is("desc") {
			p.next()
		}
		keys = append(keys, k)
		if !p.is(",") {
			break
		}
		p.next()
	}
	return func(rs []record) []record {
		out := append([]record(nil), rs...)
		sortStable(out, func(a, b record) int {
			for _, k := range keys {
				c := compare(a[k.col], b[k.col])
				if k.desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			return 0
		})
		return out
	}, nil
}

func (p *parser) project() (operator, error) {
	var keep []column
	for {
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		c, ok := p.hasColumn(name)
		if !ok {
			return nil, p.unresolved(name)
		}
		keep = append(keep, c)
		if !p.is(",") {
			break
		}
		p.next()
	}
	p.cols = keep
	return func(rs []record) []record {
		out := make([]record, len(rs))
		for i, r := range rs {
			nr := make(record, len(keep))
			for _, c := range keep {
				nr[c.Name] = r[c.Name]
			}
			out[i] = nr
		}
		return out
	}, nil
}

func (p *parser) extend() (operator, error) {
	type assign struct {
		name string
		f    fn
	}
	var as []assign
	for {
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expect("="); err != nil {
			return nil, err
		}
		f, err := p.expr()
		if err != nil {
			return nil, err
		}
		as = append(as, assign{name, f})
		if _, ok := p.hasColumn(name); !ok {
			p.cols = append(p.cols, column{Name: name, Type: "dynamic"})
		}
		if !p.is(",") {
			break
		}
		p.next()
	}
	return func(rs []record) []record {
		out := make([]record, len(rs))
		for i, r := range rs {
			nr := make(record, len(r)+len(as))
			for k, v := range r {
				nr[k] = v
			}
			for _, a := range as {
				nr[a.name] = a.f(r)
			}
			out[i] = nr
		}
		return out
	}, nil
}

func (p *parser) summarize() (operator, error) {
	type agg struct {
		name, fn, col string
	}
	var aggs []agg
	var cols []column
	for {
		name := ""
		if t := p.peek(); t.kind == tokIdent && p.toks[p.pos+1].text == "=" {
			name = t.text
			p.pos += 2
		}
		f, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expect("("); err != nil {
			return nil, err
		}
		a := agg{name: name, fn: f}
		typ := "long"
		switch f {
		case "count":
		case "min", "max":
			if a.col, err = p.ident(); err != nil {
				return nil, err
			}
			c, ok := p.hasColumn(a.col)
			if !ok {
				return nil, p.unresolved(a.col)
			}
			typ = c.Type
		default:
			return nil, p.fail("an aggregation this fake does not run")
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		if a.name == "" {
			a.name = f + "_" + a.col
			if f == "count" {
				a.name = "count_"
			}
		}
		aggs = append(aggs, a)
		cols = append(cols, column{Name: a.name, Type: typ})
		if !p.is(",") {
			break
		}
		p.next()
	}
	if p.is("by") {
		return nil, p.fail("summarize … by is not run by this fake")
	}
	p.cols = cols
	return func(rs []record) []record {
		out := record{}
		for _, a := range aggs {
			switch a.fn {
			case "count":
				out[a.name] = float64(len(rs))
			case "min", "max":
				var best any
				for _, r := range rs {
					v := r[a.col]
					if v == nil {
						continue
					}
					if best == nil {
						best = v
						continue
					}
					if c := compare(v, best); a.fn == "min" && c < 0 || a.fn == "max" && c > 0 {
						best = v
					}
				}
				out[a.name] = best
			}
		}
		return []record{out}
	}, nil
}

// unresolved is the semantic error for an unknown name.
func (p *parser) unresolved(name string) error {
	return &semanticError{fmt.Sprintf("'%s' operator: Failed to resolve scalar expression named '%s'", p.opName, name)}
}
