package storetest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/provbot/provbot/store"
)

func testConversations(t *testing.T, b Backend) {
	s := b.New(t)()
	c := ctx(t)
	ref := []byte(`{"conversation":{"id":"a:1"},"serviceUrl":"https://smba.trafficmanager.net/emea/"}`)
	must(t, "put", s.PutConversation(c, "user:adele", ref))
	got, err := s.Conversation(c, "user:adele")
	if err != nil || !bytes.Equal(got, ref) {
		t.Errorf("get = %q, %v; want what was put", got, err)
	}
	// Replacing keeps one reference, the newest.
	ref2 := []byte(`{"conversation":{"id":"a:2"}}`)
	must(t, "replace", s.PutConversation(c, "user:adele", ref2))
	if got, _ := s.Conversation(c, "user:adele"); !bytes.Equal(got, ref2) {
		t.Errorf("after replace = %q, want %q", got, ref2)
	}
	// Keys are exact: another case is another key.
	if _, err := s.Conversation(c, "user:ADELE"); err == nil {
		t.Error("a key in another case found the reference")
	}
	must(t, "delete", s.DeleteConversation(c, "user:adele"))
	_, err = s.Conversation(c, "user:adele")
	wantErr(t, "get after delete", err, store.ErrNotFound)
	must(t, "delete again", s.DeleteConversation(c, "user:adele"))

	// A reference as large as allowed goes in; a larger one does not.
	big := []byte(strings.Repeat("x", store.MaxValue))
	must(t, "put largest", s.PutConversation(c, "big", big))
	if got, _ := s.Conversation(c, "big"); !bytes.Equal(got, big) {
		t.Errorf("largest reference came back %d bytes", len(got))
	}
	wantErr(t, "put too large", s.PutConversation(c, "big", append(big, 'x')), store.ErrInvalid)
}
