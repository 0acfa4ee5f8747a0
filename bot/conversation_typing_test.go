package bot_test

import (
	"testing"
	"time"
)

// TestTheLookupDoesNotWaitForTheTypingIndicator: against the real Bot
// Connector the typing indicator is a full Internet round trip; the lookup
// must start while it is on its way, and the card still comes after it.
func TestTheLookupDoesNotWaitForTheTypingIndicator(t *testing.T) {
	h := newConvHarness(t)
	release := h.connector.Hold()
	defer release()
	body := h.activity("teams/teams-message-personal.json", func(m map[string]any) {
		m["text"] = "why can't I get into ServiceNow?"
		delete(m, "attachments")
		m["from"].(map[string]any)["aadObjectId"] = meganID
	})
	if status, _ := h.postSigned(body); status != 200 {
		t.Fatalf("POST status %d", status)
	}
	typing := h.connector.WaitForCall(t, 1, waitLimit)
	if typing.Body["type"] != "typing" {
		t.Fatalf("first call is a %v, want the typing indicator", typing.Body["type"])
	}
	deadline := time.Now().Add(waitLimit)
	for h.dir.gathers.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the lookup waited for the typing indicator's answer")
		}
		time.Sleep(5 * time.Millisecond)
	}
	release()
	card := h.waitReply(t, 0)
	if card == nil {
		t.Fatal("no card")
	}
	if calls := h.connector.Calls(); calls[0].Body["type"] != "typing" || len(calls) < 2 {
		t.Errorf("calls %d, want the typing indicator first", len(calls))
	}
}
