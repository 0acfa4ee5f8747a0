package teamsrender

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// cardContentType is the content type of an Adaptive Card attachment and
// of an invoke response that replaces a card.
const cardContentType = "application/vnd.microsoft.card.adaptive"

// Cards returns the Adaptive Cards in data, a JSON file: the file itself
// when it is a card, the card attachments of a message activity, or the
// card of an invoke response. Other JSON (an inbound activity, an error
// response) holds no card. A card attachment whose content has no "type"
// (a placeholder in an example) is left out.
func Cards(data []byte) ([]json.RawMessage, error) {
	var doc struct {
		Type        string          `json:"type"`
		Value       json.RawMessage `json:"value"`
		Attachments []struct {
			ContentType string          `json:"contentType"`
			Content     json.RawMessage `json:"content"`
		} `json:"attachments"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	switch {
	case doc.Type == "AdaptiveCard":
		return []json.RawMessage{data}, nil
	case doc.Type == cardContentType && len(doc.Value) > 0:
		return []json.RawMessage{doc.Value}, nil
	}
	var cards []json.RawMessage
	for _, a := range doc.Attachments {
		if a.ContentType != cardContentType {
			continue
		}
		var typed struct {
			Type *string `json:"type"`
		}
		if err := json.Unmarshal(a.Content, &typed); err != nil || typed.Type == nil {
			continue
		}
		cards = append(cards, a.Content)
	}
	return cards, nil
}

// LoadCards reads the cards of every *.json file in dir (see [Cards]),
// keyed by file name, with "#N" after it for the Nth card of a file that
// holds more than one. It fails t on a file that is not JSON.
func LoadCards(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	cards := make(map[string][]byte)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		found, err := Cards(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		for i, c := range found {
			key := name
			if len(found) > 1 {
				key = fmt.Sprintf("%s#%d", name, i+1)
			}
			cards[key] = c
		}
	}
	return cards
}
