package botframework_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// sleepRecorder is a RetryPolicy.Sleep that records waits without waiting.
type sleepRecorder struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (s *sleepRecorder) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sleeps = append(s.sleeps, d)
	return ctx.Err()
}

func (s *sleepRecorder) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.sleeps...)
}

// newTestConnector returns a Connector sending token "bot-token" to the fake
// connector, which is trusted and requires that token.
func newTestConnector(t *testing.T, retry botframework.RetryPolicy) (*botframework.Connector, *bftest.Connector, *sleepRecorder) {
	t.Helper()
	fake := bftest.NewConnector(t)
	fake.RequireBearer("bot-token")
	trusted := &botframework.TrustedServiceURLs{}
	trusted.Add(fake.URL)
	sleeps := &sleepRecorder{}
	if retry.Sleep == nil {
		retry.Sleep = sleeps.Sleep
	}
	c, err := botframework.NewConnector(botframework.ConnectorOptions{
		TokenSource: botframework.TokenSourceFunc(func(context.Context) (string, error) { return "bot-token", nil }),
		Trusted:     trusted,
		Retry:       retry,
		Logger:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, fake, sleeps
}

func TestConnectorBuildsEscapedPaths(t *testing.T) {
	c, fake, _ := newTestConnector(t, botframework.RetryPolicy{})
	ctx := t.Context()
	conv := "19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype;messageid=1481567603816"
	act := &botframework.Activity{Type: botframework.ActivityMessage, Text: "hi"}

	id, err := c.ReplyToActivity(ctx, strings.TrimSuffix(fake.URL, "/"), conv, "f:69/20=x", act)
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		t.Error("reply returned no id")
	}
	if _, err := c.SendToConversation(ctx, fake.URL+"//", conv, act); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateActivity(ctx, fake.URL, conv, "1575667808184", act); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteActivity(ctx, fake.URL, conv, "1575667808184"); err != nil {
		t.Fatal(err)
	}

	calls := fake.Calls()
	for _, tc := range []struct {
		method, rawPath, activityID string
	}{
		{"POST", "/v3/conversations/19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype%3Bmessageid=1481567603816/activities/f:69%2F20=x", "f:69/20=x"},
		{"POST", "/v3/conversations/19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype%3Bmessageid=1481567603816/activities", ""},
		{"PUT", "/v3/conversations/19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype%3Bmessageid=1481567603816/activities/1575667808184", "1575667808184"},
		{"DELETE", "/v3/conversations/19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype%3Bmessageid=1481567603816/activities/1575667808184", "1575667808184"},
	} {
		call := calls[0]
		calls = calls[1:]
		if call.Method != tc.method || call.RawPath != tc.rawPath {
			t.Errorf("%s %s, want %s %s", call.Method, call.RawPath, tc.method, tc.rawPath)
		}
		if call.ConversationID != conv || call.ActivityID != tc.activityID {
			t.Errorf("decoded ids = %q, %q; want %q, %q", call.ConversationID, call.ActivityID, conv, tc.activityID)
		}
		if call.Authorization != "Bearer bot-token" {
			t.Errorf("Authorization = %q", call.Authorization)
		}
		if call.Status != 200 {
			t.Errorf("fake answered %d", call.Status)
		}
	}
}

func TestConnectorRetries(t *testing.T) {
	for _, tc := range []struct {
		name       string
		failures   []bftest.Failure
		wantCalls  int
		wantErr    error // nil: success
		wantSleeps []time.Duration
	}{
		{"429 with Retry-After then success waits as asked", []bftest.Failure{{Status: 429, RetryAfter: "7"}}, 2, nil, []time.Duration{7 * time.Second}},
		{"412 is retried", []bftest.Failure{{Status: 412}}, 2, nil, nil},
		{"502 is retried", []bftest.Failure{{Status: 502}}, 2, nil, nil},
		{"503 is retried", []bftest.Failure{{Status: 503}}, 2, nil, nil},
		{"504 is retried", []bftest.Failure{{Status: 504}}, 2, nil, nil},
		{"500 is not retried", []bftest.Failure{{Status: 500}}, 1, botframework.ErrServiceError, []time.Duration{}},
		{"400 is not retried", []bftest.Failure{{Status: 400}}, 1, botframework.ErrBadRequest, []time.Duration{}},
		{"401 is not retried", []bftest.Failure{{Status: 401}}, 1, botframework.ErrUnauthorized, []time.Duration{}},
		{"403 is not retried", []bftest.Failure{{Status: 403, Code: "ConversationBlockedByUser"}}, 1, botframework.ErrForbidden, []time.Duration{}},
		{"404 is not retried", []bftest.Failure{{Status: 404}}, 1, botframework.ErrNotFound, []time.Duration{}},
		{"413 is not retried", []bftest.Failure{{Status: 413}}, 1, botframework.ErrTooLarge, []time.Duration{}},
		{"attempts are bounded", []bftest.Failure{{Status: 429, Times: 10}}, 4, botframework.ErrThrottled, nil},
		{"Retry-After beyond the maximum ends the retries", []bftest.Failure{{Status: 429, RetryAfter: "3600"}}, 1, botframework.ErrThrottled, []time.Duration{}},
		{"different retryable failures in a row", []bftest.Failure{{Status: 503}, {Status: 429, RetryAfter: "2"}, {Status: 502}}, 4, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fake, sleeps := newTestConnector(t, botframework.RetryPolicy{})
			for _, f := range tc.failures {
				fake.Fail(f)
			}
			id, err := c.SendToConversation(t.Context(), fake.URL, "a:1", &botframework.Activity{Type: botframework.ActivityMessage, Text: "hi"})
			if got := len(fake.Calls()); got != tc.wantCalls {
				t.Errorf("calls = %d, want %d", got, tc.wantCalls)
			}
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("err = %v", err)
			case tc.wantErr == nil && id == "":
				t.Error("no id returned")
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				var ce *botframework.ConnectorError
				if !errors.As(err, &ce) || ce.StatusCode != tc.failures[0].Status || ce.Attempts != tc.wantCalls {
					t.Errorf("err = %#v, want a ConnectorError with the status and attempts", err)
				}
			}
			if tc.wantSleeps != nil {
				if got := sleeps.waits(); !equalDurations(got, tc.wantSleeps) {
					t.Errorf("waits = %v, want %v", got, tc.wantSleeps)
				}
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestConnectorErrorCarriesTheErrorResponse(t *testing.T) {
	c, fake, _ := newTestConnector(t, botframework.RetryPolicy{})
	fake.Fail(bftest.Failure{Status: 403, Code: "BotNotInConversationRoster", Message: "The bot is not part of the conversation roster."})
	_, err := c.SendToConversation(t.Context(), fake.URL, "a:1", &botframework.Activity{Text: "hi"})
	var ce *botframework.ConnectorError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *botframework.ConnectorError", err)
	}
	if ce.Code != "BotNotInConversationRoster" || ce.Message != "The bot is not part of the conversation roster." || ce.Op != "send to conversation" {
		t.Errorf("err = %+v", ce)
	}
	if want := "send to conversation: bot connector answered 403 BotNotInConversationRoster: The bot is not part of the conversation roster."; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

func TestConnectorBackoffGrowsWithJitter(t *testing.T) {
	c, fake, sleeps := newTestConnector(t, botframework.RetryPolicy{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: 5 * time.Second})
	fake.Fail(bftest.Failure{Status: 503, Times: 4})
	if _, err := c.SendToConversation(t.Context(), fake.URL, "a:1", &botframework.Activity{Text: "hi"}); err != nil {
		t.Fatal(err)
	}
	nominal := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second}
	got := sleeps.waits()
	if len(got) != len(nominal) {
		t.Fatalf("waits = %v, want %d", got, len(nominal))
	}
	for i, d := range got {
		lo, hi := nominal[i]*8/10, nominal[i]*12/10
		if d < lo || d > hi {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, d, lo, hi)
		}
	}
}

func TestConnectorHonoursTheCallersDeadline(t *testing.T) {
	c, fake, sleeps := newTestConnector(t, botframework.RetryPolicy{})
	fake.Fail(bftest.Failure{Status: 429, RetryAfter: "30", Times: 5})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, err := c.SendToConversation(ctx, fake.URL, "a:1", &botframework.Activity{Text: "hi"})
	if !errors.Is(err, botframework.ErrThrottled) {
		t.Fatalf("err = %v, want ErrThrottled", err)
	}
	var ce *botframework.ConnectorError
	if errors.As(err, &ce) && ce.RetryAfter != 30*time.Second {
		t.Errorf("RetryAfter = %v, want 30s", ce.RetryAfter)
	}
	if n := len(fake.Calls()); n != 1 {
		t.Errorf("calls = %d, want 1: a retry after the deadline is pointless", n)
	}
	if w := sleeps.waits(); len(w) != 0 {
		t.Errorf("waited %v, want no wait", w)
	}
}

// roundTripFunc is an in-memory http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestConnectorWaitsRetryAfterOnTheRealClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var attempts []time.Time
		transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			defer mu.Unlock()
			attempts = append(attempts, time.Now())
			resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"id":"1"}`)), Request: r}
			switch len(attempts) {
			case 1:
				resp.StatusCode = 429
				resp.Header.Set("Retry-After", "5")
			case 2:
				resp.StatusCode = 503
				resp.Header.Set("Retry-After", time.Now().Add(3*time.Second).UTC().Format(http.TimeFormat))
			}
			return resp, nil
		})
		trusted := &botframework.TrustedServiceURLs{}
		trusted.Add("https://smba.trafficmanager.net/amer/")
		c, err := botframework.NewConnector(botframework.ConnectorOptions{
			HTTPClient:  &http.Client{Transport: transport},
			TokenSource: botframework.TokenSourceFunc(func(context.Context) (string, error) { return "t", nil }),
			Trusted:     trusted,
			Logger:      slog.New(slog.DiscardHandler),
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := c.SendToConversation(t.Context(), "https://smba.trafficmanager.net/amer/", "a:1", &botframework.Activity{Text: "hi"}); err != nil {
			t.Fatal(err)
		}
		if len(attempts) != 3 {
			t.Fatalf("attempts = %d, want 3", len(attempts))
		}
		if got := attempts[1].Sub(start); got != 5*time.Second {
			t.Errorf("second attempt after %v, want 5s (Retry-After seconds)", got)
		}
		if got := attempts[2].Sub(attempts[1]); got != 3*time.Second {
			t.Errorf("third attempt after %v, want 3s (Retry-After date)", got)
		}
	})
}

func TestConnectorSendsTheTokenOnlyToTrustedServiceURLs(t *testing.T) {
	c, fake, _ := newTestConnector(t, botframework.RetryPolicy{})
	other := bftest.NewConnector(t)
	ctx := t.Context()
	act := &botframework.Activity{Text: "hi"}
	for _, tc := range []struct {
		name       string
		serviceURL string
	}{
		{"untrusted loopback service", other.URL},
		{"untrusted https host", "https://attacker.example.com/"},
		{"trusted host with a different path", fake.URL + "other/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.SendToConversation(ctx, tc.serviceURL, "a:1", act)
			if !errors.Is(err, botframework.ErrUntrustedServiceURL) {
				t.Errorf("err = %v, want ErrUntrustedServiceURL", err)
			}
		})
	}
	if n := len(other.Calls()); n != 0 {
		t.Errorf("untrusted connector got %d calls", n)
	}
	if _, err := c.SendToConversation(ctx, strings.ToUpper(fake.URL[:7])+fake.URL[7:], "a:1", act); err != nil {
		t.Errorf("trusted URL with upper-case scheme refused: %v", err)
	}
}

func TestConnectorRefusesPlainHTTPToRemoteHosts(t *testing.T) {
	for _, withToken := range []bool{true, false} {
		opts := botframework.ConnectorOptions{Logger: slog.New(slog.DiscardHandler)}
		if withToken {
			trusted := &botframework.TrustedServiceURLs{}
			trusted.Add("http://smba.example.com/")
			opts.Trusted = trusted
			opts.TokenSource = botframework.TokenSourceFunc(func(context.Context) (string, error) { return "t", nil })
		}
		c, err := botframework.NewConnector(opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, su := range []string{"http://smba.example.com/", "ftp://smba.example.com/", "https://smba.example.com/?x=1", "/relative"} {
			if _, err := c.SendToConversation(t.Context(), su, "a:1", &botframework.Activity{Text: "hi"}); err == nil || errors.Is(err, botframework.ErrUntrustedServiceURL) {
				t.Errorf("token=%v %s: err = %v, want the URL refused", withToken, su, err)
			}
		}
	}
}

func TestConnectorRequiresIDs(t *testing.T) {
	c, fake, _ := newTestConnector(t, botframework.RetryPolicy{})
	ctx := t.Context()
	act := &botframework.Activity{Text: "hi"}
	if _, err := c.ReplyToActivity(ctx, fake.URL, "a:1", "", act); err == nil {
		t.Error("reply without an activity id: want an error")
	}
	if _, err := c.SendToConversation(ctx, fake.URL, "", act); err == nil {
		t.Error("send without a conversation id: want an error")
	}
	if _, err := c.UpdateActivity(ctx, fake.URL, "a:1", "", act); err == nil {
		t.Error("update without an activity id: want an error")
	}
	if n := len(fake.Calls()); n != 0 {
		t.Errorf("%d calls sent", n)
	}
}

func TestConnectorSendAddressesFromAReference(t *testing.T) {
	c, fake, _ := newTestConnector(t, botframework.RetryPolicy{})
	ref := botframework.ConversationReference{
		User:         botframework.ChannelAccount{ID: "29:user", Name: "Megan Bowen"},
		Bot:          botframework.ChannelAccount{ID: "28:bot", Name: "Provbot"},
		Conversation: botframework.ConversationAccount{ID: "a:conv", ConversationType: "personal", TenantID: testTenant},
		ChannelID:    "msteams",
		ServiceURL:   fake.URL,
		Locale:       "en-US",
	}
	if _, err := c.Send(t.Context(), ref, &botframework.Activity{Text: "Your account was provisioned."}); err != nil {
		t.Fatal(err)
	}
	call := fake.WaitForCall(t, 1, waitLimit)
	want := `{"type":"message","from":{"id":"28:bot","name":"Provbot"},"recipient":{"id":"29:user","name":"Megan Bowen"},` +
		`"conversation":{"id":"a:conv","tenantId":"` + testTenant + `"},"text":"Your account was provisioned.","locale":"en-US"}`
	if !jsonEqual(t, call.RawBody, []byte(want)) {
		t.Errorf("body = %s, want %s", call.RawBody, want)
	}
}

func TestWithoutAuthenticationOnlyLoopbackConnectorsAreAnswered(t *testing.T) {
	c, err := botframework.NewConnector(botframework.ConnectorOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"https://smba.trafficmanager.net/amer/", "https://169.254.169.254/", "https://evil.example/"} {
		_, err := c.SendToConversation(t.Context(), u, "a:1", &botframework.Activity{Type: botframework.ActivityMessage, Text: "hi"})
		if !errors.Is(err, botframework.ErrUntrustedServiceURL) {
			t.Errorf("%s: err = %v, want ErrUntrustedServiceURL", u, err)
		}
	}
	fake := bftest.NewConnector(t)
	if _, err := c.SendToConversation(t.Context(), fake.URL, "a:1", &botframework.Activity{Type: botframework.ActivityMessage, Text: "hi"}); err != nil {
		t.Errorf("loopback connector refused: %v", err)
	}
}
