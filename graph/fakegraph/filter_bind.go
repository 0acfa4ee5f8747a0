package fakegraph

import (
	"net/http"
	"strings"
)

// This file checks a parsed filter against what a route supports and turns
// it into a predicate over Graph objects. The checks follow the order the
// OData library and Graph apply them: names first ("Could not find a
// property..."), then types ("incompatible types"), then what the service
// supports ("Unsupported or invalid query filter clause...").

// evalEnv is what a predicate sees: the object and the lambda variables.
type evalEnv struct {
	root Object
	vars map[string]any
}

// pred is a compiled filter.
type pred func(*evalEnv) bool

// compileFilter parses and binds a $filter value for schema s. advanced
// says whether the request carries the advanced query parameters.
func compileFilter(src string, s *filterSchema, advanced bool) (func(Object) bool, *apiError) {
	n, err := parseFilter(src)
	if err != nil {
		return nil, newError(http.StatusBadRequest, codeBadRequest, "Invalid filter clause: %s", err.Error())
	}
	b := &binder{s: s, advanced: advanced, src: src, vars: map[string]collection{}}
	p, aerr := b.bindBool(n)
	if aerr != nil {
		return nil, aerr
	}
	return func(o Object) bool { return p(&evalEnv{root: o, vars: map[string]any{}}) }, nil
}

type binder struct {
	s        *filterSchema
	advanced bool
	src      string
	vars     map[string]collection
}

// invalid is a 400 for a filter that parses but does not type-check.
func (b *binder) invalid(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, codeBadRequest, "Invalid filter clause: "+format, args...)
}

// unsupported is the answer for a clause the service does not support.
func (b *binder) unsupported(prop string) *apiError {
	if b.s.directory {
		if prop == "" {
			return newError(http.StatusBadRequest, codeUnsupportedQuery, "Unsupported Query.")
		}
		return newError(http.StatusBadRequest, codeUnsupportedQuery,
			"Unsupported or invalid query filter clause specified for property '%s' of resource '%s'.", prop, b.s.resource)
	}
	if prop == "" {
		return b.invalid("The query specified in the filter is not supported.")
	}
	return b.invalid("The operation on property '%s' is not supported.", prop)
}

// needsAdvanced is the directory's answer for an operator that only works
// with ConsistencyLevel: eventual and $count=true.
func (b *binder) needsAdvanced(op string) *apiError {
	return newError(http.StatusBadRequest, codeUnsupportedQuery, msgAdvanced, op)
}

// allow checks that op may be used on f.
func (b *binder) allow(f field, op string) *apiError {
	for _, o := range f.ops {
		if o == op {
			return nil
		}
	}
	for _, o := range f.adv {
		if o == op {
			if b.s.directory && !b.advanced {
				return b.needsAdvanced(displayOp(op))
			}
			return nil
		}
	}
	return b.unsupported(f.name)
}

// displayOp spells an operator the way Graph's messages do.
func displayOp(op string) string {
	switch op {
	case "startswith":
		return "startsWith"
	case "endswith":
		return "endsWith"
	}
	return op
}

func odataOpKind(op string) string {
	switch op {
	case "eq":
		return "Equal"
	case "ne":
		return "NotEqual"
	case "gt":
		return "GreaterThan"
	case "ge":
		return "GreaterThanOrEqual"
	case "lt":
		return "LessThan"
	case "le":
		return "LessThanOrEqual"
	}
	return op
}

func (b *binder) bindBool(n node) (pred, *apiError) {
	switch x := n.(type) {
	case *binaryNode:
		switch x.op {
		case "and", "or":
			if x.op == "or" && b.s.noOr {
				return nil, b.unsupported("")
			}
			l, err := b.bindBool(x.left)
			if err != nil {
				return nil, err
			}
			r, err := b.bindBool(x.right)
			if err != nil {
				return nil, err
			}
			if x.op == "and" {
				return func(e *evalEnv) bool { return l(e) && r(e) }, nil
			}
			return func(e *evalEnv) bool { return l(e) || r(e) }, nil
		}
		return b.bindCompare(x)
	case *notNode:
		inner, err := b.bindBool(x.x)
		if err != nil {
			return nil, err
		}
		if !b.s.directory {
			return nil, b.unsupported("")
		}
		if !b.advanced {
			return nil, b.needsAdvanced("not")
		}
		return func(e *evalEnv) bool { return !inner(e) }, nil
	case *inNode:
		return b.bindIn(x)
	case *callNode:
		return b.bindCall(x)
	case *lambdaNode:
		return b.bindLambda(x)
	case *pathNode:
		op, err := b.operand(x)
		if err != nil {
			return nil, err
		}
		if op.f.typ != edmBool {
			return nil, b.invalid("The $filter expression must evaluate to a single boolean value.")
		}
		return nil, b.unsupported(op.f.name)
	case *literalNode:
		if x.kind != litBool {
			return nil, b.invalid("The $filter expression must evaluate to a single boolean value.")
		}
		return nil, b.unsupported("")
	}
	return nil, b.invalid("Syntax error at position %d in '%s'.", n.position(), b.src)
}

// operand is a property reference on the left of a comparison.
type operand struct {
	f     field
	get   func(*evalEnv) (any, bool)
	lower bool // wrapped in tolower()
}

// operand resolves a path or tolower(path).
func (b *binder) operand(n node) (operand, *apiError) {
	switch x := n.(type) {
	case *pathNode:
		return b.resolvePath(x)
	case *callNode:
		if x.name != "tolower" {
			if isBoolFunc(x.name) {
				return operand{}, b.unsupported("")
			}
			return operand{}, b.unknownFunction(x.name)
		}
		if len(x.args) != 1 {
			return operand{}, b.invalid("No function signature for the function with name 'tolower' matches the specified arguments.")
		}
		op, err := b.operand(x.args[0])
		if err != nil {
			return operand{}, err
		}
		if op.f.typ != edmString {
			return operand{}, b.invalid("No function signature for the function with name 'tolower' matches the specified arguments.")
		}
		if !b.s.tolower {
			return operand{}, b.unsupported(op.f.name)
		}
		op.lower = true
		return op, nil
	case *literalNode, *binaryNode, *notNode, *inNode, *lambdaNode:
		// Graph only filters "property op literal"; anything else, such as
		// 1 eq 1 smuggled in by an injection, is refused.
		return operand{}, b.unsupported("")
	}
	return operand{}, b.unsupported("")
}

func isBoolFunc(name string) bool {
	return name == "startswith" || name == "endswith" || name == "contains"
}

func (b *binder) unknownFunction(name string) *apiError {
	return b.invalid("An unknown function with name '%s' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.", name)
}

// resolvePath finds the field a path names.
func (b *binder) resolvePath(p *pathNode) (operand, *apiError) {
	if c, ok := b.vars[p.segs[0]]; ok {
		variable := p.segs[0]
		if len(p.segs) == 1 {
			if c.elem == nil {
				return operand{}, b.invalid("The range variable '%s' of a complex collection must be followed by a property.", variable)
			}
			return operand{f: *c.elem, get: func(e *evalEnv) (any, bool) {
				v, ok := e.vars[variable]
				return v, ok
			}}, nil
		}
		key := strings.ToLower(strings.Join(p.segs[1:], "/"))
		f, ok := c.props[key]
		if !ok {
			return operand{}, b.unsupported(c.name + "/" + strings.Join(p.segs[1:], "/"))
		}
		return operand{f: f, get: func(e *evalEnv) (any, bool) {
			elem, ok := e.vars[variable].(map[string]any)
			if !ok {
				return nil, false
			}
			return lookup(elem, f.wire)
		}}, nil
	}
	key := strings.ToLower(strings.Join(p.segs, "/"))
	if f, ok := b.s.fields[key]; ok {
		return operand{f: f, get: func(e *evalEnv) (any, bool) { return lookup(e.root, f.wire) }}, nil
	}
	if c, ok := b.s.colls[key]; ok {
		return operand{}, b.unsupported(c.name)
	}
	if b.s.known[strings.ToLower(p.segs[0])] {
		return operand{}, b.unsupported(strings.Join(p.segs, "/"))
	}
	return operand{}, b.invalid("Could not find a property named '%s' on type '%s'.", p.segs[0], b.s.typeName)
}

// literal checks that n is a literal of a type comparable with f.
func (b *binder) literal(n node, f field, op string) (*literalNode, *apiError) {
	lit, ok := n.(*literalNode)
	if !ok {
		return nil, b.unsupported(f.name)
	}
	if lit.kind == litNull {
		return lit, nil
	}
	if accepts(f.typ, lit.kind) {
		return lit, nil
	}
	return nil, b.invalid("A binary operator with incompatible types was detected. Found operand types '%s' and '%s' for operator kind '%s'.",
		f.typ, literalType(lit.kind), odataOpKind(op))
}

// accepts reports whether a literal of kind k compares with type t. A
// date-only literal compares with a DateTimeOffset, as in Microsoft's own
// provisioning example (activityDateTime gt 2022-12-10).
func accepts(t edmType, k literalKind) bool {
	switch t {
	case edmString:
		return k == litString
	case edmGUID:
		return k == litGUID
	case edmDateTime:
		return k == litDateTime || k == litDate
	case edmBool:
		return k == litBool
	case edmInt:
		return k == litNumber
	}
	return false
}

func literalType(k literalKind) string {
	switch k {
	case litGUID:
		return "Edm.Guid"
	case litDateTime:
		return "Edm.DateTimeOffset"
	case litDate:
		return "Edm.Date"
	case litNumber:
		return "Edm.Int32"
	case litBool:
		return "Edm.Boolean"
	case litNull:
		return "<null>"
	}
	return "Edm.String"
}

func (b *binder) bindCompare(x *binaryNode) (pred, *apiError) {
	op, err := b.operand(x.left)
	if err != nil {
		return nil, err
	}
	lit, err := b.literal(x.right, op.f, x.op)
	if err != nil {
		return nil, err
	}
	if err := b.allow(op.f, x.op); err != nil {
		return nil, err
	}
	// Directory strings compare without regard to case
	// (https://learn.microsoft.com/graph/filter-query-parameter finds
	// "Mary" with 'mary'); reporting strings only through tolower().
	ci := b.s.directory || op.lower
	cmp := x.op
	return func(e *evalEnv) bool {
		v, ok := op.get(e)
		return compare(op.f.typ, v, ok, cmp, lit, ci)
	}, nil
}

func (b *binder) bindIn(x *inNode) (pred, *apiError) {
	op, err := b.operand(x.left)
	if err != nil {
		return nil, err
	}
	var lits []*literalNode
	for _, item := range x.items {
		lit, err := b.literal(item, op.f, "eq")
		if err != nil {
			return nil, err
		}
		lits = append(lits, lit)
	}
	if err := b.allow(op.f, "in"); err != nil {
		return nil, err
	}
	ci := b.s.directory || op.lower
	return func(e *evalEnv) bool {
		v, ok := op.get(e)
		for _, lit := range lits {
			if compare(op.f.typ, v, ok, "eq", lit, ci) {
				return true
			}
		}
		return false
	}, nil
}

func (b *binder) bindCall(x *callNode) (pred, *apiError) {
	if !isBoolFunc(x.name) {
		if x.name == "tolower" || x.name == "toupper" || x.name == "trim" || x.name == "substring" {
			return nil, b.invalid("The $filter expression must evaluate to a single boolean value.")
		}
		return nil, b.unknownFunction(x.name)
	}
	if len(x.args) != 2 {
		return nil, b.invalid("No function signature for the function with name '%s' matches the specified arguments. The function signatures considered are: %s(Edm.String Nullable=true, Edm.String Nullable=true).", x.name, x.name)
	}
	op, err := b.operand(x.args[0])
	if err != nil {
		return nil, err
	}
	if op.f.typ != edmString {
		return nil, b.invalid("No function signature for the function with name '%s' matches the specified arguments. The function signatures considered are: %s(Edm.String Nullable=true, Edm.String Nullable=true).", x.name, x.name)
	}
	lit, ok := x.args[1].(*literalNode)
	if !ok || lit.kind != litString {
		if ok {
			return nil, b.invalid("No function signature for the function with name '%s' matches the specified arguments. The function signatures considered are: %s(Edm.String Nullable=true, Edm.String Nullable=true).", x.name, x.name)
		}
		return nil, b.unsupported(op.f.name)
	}
	if err := b.allow(op.f, x.name); err != nil {
		return nil, err
	}
	ci := b.s.directory || op.lower
	needle := lit.text
	if ci {
		needle = strings.ToLower(needle)
	}
	fn := x.name
	return func(e *evalEnv) bool {
		v, ok := op.get(e)
		s, isStr := v.(string)
		if !ok || !isStr {
			return false
		}
		if ci {
			s = strings.ToLower(s)
		}
		switch fn {
		case "startswith":
			return strings.HasPrefix(s, needle)
		case "endswith":
			return strings.HasSuffix(s, needle)
		}
		return strings.Contains(s, needle)
	}, nil
}

func (b *binder) bindLambda(x *lambdaNode) (pred, *apiError) {
	key := strings.ToLower(strings.Join(x.coll.segs, "/"))
	c, ok := b.s.colls[key]
	if !ok {
		if f, isField := b.s.fields[key]; isField {
			return nil, b.invalid("The Any/All query expression can only be applied to collection properties; '%s' is not a collection.", f.name)
		}
		if b.s.known[strings.ToLower(x.coll.segs[0])] {
			return nil, b.unsupported(strings.Join(x.coll.segs, "/"))
		}
		return nil, b.invalid("Could not find a property named '%s' on type '%s'.", x.coll.segs[0], b.s.typeName)
	}
	if x.fn == "all" || x.body == nil {
		return nil, b.unsupported(c.name)
	}
	if _, clash := b.vars[x.variable]; clash {
		return nil, b.invalid("The range variable '%s' has already been declared.", x.variable)
	}
	b.vars[x.variable] = c
	body, err := b.bindBool(x.body)
	delete(b.vars, x.variable)
	if err != nil {
		return nil, err
	}
	variable := x.variable
	return func(e *evalEnv) bool {
		v, ok := lookup(e.root, c.wire)
		items, isList := v.([]any)
		if !ok || !isList {
			return false
		}
		saved, had := e.vars[variable]
		defer func() {
			if had {
				e.vars[variable] = saved
			} else {
				delete(e.vars, variable)
			}
		}()
		for _, item := range items {
			e.vars[variable] = item
			if body(e) {
				return true
			}
		}
		return false
	}, nil
}
