package botframework_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
)

func TestInvokeIsAnsweredSynchronously(t *testing.T) {
	var card map[string]any
	var example struct {
		Value map[string]any `json:"value"`
	}
	if err := json.Unmarshal(readTestdata(t, "cards/invoke-response-card.json"), &example); err != nil {
		t.Fatal(err)
	}
	card = example.Value
	for _, tc := range []struct {
		name     string
		invoke   func(ctx context.Context, t *botframework.Turn) (botframework.InvokeResponse, error)
		status   int
		wantBody []byte
	}{
		{"replacement card", func(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) {
			return botframework.InvokeCard(card), nil
		},
			200, readTestdata(t, "cards/invoke-response-card.json")},
		{"message", func(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) {
			return botframework.InvokeMessage("Rollback started."), nil
		},
			200, readTestdata(t, "cards/invoke-response-message.json")},
		{"error response", func(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) {
			return botframework.InvokeFailure(400, "BadRequest", "Unknown verb."), nil
		}, 400, readTestdata(t, "cards/invoke-response-error.json")},
		{"zero status means 200", func(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) {
			return botframework.InvokeResponse{Type: botframework.InvokeTypeMessage, Value: "ok"}, nil
		}, 200, []byte(`{"statusCode":200,"type":"application/vnd.microsoft.activity.message","value":"ok"}`)},
		{"unhandled invoke", nil, 501, []byte(`{"statusCode":501}`)},
		{"handler error", func(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) {
			return botframework.InvokeResponse{}, errors.New("graph unavailable")
		},
			500, []byte(`{"statusCode":500,"type":"application/vnd.microsoft.error","value":{"code":"InternalServerError","message":"The bot could not process this action."}}`)},
		{"handler panic", func(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) { panic("boom") },
			500, []byte(`{"statusCode":500,"type":"application/vnd.microsoft.error","value":{"code":"InternalServerError","message":"The bot could not process this action."}}`)},
		{"unencodable value", func(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) {
			return botframework.InvokeResponse{Value: make(chan int)}, nil
		}, 500, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, botframework.HandlerFuncs{Invoke: tc.invoke}, func(_ *harness, s *setup) { s.opts.InvokeTimeout = 200 * time.Millisecond })
			status, body := h.postSigned(h.activity("cards/inbound-adaptivecard-action-invoke.illustrative.json"))
			if status != tc.status {
				t.Fatalf("status = %d, want %d (body %s)", status, tc.status, body)
			}
			if tc.wantBody != nil && !jsonEqual(t, body, tc.wantBody) {
				t.Errorf("body = %s, want %s", body, tc.wantBody)
			}
			if n := len(h.connector.Calls()); n != 0 {
				t.Errorf("the invoke answer went to the connector (%d calls)", n)
			}
		})
	}
}

func TestInvokeHandlerIgnoringItsDeadlineGets500InTime(t *testing.T) {
	release := make(chan struct{})
	handler := botframework.HandlerFuncs{Invoke: func(context.Context, *botframework.Turn) (botframework.InvokeResponse, error) {
		<-release // ignores its context
		return botframework.InvokeMessage("too late"), nil
	}}
	h := newHarness(t, handler, func(_ *harness, s *setup) { s.opts.InvokeTimeout = 50 * time.Millisecond })
	status, body := h.postSigned(h.activity("cards/inbound-adaptivecard-action-invoke.illustrative.json"))
	close(release)
	if status != 500 {
		t.Fatalf("status = %d (body %s), want 500", status, body)
	}
	if len(h.logs.records("invoke handler failed")) != 1 {
		t.Errorf("timeout not logged:\n%s", h.logs)
	}
}
