package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/provbot/provbot/diagnose"
)

// TestErrorsQuoteAtMostAFewHundredBytesOfTheirInput: what a person typed
// or a request carried reaches error messages, which are logged; a huge
// value is cut there.
func TestErrorsQuoteAtMostAFewHundredBytesOfTheirInput(t *testing.T) {
	e := newEnv(t, nil, nil)
	huge := strings.Repeat("x", 200<<10)
	for _, tc := range []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"resolve a user", func(ctx context.Context) error { _, err := e.client.ResolveUser(ctx, huge); return err }},
		{"find an app", func(ctx context.Context) error { _, err := e.client.FindApps(ctx, huge); return err }},
		{"gather by user id", func(ctx context.Context) error {
			_, err := e.client.Gather(ctx, diagnose.Query{UserID: huge})
			return err
		}},
		{"gather by app id", func(ctx context.Context) error {
			_, err := e.client.Gather(ctx, diagnose.Query{UserID: adaID, AppID: huge})
			return err
		}},
		{"help-desk check", func(ctx context.Context) error { _, err := e.client.IsHelpDesk(ctx, huge); return err }},
		{"jobs", func(ctx context.Context) error { _, err := e.client.Jobs(ctx, huge); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(t.Context())
			if err == nil {
				t.Fatal("no error")
			}
			if n := len(err.Error()); n > 1024 {
				t.Errorf("the error is %d bytes: %.200s…", n, err.Error())
			}
		})
	}
}
