package main

import (
	"reflect"

	"github.com/provbot/provbot/internal/escape"
)

// forTerminal returns a deep copy of v in which every string has been
// through escape.Terminal. It is the one point where data (names, log
// fields, app messages) meets the terminal renderers: the text and
// Markdown diagnoses, the status panels and the logs table take what it
// returns, and then add their own colours. Reflection reaches every
// exported field, fields added later included; v must not hold cycles.
func forTerminal[T any](v T) T {
	rv := reflect.ValueOf(&v).Elem()
	rv.Set(cleanCopy(rv))
	return v
}

// cleanCopy copies v, cleaning its strings; unexported fields (a
// time.Time's insides) and interfaces are copied as they are.
func cleanCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.String:
		out := reflect.New(v.Type()).Elem()
		out.SetString(escape.Terminal(v.String()))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(cleanCopy(v.Elem()))
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(cleanCopy(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			out.Index(i).Set(cleanCopy(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(cleanCopy(it.Key()), cleanCopy(it.Value()))
		}
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			if f := out.Field(i); f.CanSet() {
				f.Set(cleanCopy(v.Field(i)))
			}
		}
		return out
	}
	return v
}
