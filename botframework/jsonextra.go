package botframework

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// knownFieldsCache maps a struct type to the JSON member names its fields
// decode (the name part of each json tag, or the Go field name).
var knownFieldsCache sync.Map // reflect.Type → []string

// knownFields returns the JSON member names of struct type t.
func knownFields(t reflect.Type) []string {
	if v, ok := knownFieldsCache.Load(t); ok {
		return v.([]string)
	}
	var names []string
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	knownFieldsCache.Store(t, names)
	return names
}

// isKnownField reports whether member matches one of known the way
// encoding/json matches object keys to fields (case-insensitively).
func isKnownField(known []string, member string) bool {
	return slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, member) })
}

// decodeExtra decodes data into v, a pointer to a struct without custom
// unmarshalling (an alias type), and returns the object members that none of
// its fields holds, so that they can be written back unchanged.
func decodeExtra(data []byte, v any) (map[string]json.RawMessage, error) {
	if err := json.Unmarshal(data, v); err != nil {
		return nil, err
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil, nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, err
	}
	known := knownFields(reflect.TypeOf(v).Elem())
	for name := range members {
		if isKnownField(known, name) {
			delete(members, name)
		}
	}
	if len(members) == 0 {
		return nil, nil
	}
	return members, nil
}

// encodeExtra marshals v, a struct value without custom marshalling (an
// alias type), and appends the members of extra that v has no field for.
func encodeExtra(v any, extra map[string]json.RawMessage) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil || len(extra) == 0 {
		return data, err
	}
	known := knownFields(reflect.TypeOf(v))
	names := make([]string, 0, len(extra))
	for name := range extra {
		if !isKnownField(known, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var b bytes.Buffer
	b.Write(data[:len(data)-1]) // without the closing brace
	needComma := !bytes.Equal(bytes.TrimSpace(data), []byte("{}"))
	for _, name := range names {
		raw := extra[name]
		if !json.Valid(raw) {
			return nil, fmt.Errorf("extra member %q is not valid JSON", name)
		}
		key, err := json.Marshal(name)
		if err != nil {
			return nil, err
		}
		if needComma {
			b.WriteByte(',')
		}
		needComma = true
		b.Write(key)
		b.WriteByte(':')
		b.Write(raw)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
