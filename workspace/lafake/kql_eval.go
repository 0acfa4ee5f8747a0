package lafake

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// truthy is KQL's boolean reading of a value: only true is true.
func truthy(v any) bool { b, ok := v.(bool); return ok && b }

// text returns a value as tostring() does: strings as they are, null as
// "", JSON as compact JSON, datetimes in the API's format.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return formatTime(x)
	case time.Duration:
		return x.String()
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// formatTime writes a datetime the way the API returns it: UTC with
// seven fractional digits.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.0000000Z") }

// compare orders two values of the same kind; mixed kinds compare by
// their text.
func compare(a, b any) int {
	switch x := a.(type) {
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	case float64:
		if y, ok := b.(float64); ok {
			return cmp.Compare(x, y)
		}
	case time.Duration:
		if y, ok := b.(time.Duration); ok {
			return cmp.Compare(x, y)
		}
	}
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		default:
			return 1
		}
	}
	return strings.Compare(text(a), text(b))
}

// binary compiles a comparison.
func binary(op string, l, r fn) fn {
	return func(rec record) any {
		a, b := l(rec), r(rec)
		switch op {
		case "==":
			return a != nil && b != nil && compare(a, b) == 0
		case "!=":
			return a != nil && b != nil && compare(a, b) != 0
		case "=~":
			return strings.EqualFold(text(a), text(b))
		case "!~":
			return !strings.EqualFold(text(a), text(b))
		case "<":
			return a != nil && b != nil && compare(a, b) < 0
		case "<=":
			return a != nil && b != nil && compare(a, b) <= 0
		case ">":
			return a != nil && b != nil && compare(a, b) > 0
		case ">=":
			return a != nil && b != nil && compare(a, b) >= 0
		case "contains":
			return strings.Contains(strings.ToLower(text(a)), strings.ToLower(text(b)))
		case "!contains":
			return !strings.Contains(strings.ToLower(text(a)), strings.ToLower(text(b)))
		case "contains_cs":
			return strings.Contains(text(a), text(b))
		case "startswith":
			return strings.HasPrefix(strings.ToLower(text(a)), strings.ToLower(text(b)))
		case "has":
			return hasTerm(text(a), text(b))
		}
		return false
	}
}

// hasTerm is has: the needle appears in the haystack on term boundaries
// (letters and digits make terms), ignoring case.
func hasTerm(hay, needle string) bool {
	if needle == "" {
		return false
	}
	h, n := strings.ToLower(hay), strings.ToLower(needle)
	isTerm := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; ; {
		j := strings.Index(h[i:], n)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(n)
		before := start == 0 || !isTerm(rune(h[start-1]))
		after := end == len(h) || !isTerm(rune(h[end]))
		if before && after {
			return true
		}
		i = start + 1
	}
}

// member reads a property of a dynamic value (case-sensitive, as KQL).
func member(v any, name string) any {
	if m, ok := v.(map[string]any); ok {
		return m[name]
	}
	return nil
}

// index reads an element or property of a dynamic value.
func index(v any, k any) any {
	switch x := v.(type) {
	case map[string]any:
		return x[text(k)]
	case []any:
		f, ok := k.(float64)
		if !ok {
			return nil
		}
		i := int(f)
		if i < 0 {
			i += len(x)
		}
		if i < 0 || i >= len(x) {
			return nil
		}
		return x[i]
	}
	return nil
}

// functions returns a scalar function and its arity.
func functions(name string, now time.Time) (func([]any) any, int, bool) {
	switch name {
	case "base64_decode_tostring":
		return func(a []any) any {
			b, err := base64.StdEncoding.DecodeString(text(a[0]))
			if err != nil {
				return nil
			}
			return string(b)
		}, 1, true
	case "tostring":
		return func(a []any) any { return text(a[0]) }, 1, true
	case "tolower":
		return func(a []any) any { return strings.ToLower(text(a[0])) }, 1, true
	case "toupper":
		return func(a []any) any { return strings.ToUpper(text(a[0])) }, 1, true
	case "parse_json":
		return func(a []any) any {
			s, ok := a[0].(string)
			if !ok {
				return a[0]
			}
			var out any
			if err := json.Unmarshal([]byte(s), &out); err != nil {
				return s
			}
			return out
		}, 1, true
	case "isempty":
		return func(a []any) any { return text(a[0]) == "" }, 1, true
	case "isnotempty":
		return func(a []any) any { return text(a[0]) != "" }, 1, true
	case "ago":
		return func(a []any) any {
			d, ok := a[0].(time.Duration)
			if !ok {
				return nil
			}
			return now.Add(-d)
		}, 1, true
	case "now":
		return func([]any) any { return now }, 0, true
	}
	return nil, 0, false
}

// sortStable sorts records stably.
func sortStable(rs []record, f func(a, b record) int) { slices.SortStableFunc(rs, f) }
