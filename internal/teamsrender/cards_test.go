package teamsrender_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/provbot/provbot/internal/teamsrender"
)

func TestCardsFindsTheCardsInAFile(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		want []string // the "version" of each card found, in order
	}{
		{"a card", `{"type": "AdaptiveCard", "version": "1.5", "body": []}`, []string{"1.5"}},
		{"a message with two card attachments and an image", `{"type": "message", "attachments": [
			{"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.4"}},
			{"contentType": "image/png", "contentUrl": "https://example.com/a.png"},
			{"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.5"}}]}`,
			[]string{"1.4", "1.5"}},
		{"an example's placeholder attachment", `{"type": "message", "attachments": [
			{"contentType": "application/vnd.microsoft.card.adaptive", "content": {"$comment": "put a card here"}}]}`, nil},
		{"an invoke response that replaces the card", `{"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive",
			"value": {"type": "AdaptiveCard", "version": "1.3"}}`, []string{"1.3"}},
		{"an invoke response with a message", `{"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": "Done."}`, nil},
		{"an inbound activity", `{"type": "invoke", "name": "adaptiveCard/action", "value": {"action": {"type": "Action.Execute"}}}`, nil},
		{"a JSON array", `[]`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cards, err := teamsrender.Cards([]byte(tc.file))
			if tc.name == "a JSON array" {
				if err == nil {
					t.Fatal("no error for a JSON array")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cards {
				var v struct{ Version string }
				if err := json.Unmarshal(c, &v); err != nil {
					t.Fatal(err)
				}
				got = append(got, v.Version)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("card versions = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLoadCardsNamesCardsByFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("one.json", `{"type": "AdaptiveCard", "version": "1.5"}`)
	write("two.json", `{"type": "message", "attachments": [
		{"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.5"}},
		{"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.5"}}]}`)
	write("none.json", `{"statusCode": 400, "type": "application/vnd.microsoft.error", "value": {"code": "BadRequest"}}`)
	write("notes.txt", `not JSON, not read`)
	cards := teamsrender.LoadCards(t, dir)
	var names []string
	for name := range cards {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"one", "two#1", "two#2"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names = %q, want %q", names, want)
	}
}
