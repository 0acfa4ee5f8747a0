package botframework_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// newTransportTestConnector returns a Connector to a fake connector whose
// connections go through dialer, recording retry waits.
func newTransportTestConnector(t *testing.T, dial func(ctx context.Context, network, addr string) (net.Conn, error)) (*botframework.Connector, *bftest.Connector, *sleepRecorder) {
	t.Helper()
	fake := bftest.NewConnector(t)
	trusted := &botframework.TrustedServiceURLs{}
	trusted.Add(fake.URL)
	sleeps := &sleepRecorder{}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = dial
	transport.DisableKeepAlives = true
	c, err := botframework.NewConnector(botframework.ConnectorOptions{
		HTTPClient:  &http.Client{Transport: transport},
		TokenSource: botframework.TokenSourceFunc(func(context.Context) (string, error) { return "bot-token", nil }),
		Trusted:     trusted,
		Retry:       botframework.RetryPolicy{Sleep: sleeps.Sleep},
		Logger:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, fake, sleeps
}

func TestConnectionErrorsAreRetriedWhenNothingCanHaveBeenDelivered(t *testing.T) {
	act := &botframework.Activity{Type: botframework.ActivityMessage, Text: "your answer"}
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"connection refused", syscall.ECONNREFUSED},
		{"connection reset while connecting", syscall.ECONNRESET},
		{"no route to the host", syscall.EHOSTUNREACH},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var refused atomic.Int32
			refused.Store(2)
			var nd net.Dialer
			c, fake, sleeps := newTransportTestConnector(t, func(ctx context.Context, network, addr string) (net.Conn, error) {
				if refused.Add(-1) >= 0 {
					return nil, &net.OpError{Op: "dial", Net: network, Err: &net.OpError{Op: "connect", Err: tc.err}}
				}
				return nd.DialContext(ctx, network, addr)
			})
			if _, err := c.ReplyToActivity(t.Context(), fake.URL, "a:1", "1", act); err != nil {
				t.Fatalf("reply lost: %v", err)
			}
			if n := len(fake.Calls()); n != 1 {
				t.Errorf("the connector got %d replies, want exactly 1", n)
			}
			if w := sleeps.waits(); len(w) != 2 || w[1] <= w[0]/2 {
				t.Errorf("waits %v, want two growing back-offs", w)
			}
		})
	}
}

func TestAResetAfterTheRequestIsRetriedOnlyWhenRepeatingItIsHarmless(t *testing.T) {
	var nd net.Dialer
	act := &botframework.Activity{Type: botframework.ActivityMessage, Text: "your answer"}

	t.Run("update (PUT) is idempotent: retried", func(t *testing.T) {
		c, fake, sleeps := newTransportTestConnector(t, nd.DialContext)
		fake.Fail(bftest.Failure{HangUp: true})
		if _, err := c.UpdateActivity(t.Context(), fake.URL, "a:1", "17", act); err != nil {
			t.Fatalf("update lost: %v", err)
		}
		if n, w := len(fake.Calls()), sleeps.waits(); n != 2 || len(w) != 1 {
			t.Errorf("calls %d, waits %v; want the update sent again after one back-off", n, w)
		}
	})
	t.Run("delete is idempotent: retried", func(t *testing.T) {
		c, fake, _ := newTransportTestConnector(t, nd.DialContext)
		fake.Fail(bftest.Failure{HangUp: true})
		if err := c.DeleteActivity(t.Context(), fake.URL, "a:1", "17"); err != nil {
			t.Fatalf("delete lost: %v", err)
		}
	})
	t.Run("reply (POST) the service received: not sent twice", func(t *testing.T) {
		c, fake, sleeps := newTransportTestConnector(t, nd.DialContext)
		fake.Fail(bftest.Failure{HangUp: true})
		_, err := c.ReplyToActivity(t.Context(), fake.URL, "a:1", "1", act)
		if err == nil {
			t.Fatal("a reply whose fate is unknown was reported as sent")
		}
		var ce *botframework.ConnectorError
		if errors.As(err, &ce) {
			t.Errorf("err %v is a ConnectorError, but no status came back", err)
		}
		if n, w := len(fake.Calls()), sleeps.waits(); n != 1 || len(w) != 0 {
			t.Errorf("calls %d, waits %v: a reply the service may have posted was sent again", n, w)
		}
	})
}

func TestConnectionErrorsAreNotRetriedPastTheCallersContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var dials atomic.Int32
	c, fake, _ := newTransportTestConnector(t, func(context.Context, string, string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			cancel()
		}
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	})
	if _, err := c.ReplyToActivity(ctx, fake.URL, "a:1", "1", &botframework.Activity{Type: "message"}); err == nil {
		t.Fatal("no error")
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("dialled %d times after the caller gave up, want 1", n)
	}
}
