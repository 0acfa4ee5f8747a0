package graph

import "testing"

func TestKindReadsEveryJSONType(t *testing.T) {
	root, err := parseJSON([]byte(`{"s": "x", "b": true, "i": 3, "f": 1.5, "a": [1], "o": {"k": 1}, "e": {}, "n": null}`))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]kind{
		"s": kindString, "b": kindBool, "i": kindNumber, "f": kindNumber,
		"a": kindArray, "o": kindObject, "e": kindObject, "n": kindNull, "missing": kindNull,
	} {
		c := root.child(key)
		if got := c.kind(); got != want {
			t.Errorf("kind(%s) = %v, want %v", key, got, want)
		}
		// The reflection fast path must agree with kiota's typed getters;
		// if kiota renames its field the fast path reports !ok and this
		// still passes on the getters alone.
		if k, ok := reflectKind(c.n); ok && k != want && !c.null() {
			t.Errorf("reflectKind(%s) = %v, want %v", key, k, want)
		}
	}
	if _, ok := reflectKind(root.n); !ok {
		t.Log("kiota's JsonParseNode no longer has a value field: kind falls back to the typed getters")
	}
}
