package fakegraph

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Evaluation of bound filters against stored JSON objects (see
// filter_bind.go for the binding).

// lookup walks a JSON path, matching keys exactly first and then without
// regard to case (directoryAudit targetResources carry both "type" and
// "Type" in Microsoft's own samples).
func lookup(o map[string]any, path []string) (any, bool) {
	var cur any = o
	for _, seg := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		v, ok := m[seg]
		if !ok {
			found := false
			for k, kv := range m {
				if strings.EqualFold(k, seg) {
					v, found = kv, true
					break
				}
			}
			if !found {
				return nil, false
			}
		}
		cur = v
	}
	return cur, true
}

// compare evaluates "value op lit" for a property of type t. present is
// false when the property is missing; ci folds case for strings.
func compare(t edmType, v any, present bool, op string, lit *literalNode, ci bool) bool {
	isNull := !present || v == nil
	if lit.kind == litNull {
		switch op {
		case "eq":
			return isNull
		case "ne":
			return !isNull
		}
		return false
	}
	if isNull {
		return op == "ne"
	}
	c, ok := order(t, v, lit, ci)
	if !ok {
		return op == "ne"
	}
	switch op {
	case "eq":
		return c == 0
	case "ne":
		return c != 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	}
	return false
}

// order compares a value with a literal: -1, 0 or 1, and false when the
// value has the wrong type or does not parse (an "" date compares with
// nothing).
func order(t edmType, v any, lit *literalNode, ci bool) (int, bool) {
	switch t {
	case edmString:
		s, ok := v.(string)
		if !ok {
			return 0, false
		}
		want := lit.text
		if ci {
			s, want = strings.ToLower(s), strings.ToLower(want)
		}
		return strings.Compare(s, want), true
	case edmGUID:
		s, ok := v.(string)
		if !ok {
			return 0, false
		}
		return strings.Compare(strings.ToLower(s), strings.ToLower(lit.text)), true
	case edmDateTime:
		s, ok := v.(string)
		if !ok {
			return 0, false
		}
		got, ok := parseDateTime(s)
		if !ok {
			return 0, false
		}
		want, ok := literalTime(lit)
		if !ok {
			return 0, false
		}
		return got.Compare(want), true
	case edmBool:
		got, ok := v.(bool)
		if !ok {
			return 0, false
		}
		want := lit.text == "true"
		switch {
		case got == want:
			return 0, true
		case !got:
			return -1, true
		}
		return 1, true
	case edmInt:
		got, ok := number(v)
		if !ok {
			return 0, false
		}
		want, err := strconv.ParseFloat(lit.text, 64)
		if err != nil {
			return 0, false
		}
		switch {
		case got < want:
			return -1, true
		case got > want:
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func literalTime(lit *literalNode) (time.Time, bool) {
	if lit.kind == litDate {
		t, err := time.Parse(time.DateOnly, lit.text)
		return t, err == nil
	}
	return parseDateTime(lit.text)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}
