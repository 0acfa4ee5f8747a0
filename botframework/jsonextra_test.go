package botframework

import (
	"encoding/json"
	"testing"
)

func TestEncodeExtraSkipsMembersThatShadowFields(t *testing.T) {
	a := Activity{Type: "message", Extra: map[string]json.RawMessage{
		"Type":     json.RawMessage(`"shadow"`),
		"newField": json.RawMessage(`1`),
	}}
	out, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), `{"type":"message","newField":1}`; got != want {
		t.Errorf("encoded %s, want %s", got, want)
	}
}

func TestEncodeExtraOnAnEmptyObject(t *testing.T) {
	out, err := json.Marshal(ChannelAccount{Extra: map[string]json.RawMessage{"email": json.RawMessage(`"a@b.c"`)}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), `{"email":"a@b.c"}`; got != want {
		t.Errorf("encoded %s, want %s", got, want)
	}
}

func TestEncodeExtraRejectsInvalidJSON(t *testing.T) {
	_, err := json.Marshal(Entity{Type: "x", Extra: map[string]json.RawMessage{"bad": json.RawMessage(`{`)}})
	if err == nil {
		t.Error("invalid extra member encoded without error")
	}
}

func TestDecodeExtraAcceptsNull(t *testing.T) {
	var a struct {
		From ChannelAccount `json:"from"`
	}
	if err := json.Unmarshal([]byte(`{"from":null}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.From.ID != "" || a.From.Extra != nil {
		t.Errorf("from = %+v", a.From)
	}
}
