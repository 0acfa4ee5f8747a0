package botframework_test

import (
	"context"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// TestTypingGoesOutAlongsideTheWork: against the real Bot Connector a
// typing indicator is a full Internet round trip; the handler must be able
// to start it and get on with the lookup, and the answer must still land
// after the indicator (never "typing…" under the answer).
func TestTypingGoesOutAlongsideTheWork(t *testing.T) {
	working := make(chan struct{})
	replied := make(chan error, 1)
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		turn.StartTyping(ctx)
		close(working) // the lookup would run here
		_, err := turn.ReplyText(ctx, "Here is what I found.")
		replied <- err
		return err
	}}
	h := newHarness(t, handler)
	release := h.connector.Hold() // the typing POST takes as long as we say
	defer release()
	if status, _ := h.postSigned(h.activity("teams/teams-message-personal.json")); status != 200 {
		t.Fatalf("status = %d", status)
	}
	select {
	case <-working:
	case <-time.After(waitLimit):
		t.Fatal("the handler waited for the typing indicator's answer before working")
	}
	h.connector.WaitForCall(t, 1, waitLimit) // the typing POST, held
	select {
	case err := <-replied:
		t.Fatalf("the answer went out before the typing indicator had been answered (err %v)", err)
	case <-time.After(100 * time.Millisecond):
	}
	release()
	if err := <-replied; err != nil {
		t.Fatalf("reply: %v", err)
	}
	calls := h.connector.WaitForCall(t, 2, waitLimit)
	all := h.connector.Calls()
	if all[0].Body["type"] != "typing" || all[1].Body["type"] != "message" || calls.Status != 200 {
		t.Errorf("calls %s then %s, want typing then the message", all[0].Body["type"], all[1].Body["type"])
	}
}

// TestATypingFailureDoesNotStopTheAnswer: the indicator is cosmetic; if the
// service fails it (throttled), it is not retried and the answer goes out.
func TestATypingFailureDoesNotStopTheAnswer(t *testing.T) {
	replied := make(chan error, 1)
	handler := botframework.HandlerFuncs{Activity: func(ctx context.Context, turn *botframework.Turn) error {
		turn.StartTyping(ctx)
		_, err := turn.ReplyText(ctx, "Here is what I found.")
		replied <- err
		return err
	}}
	h := newHarness(t, handler)
	h.connector.Fail(bftestFailure429())
	if status, _ := h.postSigned(h.activity("teams/teams-message-personal.json")); status != 200 {
		t.Fatalf("status = %d", status)
	}
	if err := <-replied; err != nil {
		t.Fatalf("reply: %v", err)
	}
	calls := h.connector.Calls()
	if len(calls) != 2 || calls[0].Status != 429 || calls[1].Body["type"] != "message" {
		t.Errorf("calls %d, want the throttled typing once and then the answer", len(calls))
	}
	if len(h.sleeps) != 0 {
		t.Errorf("retry waits %v: a typing indicator is not worth a retry", h.sleeps)
	}
}

// bftestFailure429 is a throttled answer.
func bftestFailure429() bftest.Failure { return bftest.Failure{Status: 429, RetryAfter: "1"} }
