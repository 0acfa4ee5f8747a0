package botframework_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

func TestAcknowledgementDoesNotWaitForTheHandler(t *testing.T) {
	acked := make(chan struct{})
	replied := make(chan error, 1)
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		select {
		case <-acked:
		case <-ctx.Done():
			return ctx.Err()
		}
		id, err := turn.ReplyText(ctx, "Here is what I found.")
		if err == nil && id == "" {
			err = errors.New("no activity id")
		}
		replied <- err
		return err
	}}
	h := newHarness(t, handler)
	status, _ := h.postSigned(h.activity("teams/teams-message-personal.json"))
	if status != 200 {
		t.Fatalf("status = %d, want 200", status)
	}
	if n := len(h.connector.Calls()); n != 0 {
		t.Fatalf("%d connector calls before the acknowledgement", n)
	}
	close(acked)
	if err := <-replied; err != nil {
		t.Fatalf("reply: %v", err)
	}
	call := h.connector.WaitForCall(t, 1, waitLimit)
	if call.Method != "POST" || call.ActivityID != "1485983408511" || !strings.HasPrefix(call.ConversationID, "a:17I0kl9EkpE1O9PH5") {
		t.Errorf("reply went to %s %s", call.Method, call.Path)
	}
	want := readTestdata(t, "teams/teams-message-personal.json")
	var in botframework.Activity
	if err := json.Unmarshal(want, &in); err != nil {
		t.Fatal(err)
	}
	if call.Body["replyToId"] != in.ID || call.Body["type"] != "message" || call.Body["locale"] != "en-US" {
		t.Errorf("reply body = %s", call.RawBody)
	}
	from, _ := call.Body["from"].(map[string]any)
	recipient, _ := call.Body["recipient"].(map[string]any)
	if from["id"] != in.Recipient.ID || recipient["id"] != in.From.ID {
		t.Errorf("reply from %v to %v, want from the bot to the user", from, recipient)
	}
	if _, ok := call.Body["serviceUrl"]; ok {
		t.Error("reply carries serviceUrl")
	}
}

func TestTurnMethodsReachTheConnector(t *testing.T) {
	done := make(chan error, 1)
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		err := errors.Join(
			turn.SendTyping(ctx),
			turn.SendTyping(ctx), // within 3 s: skipped
			turn.Update(ctx, turn.Activity.ReplyToID, &botframework.Activity{Attachments: []botframework.Attachment{{ContentType: botframework.ContentTypeAdaptiveCard, Content: map[string]any{"type": "AdaptiveCard", "version": "1.5"}}}}),
		)
		_, sendErr := turn.Send(ctx, &botframework.Activity{Text: "new message"})
		done <- errors.Join(err, sendErr)
		return nil
	}}
	h := newHarness(t, handler)
	if status, _ := h.postSigned(h.activity("cards/inbound-action-submit-message.illustrative.json")); status != 200 {
		t.Fatalf("status = %d", status)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	calls := h.connector.Calls()
	if len(calls) != 3 {
		t.Fatalf("calls = %d, want typing, update, send", len(calls))
	}
	if calls[0].Method != "POST" || calls[0].ActivityID != "" || calls[0].Body["type"] != "typing" {
		t.Errorf("typing call = %s %s %s", calls[0].Method, calls[0].Path, calls[0].RawBody)
	}
	if calls[1].Method != "PUT" || calls[1].ActivityID != "1575667808184" || calls[1].ConversationID != "a:conversation-id" {
		t.Errorf("update call = %s %s", calls[1].Method, calls[1].Path)
	}
	if calls[2].Method != "POST" || calls[2].ActivityID != "" || calls[2].Body["replyToId"] != nil {
		t.Errorf("send call = %s %s %s", calls[2].Method, calls[2].Path, calls[2].RawBody)
	}
}

func TestConcurrentConversationsGetTheirOwnReplies(t *testing.T) {
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		_, err := turn.ReplyText(ctx, "echo "+turn.Activity.Text)
		return err
	}}
	h := newHarness(t, handler)
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := h.activity("teams/teams-message-personal.json", func(m map[string]any) {
				m["id"] = fmt.Sprintf("msg-%d", i)
				m["text"] = fmt.Sprintf("conversation %d", i)
				m["conversation"] = map[string]any{"id": fmt.Sprintf("a:conv;%d", i), "conversationType": "personal"}
			})
			if status, _ := h.postSigned(body); status != 200 {
				t.Errorf("status = %d", status)
			}
		})
	}
	wg.Wait()
	calls, err := h.connector.Wait(t.Context(), n)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range calls {
		var i int
		if _, err := fmt.Sscanf(c.ConversationID, "a:conv;%d", &i); err != nil {
			t.Fatalf("conversation id %q", c.ConversationID)
		}
		if want := fmt.Sprintf("echo conversation %d", i); c.Body["text"] != want || c.ActivityID != fmt.Sprintf("msg-%d", i) {
			t.Errorf("conversation %d got %v replying to %s", i, c.Body["text"], c.ActivityID)
		}
		seen[c.ConversationID] = true
	}
	if len(seen) != n {
		t.Errorf("replies reached %d conversations, want %d", len(seen), n)
	}
	if got := h.tokens.Requests(); got != 1 {
		t.Errorf("token requests = %d, want 1 (cached)", got)
	}
}

func TestTokenIsNeverSentToAnUnauthenticatedServiceURL(t *testing.T) {
	attacker := bftest.NewConnector(t)
	leaked := make(chan error, 1)
	var once sync.Once
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		// A conversation reference that did not come from an authenticated
		// activity, e.g. tampered storage.
		ref := turn.Reference()
		ref.ServiceURL = attacker.URL
		_, err := turn.Connector().Send(ctx, ref, &botframework.Activity{Text: "hi"})
		once.Do(func() { leaked <- err })
		return nil
	}}
	h := newHarness(t, handler)

	// A forged activity pointing at the attacker is rejected and does not
	// make its serviceUrl trusted.
	forged := h.activity("teams/teams-message-personal.json", func(m map[string]any) { m["serviceUrl"] = attacker.URL })
	if status, _ := h.post(forged, h.issuer.Bearer(h.connector.URL)); status != 401 {
		t.Fatalf("forged activity status = %d, want 401", status)
	}
	if status, _ := h.postSigned(h.activity("teams/teams-message-personal.json")); status != 200 {
		t.Fatalf("status = %d", status)
	}
	if err := <-leaked; !errors.Is(err, botframework.ErrUntrustedServiceURL) {
		t.Fatalf("send to the attacker: err = %v, want ErrUntrustedServiceURL", err)
	}
	if n := len(attacker.Calls()); n != 0 {
		t.Fatalf("attacker received %d calls", n)
	}
}
