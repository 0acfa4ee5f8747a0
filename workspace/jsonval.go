package workspace

import (
	"encoding/json"
	"strconv"
	"strings"
)

// jval is a decoded JSON value of an AADProvisioningLogs column, read
// tolerantly: the table keeps objects as JSON inside string columns, and
// the keys inside are spelled differently from Graph's and from one
// column to the next (Id and id, Name and displayName, details and
// Details).
type jval struct{ v any }

// parseCell reads a cell: a string holding JSON (the usual case; the query
// API returns string and dynamic columns alike as strings) is decoded, an
// object or array the SDK already decoded is taken as it is, and any other
// string stays a string.
func parseCell(v any) jval {
	s, ok := v.(string)
	if !ok {
		return jval{v}
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return jval{nil}
	}
	if t[0] == '{' || t[0] == '[' {
		var out any
		if err := json.Unmarshal([]byte(t), &out); err == nil {
			return jval{out}
		}
	}
	return jval{s}
}

// isObject reports whether the value is a JSON object.
func (j jval) isObject() bool { _, ok := j.v.(map[string]any); return ok }

// get returns the first of keys present, comparing keys without regard to
// case; JSON null counts as absent.
func (j jval) get(keys ...string) jval {
	m, ok := j.v.(map[string]any)
	if !ok {
		return jval{}
	}
	for _, k := range keys {
		if v, ok := m[k]; ok && v != nil {
			return jval{v}
		}
	}
	for _, k := range keys {
		for mk, v := range m {
			if v != nil && strings.EqualFold(mk, k) {
				return jval{v}
			}
		}
	}
	return jval{}
}

// str returns the value as text: strings as they are, numbers and
// booleans as JSON writes them, objects and arrays as compact JSON, null
// as "".
func (j jval) str() string {
	switch v := j.v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return v.String()
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	}
}

// items returns the elements of an array (also of an array kept as JSON
// inside a string).
func (j jval) items() []jval {
	v := j
	if s, ok := j.v.(string); ok {
		v = parseCell(s)
	}
	arr, ok := v.v.([]any)
	if !ok {
		return nil
	}
	out := make([]jval, len(arr))
	for i, e := range arr {
		out[i] = jval{e}
	}
	return out
}

// object returns the value as an object, decoding an object kept as JSON
// inside a string.
func (j jval) object() jval {
	if s, ok := j.v.(string); ok {
		return parseCell(s)
	}
	return j
}

// stringMap returns an object's members as text (nil for anything else).
// Values that are themselves JSON (ScopeEvaluationResult) stay JSON text,
// as Graph sends them.
func (j jval) stringMap() map[string]string {
	m, ok := j.object().v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = jval{v}.str()
	}
	return out
}
