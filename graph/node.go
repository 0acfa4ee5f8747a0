package graph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
)

// This file walks kiota's own JSON parse nodes (the ones msgraph-sdk-go
// decodes every answer with) leniently. The SDK's generated models decode
// strictly: an enum value they do not know ("Import", "stageddelete",
// "somethingNew") silently becomes nil, and one empty-string timestamp
// fails the whole object and with it the whole page. Provisioning logs
// and jobs are therefore fetched as raw bytes and walked here, field by
// field, keeping the raw spelling of every enum. Offline files go through
// the same code.

// jnode is a possibly absent JSON value.
type jnode struct{ n absser.ParseNode }

// parseJSON parses a whole document with kiota's JsonParseNode. Invalid
// JSON (including trailing data after the document) is refused with the
// position of the first error.
func parseJSON(data []byte) (jnode, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return jnode{}, errors.New("malformed JSON: the document is empty")
	}
	n, err := jsonser.NewJsonParseNode(data)
	if err != nil {
		if !json.Valid(data) {
			return jnode{}, fmt.Errorf("malformed JSON: %s", syntaxError(data))
		}
		return jnode{}, fmt.Errorf("malformed JSON: %w", err)
	}
	return jnode{n: n}, nil
}

// syntaxError describes where data stops being JSON.
func syntaxError(data []byte) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
		}
		return err.Error()
	}
	at := int(dec.InputOffset())
	for at < len(data) && strings.ContainsRune(" \t\r\n", rune(data[at])) {
		at++
	}
	return fmt.Sprintf("unexpected data after the JSON document (at byte %d)", at)
}

// kind is the JSON type of a value.
type kind int

const (
	kindNull kind = iota
	kindString
	kindBool
	kindNumber
	kindArray
	kindObject
)

// kind finds the value's JSON type. kiota's ParseNode has no method for
// it: the fast path reads the type of JsonParseNode's value field by
// reflection; should kiota rename the field, the typed getters, whose
// mismatch errors cost a formatted message each, decide instead
// (GetRawValue would copy a whole subtree).
func (j jnode) kind() kind {
	if isNilNode(j.n) {
		return kindNull
	}
	if k, ok := reflectKind(j.n); ok {
		return k
	}
	if s, err := j.n.GetStringValue(); err == nil && s != nil {
		return kindString
	}
	if b, err := j.n.GetBoolValue(); err == nil && b != nil {
		return kindBool
	}
	if f, err := j.n.GetFloat64Value(); err == nil && f != nil {
		return kindNumber
	}
	if _, err := j.n.GetCollectionOfObjectValues(captureNothing); err == nil {
		return kindArray
	}
	return kindObject
}

// reflectKind reads the JSON type from the dynamic type of kiota's
// JsonParseNode.value; ok is false when the node does not look like that.
func reflectKind(n absser.ParseNode) (k kind, ok bool) {
	v := reflect.ValueOf(n)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return 0, false
	}
	f := v.Elem().FieldByName("value")
	if !f.IsValid() || f.Kind() != reflect.Interface {
		return 0, false
	}
	if f.IsNil() {
		return kindNull, true
	}
	t := f.Elem().Type()
	switch t.Kind() {
	case reflect.Map:
		return kindObject, true
	case reflect.Slice:
		return kindArray, true
	case reflect.Pointer:
		switch t.Elem().Kind() {
		case reflect.String:
			return kindString, true
		case reflect.Bool:
			return kindBool, true
		case reflect.Int64, reflect.Float64, reflect.Int32, reflect.Float32, reflect.Int8, reflect.Uint8:
			return kindNumber, true
		}
	}
	return 0, false
}

// raw returns the node's value as kiota holds it: nil, *string, *int64,
// *float64, *bool, map[string]any or []any.
func (j jnode) raw() any {
	if isNilNode(j.n) {
		return nil
	}
	v, err := j.n.GetRawValue()
	if err != nil {
		return nil
	}
	return v
}

// isNilNode reports whether a parse node is absent or JSON null: kiota
// represents null as a nil *JsonParseNode, often inside a non-nil
// interface.
func isNilNode(n absser.ParseNode) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// null reports whether the value is absent or null.
func (j jnode) null() bool { return isNilNode(j.n) }

// child returns the member key of an object (absent for anything else).
func (j jnode) child(key string) jnode {
	if isNilNode(j.n) {
		return jnode{}
	}
	c, err := j.n.GetChildNode(key)
	if err != nil || isNilNode(c) {
		return jnode{}
	}
	return jnode{n: c}
}

// first returns the first present, non-null member among keys.
func (j jnode) first(keys ...string) jnode {
	for _, k := range keys {
		if c := j.child(k); !c.null() {
			return c
		}
	}
	return jnode{}
}

// isObject reports whether the value is a JSON object.
func (j jnode) isObject() bool { return j.kind() == kindObject }

// text returns the value as a string: strings as they are, numbers and
// booleans in JSON notation, objects and arrays as compact JSON; "" for
// null.
func (j jnode) text() string {
	switch j.kind() {
	case kindNull:
		return ""
	case kindString:
		s, _ := j.n.GetStringValue()
		return deref(s)
	}
	return rawText(j.raw())
}

// str returns member key as text.
func (j jnode) str(key string) string { return j.child(key).text() }

// strOf returns the first non-empty text among members keys.
func (j jnode) strOf(keys ...string) string {
	for _, k := range keys {
		if s := j.str(k); s != "" {
			return s
		}
	}
	return ""
}

// int returns member key as an integer, accepting numbers and numeric
// strings.
func (j jnode) int(key string) int64 {
	c := j.child(key)
	if k := c.kind(); k != kindNumber && k != kindString {
		return 0
	}
	switch v := c.raw().(type) {
	case *int64:
		return *v
	case *float64:
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			return 0
		}
		return int64(*v)
	case *string:
		if n, err := strconv.ParseInt(strings.TrimSpace(*v), 10, 64); err == nil {
			return n
		}
		if f, err := strconv.ParseFloat(strings.TrimSpace(*v), 64); err == nil {
			return int64(f)
		}
	}
	return 0
}

// bool returns member key as a boolean, accepting true/false and the
// strings "true"/"false" in any case.
func (j jnode) bool(key string) bool {
	c := j.child(key)
	if k := c.kind(); k != kindBool && k != kindString {
		return false
	}
	switch v := c.raw().(type) {
	case *bool:
		return *v
	case *string:
		b, _ := strconv.ParseBool(strings.TrimSpace(*v))
		return b
	}
	return false
}

// time returns member key as a UTC time; see parseTime.
func (j jnode) time(key string) time.Time { return parseTime(j.str(key)) }

// elements returns the elements of an array and whether the value is
// one.
func (j jnode) elements() ([]jnode, bool) {
	if isNilNode(j.n) {
		return nil, false
	}
	var out []jnode
	_, err := j.n.GetCollectionOfObjectValues(func(n absser.ParseNode) (absser.Parsable, error) {
		out = append(out, jnode{n: n})
		return capturedNode{}, nil
	})
	if err != nil {
		return nil, false
	}
	return out, true
}

// items returns the elements of an array; a single object stands for a
// one-element array (Graph's documentation shows some single objects as
// collections and the reverse).
func (j jnode) items() []jnode {
	if els, ok := j.elements(); ok {
		return els
	}
	if j.isObject() {
		return []jnode{j}
	}
	return nil
}

// one returns an object, or the first object in an array.
func (j jnode) one() jnode {
	els, ok := j.elements()
	if !ok {
		return j
	}
	for _, it := range els {
		if it.isObject() {
			return it
		}
	}
	return jnode{}
}

// stringMap returns an object's members as strings (see text); nil when
// the object is absent or empty.
func (j jnode) stringMap() map[string]string {
	if j.kind() != kindObject {
		return nil
	}
	m, ok := j.raw().(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = rawText(v)
	}
	return out
}

// captureNothing is a factory for kind's array probe.
func captureNothing(absser.ParseNode) (absser.Parsable, error) { return capturedNode{}, nil }

// capturedNode is the Parsable the items walker hands kiota: it declares
// no fields, so kiota deserializes nothing and the walker keeps the node.
type capturedNode struct{}

// Serialize writes nothing.
func (capturedNode) Serialize(absser.SerializationWriter) error { return nil }

// GetFieldDeserializers declares no fields.
func (capturedNode) GetFieldDeserializers() map[string]func(absser.ParseNode) error {
	return map[string]func(absser.ParseNode) error{}
}

// rawText renders one of kiota's raw values as text.
func rawText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case *string:
		if x == nil {
			return ""
		}
		return *x
	case *int64:
		if x == nil {
			return ""
		}
		return strconv.FormatInt(*x, 10)
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	case *bool:
		if x == nil {
			return ""
		}
		return strconv.FormatBool(*x)
	case map[string]any, []any:
		data, err := json.Marshal(plain(x))
		if err != nil {
			return ""
		}
		return string(data)
	}
	return fmt.Sprint(v)
}

// plain converts kiota's raw values (pointers) to plain Go values, with
// map keys sorted by encoding/json.
func plain(v any) any {
	switch x := v.(type) {
	case *string:
		return deref(x)
	case *int64:
		return deref(x)
	case *float64:
		return deref(x)
	case *bool:
		return deref(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plain(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// timeLayouts are the timestamp forms Graph and saved files use.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999", // no zone: UTC (kiota would use the local zone)
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseTime parses a Graph timestamp into UTC. "", "0001-01-01T00:00:00Z"
// and anything unparseable are the zero time, which package diagnose
// reads as "never".
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() <= 1 {
				return time.Time{}
			}
			return t.UTC()
		}
	}
	return time.Time{}
}
