package fakegraph

import (
	"fmt"
	"strings"
)

// This file holds a small OData $filter parser: a tokenizer and a
// recursive-descent parser producing an AST. It knows the grammar only;
// which properties, operators and functions a route accepts is decided by
// filter_bind.go. Keywords, function names and literals true/false/null
// are case-insensitive, as in Graph ("NOT", "startsWith", "OR" all appear
// in https://learn.microsoft.com/graph/aad-advanced-queries).

// node is a parsed filter expression.
type node interface{ position() int }

// binaryNode is "left op right" with op one of and, or, eq, ne, gt, ge,
// lt, le (lower case).
type binaryNode struct {
	op          string
	left, right node
	pos         int
}

// inNode is "left in (items...)".
type inNode struct {
	left  node
	items []node
	pos   int
}

// notNode is "not x".
type notNode struct {
	x   node
	pos int
}

// callNode is a function call such as startswith(displayName,'A'); name
// is lower case.
type callNode struct {
	name string
	args []node
	pos  int
}

// pathNode is a property path such as sourceIdentity/id, or a lambda
// range variable and its sub-path (t/id).
type pathNode struct {
	segs []string
	pos  int
}

// lambdaNode is coll/any(v:body) or coll/all(v:body).
type lambdaNode struct {
	coll     pathNode
	fn       string // "any" or "all"
	variable string
	body     node
	pos      int
}

// literalKind is the type of a literal.
type literalKind int

const (
	litString literalKind = iota
	litGUID
	litDateTime
	litDate
	litNumber
	litBool
	litNull
)

// literalNode is a constant.
type literalNode struct {
	kind literalKind
	text string // unescaped string value, or raw text of other literals
	pos  int
}

func (n *binaryNode) position() int  { return n.pos }
func (n *inNode) position() int      { return n.pos }
func (n *notNode) position() int     { return n.pos }
func (n *callNode) position() int    { return n.pos }
func (n *pathNode) position() int    { return n.pos }
func (n *lambdaNode) position() int  { return n.pos }
func (n *literalNode) position() int { return n.pos }

// parser is a recursive-descent parser over the tokens of one filter.
//
//	expr    = and { "or" and }
//	and     = unary { "and" unary }
//	unary   = "not" unary | compare
//	compare = primary [ ("eq"|"ne"|"gt"|"ge"|"lt"|"le") primary | "in" "(" list ")" ]
//	primary = "(" expr ")" | literal | call | path [ "/" ("any"|"all") "(" [ var ":" expr ] ")" ]
type parser struct {
	src  string
	toks []token
	i    int
}

// parseFilter parses a whole $filter value.
func parseFilter(src string) (node, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	if p.peek().kind == tokEOF {
		return nil, p.errorf("Expression expected at position %d in '%s'.", 0, src)
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.syntaxAt(t.pos)
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// keyword reports whether the next token is the identifier kw (any case).
func (p *parser) keyword(kw string) bool {
	t := p.peek()
	return t.kind == tokIdent && strings.EqualFold(t.text, kw)
}

func (p *parser) errorf(format string, args ...any) error {
	return &syntaxError{fmt.Sprintf(format, args...)}
}

func (p *parser) syntaxAt(pos int) error {
	return p.errorf("Syntax error at position %d in '%s'.", pos, p.src)
}

func (p *parser) expect(kind tokenKind, what string) (token, error) {
	t := p.next()
	if t.kind != kind {
		return t, p.errorf("%s expected at position %d in '%s'.", what, t.pos, p.src)
	}
	return t, nil
}

func (p *parser) parseOr() (node, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		t := p.next()
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		left = &binaryNode{op: "or", left: left, right: right, pos: t.pos}
	}
	return left, nil
}

func (p *parser) parseAnd() (node, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		t := p.next()
		right, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		left = &binaryNode{op: "and", left: left, right: right, pos: t.pos}
	}
	return left, nil
}

func (p *parser) parseUnary() (node, error) {
	if p.keyword("not") {
		t := p.next()
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &notNode{x: x, pos: t.pos}, nil
	}
	return p.parseCompare()
}

func (p *parser) parseCompare() (node, error) {
	left, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind != tokIdent {
		return left, nil
	}
	op := strings.ToLower(t.text)
	switch op {
	case "eq", "ne", "gt", "ge", "lt", "le":
		p.next()
		right, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		return &binaryNode{op: op, left: left, right: right, pos: t.pos}, nil
	case "in":
		p.next()
		if _, err := p.expect(tokLParen, "'('"); err != nil {
			return nil, err
		}
		var items []node
		for {
			item, err := p.parsePrimary()
			if err != nil {
				return nil, err
			}
			items = append(items, item)
			sep := p.next()
			if sep.kind == tokRParen {
				break
			}
			if sep.kind != tokComma {
				return nil, p.errorf("')' or ',' expected at position %d in '%s'.", sep.pos, p.src)
			}
		}
		return &inNode{left: left, items: items, pos: t.pos}, nil
	}
	return left, nil
}

func (p *parser) parsePrimary() (node, error) {
	t := p.next()
	switch t.kind {
	case tokLParen:
		inner, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			return nil, p.errorf("')' or operator expected at position %d in '%s'.", c.pos, p.src)
		}
		return inner, nil
	case tokString:
		return &literalNode{kind: litString, text: t.text, pos: t.pos}, nil
	case tokGUID:
		return &literalNode{kind: litGUID, text: t.text, pos: t.pos}, nil
	case tokDateTime:
		return &literalNode{kind: litDateTime, text: t.text, pos: t.pos}, nil
	case tokDate:
		return &literalNode{kind: litDate, text: t.text, pos: t.pos}, nil
	case tokNumber:
		return &literalNode{kind: litNumber, text: t.text, pos: t.pos}, nil
	case tokIdent:
		return p.parseIdent(t)
	case tokEOF:
		return nil, p.errorf("Expression expected at position %d in '%s'.", t.pos, p.src)
	}
	return nil, p.syntaxAt(t.pos)
}

// parseIdent parses what starts with an identifier: a keyword literal, a
// function call, or a property path with an optional lambda.
func (p *parser) parseIdent(t token) (node, error) {
	switch strings.ToLower(t.text) {
	case "true", "false":
		return &literalNode{kind: litBool, text: strings.ToLower(t.text), pos: t.pos}, nil
	case "null":
		return &literalNode{kind: litNull, text: "null", pos: t.pos}, nil
	case "and", "or", "eq", "ne", "gt", "ge", "lt", "le", "in", "not":
		return nil, p.errorf("Expression expected at position %d in '%s'.", t.pos, p.src)
	}
	if p.peek().kind == tokLParen {
		p.next()
		call := &callNode{name: strings.ToLower(t.text), pos: t.pos}
		if p.peek().kind == tokRParen {
			p.next()
			return call, nil
		}
		for {
			arg, err := p.parseOr()
			if err != nil {
				return nil, err
			}
			call.args = append(call.args, arg)
			sep := p.next()
			if sep.kind == tokRParen {
				return call, nil
			}
			if sep.kind != tokComma {
				return nil, p.errorf("')' or ',' expected at position %d in '%s'.", sep.pos, p.src)
			}
		}
	}
	path := pathNode{segs: []string{t.text}, pos: t.pos}
	for p.peek().kind == tokSlash {
		p.next()
		seg, err := p.expect(tokIdent, "Identifier")
		if err != nil {
			return nil, err
		}
		fn := strings.ToLower(seg.text)
		if (fn == "any" || fn == "all") && p.peek().kind == tokLParen {
			return p.parseLambda(path, fn, seg.pos)
		}
		path.segs = append(path.segs, seg.text)
	}
	return &path, nil
}

// parseLambda parses "(v: body)" after coll/any.
func (p *parser) parseLambda(coll pathNode, fn string, pos int) (node, error) {
	p.next() // (
	if p.peek().kind == tokRParen {
		p.next()
		return &lambdaNode{coll: coll, fn: fn, pos: pos}, nil
	}
	v, err := p.expect(tokIdent, "Range variable")
	if err != nil {
		return nil, err
	}
	if _, err := p.expect(tokColon, "':'"); err != nil {
		return nil, err
	}
	body, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if c := p.next(); c.kind != tokRParen {
		return nil, p.errorf("')' or operator expected at position %d in '%s'.", c.pos, p.src)
	}
	return &lambdaNode{coll: coll, fn: fn, variable: v.text, body: body, pos: pos}, nil
}
