package graph_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	khttp "github.com/microsoft/kiota-http-go"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

func TestForbiddenErrorsNameTheMissingPermission(t *testing.T) {
	for _, tc := range []struct {
		deny string
		call func(ctx context.Context, c *graph.Client) error
	}{
		{"AuditLog.Read.All", func(ctx context.Context, c *graph.Client) error {
			_, err := c.ProvisioningLogs(ctx, graph.LogQuery{UserID: adaID})
			return err
		}},
		{"Synchronization.Read.All", func(ctx context.Context, c *graph.Client) error { _, err := c.Jobs(ctx, salesforceID); return err }},
		{"Application.Read.All", func(ctx context.Context, c *graph.Client) error { return c.Warm(ctx) }},
		{"User.Read.All", func(ctx context.Context, c *graph.Client) error {
			_, err := c.Gather(ctx, diagnose.Query{UserID: adaID, AppID: salesforceID})
			return err
		}},
		{"GroupMember.Read.All", func(ctx context.Context, c *graph.Client) error { _, err := c.IsHelpDesk(ctx, graceID); return err }},
	} {
		t.Run(tc.deny, func(t *testing.T) {
			tenant := loadTenant(t)
			tenant.Deny(tc.deny)
			e := newEnv(t, tenant, nil, graph.WithHelpDeskGroups(itSupportID))
			err := tc.call(t.Context(), e.client)
			var ge *graph.Error
			if !errors.Is(err, graph.ErrForbidden) || !errors.Is(err, diagnose.ErrForbidden) || !errors.As(err, &ge) {
				t.Fatalf("error = %v, want ErrForbidden", err)
			}
			if ge.Permission != tc.deny || !strings.Contains(ge.Error(), tc.deny) || ge.Status != 403 {
				t.Errorf("error = %q (permission %q), want it to name %s", ge.Error(), ge.Permission, tc.deny)
			}
			if errors.Is(err, graph.ErrNotFound) || errors.Is(err, graph.ErrThrottled) || errors.Is(err, graph.ErrUnavailable) || errors.Is(err, graph.ErrInvalid) {
				t.Errorf("error %v matches another kind too", err)
			}
		})
	}
}

func TestFaultsBecomeTypedErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		effect fakegraph.Effect
		kind   error
		code   string
		text   string
	}{
		{"not found", fakegraph.Status(404), graph.ErrNotFound, "Request_ResourceNotFound", "404"},
		{"unauthorized", fakegraph.Status(401), graph.ErrForbidden, "InvalidAuthenticationToken", "401"},
		{"bad request", fakegraph.Status(400, fakegraph.WithError("BadRequest", "Invalid filter clause")), graph.ErrInvalid, "BadRequest", "Invalid filter clause"},
		{"server error", fakegraph.Status(500), graph.ErrUnavailable, "InternalServerError", "500"},
		{"malformed JSON", fakegraph.MalformedJSON(), graph.ErrUnavailable, graph.CodeMalformedResponse, "malformed JSON"},
		{"body cut short", fakegraph.TruncatedBody(), graph.ErrUnavailable, graph.CodeTransport, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, route := range []struct {
				path string
				call func(ctx context.Context, c *graph.Client) error
			}{
				// A route the client decodes itself, and one the SDK decodes.
				{jobsRoute, func(ctx context.Context, c *graph.Client) error { _, err := c.Jobs(ctx, salesforceID); return err }},
				{"/v1.0/users/*", func(ctx context.Context, c *graph.Client) error {
					_, err := c.Gather(ctx, diagnose.Query{UserID: adaID, AppID: salesforceID})
					return err
				}},
			} {
				if tc.kind == graph.ErrNotFound && route.path != jobsRoute {
					continue // an unknown user is looked for among deleted users
				}
				e := newEnv(t, nil, nil)
				e.srv.Fault(fakegraph.Route("GET", route.path), tc.effect)
				err := route.call(t.Context(), e.client)
				var ge *graph.Error
				if !errors.Is(err, tc.kind) || !errors.As(err, &ge) {
					t.Fatalf("%s: error = %v, want %v", route.path, err, tc.kind)
				}
				if ge.Code != tc.code || !strings.Contains(ge.Error(), tc.text) {
					t.Errorf("%s: error = %q code %q, want code %q mentioning %q", route.path, ge.Error(), ge.Code, tc.code, tc.text)
				}
			}
		})
	}
}

func TestGraphErrorsCarryTheRequestID(t *testing.T) {
	e := newEnv(t, nil, nil)
	_, err := e.client.Jobs(t.Context(), "12345678-1234-4234-8234-123456789012")
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.RequestID == "" {
		t.Fatalf("error = %#v, want a request id", err)
	}
	logged := requests(e.srv, "/synchronization/jobs")
	if len(logged) != 1 || logged[0].RequestID != ge.RequestID {
		t.Errorf("request id %q, fake answered %q", ge.RequestID, logged[0].RequestID)
	}
}

func TestAHungConnectionEndsAtTheDeadline(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.srv.Fault(fakegraph.Route("GET", jobsRoute), fakegraph.Hang())
	ctx, cancel := context.WithTimeout(t.Context(), 150*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := e.client.Jobs(ctx, salesforceID)
	if !errors.Is(err, graph.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want ErrUnavailable wrapping the deadline", err)
	}
	if d := time.Since(began); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestAnUnreachableGraphIsUnavailable(t *testing.T) {
	srv := fakegraph.NewTestServer(t, loadTenant(t))
	c := newClient(t, srv, newClock())
	srv.Close()
	_, err := c.Jobs(t.Context(), salesforceID)
	var ge *graph.Error
	if !errors.Is(err, graph.ErrUnavailable) || !errors.As(err, &ge) || ge.Code != graph.CodeTransport || ge.Err == nil {
		t.Errorf("error = %#v, want a transport error that wraps its cause", err)
	}
}

func TestNoPanicEscapes(t *testing.T) {
	srv := fakegraph.NewTestServer(t, loadTenant(t), fakegraph.WithThrottle(0, 0))
	real, err := khttp.NewNetHttpRequestAdapter(&authentication.AnonymousAuthenticationProvider{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := graph.NewFromAdapter(panickingAdapter{real}, graph.WithBaseURL(srv.URL()+"/v1.0"), graph.WithReportBudget(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	checks := map[string]error{}
	_, checks["Jobs"] = c.Jobs(ctx, salesforceID)
	_, checks["ResolveUser"] = c.ResolveUser(ctx, "ada@contoso.com")
	_, checks["Gather"] = c.Gather(ctx, diagnose.Query{UserID: adaID})
	_, checks["ProvisioningLogs"] = c.ProvisioningLogs(ctx, graph.LogQuery{})
	_, checks["Apps"] = c.Apps(ctx)
	checks["Warm"] = c.Warm(ctx)
	for name, err := range checks {
		var ge *graph.Error
		if !errors.As(err, &ge) || ge.Code != graph.CodeInternal || !errors.Is(err, graph.ErrUnavailable) {
			t.Errorf("%s: error = %v, want a recovered panic", name, err)
		}
	}
}

// panickingAdapter is a real request adapter whose sends panic, as the
// SDK's generated getters do on backing-store errors.
type panickingAdapter struct{ abstractions.RequestAdapter }

func (panickingAdapter) Send(context.Context, *abstractions.RequestInformation, absser.ParsableFactory, abstractions.ErrorMappings) (absser.Parsable, error) {
	panic("backing store: boom")
}

func (panickingAdapter) SendPrimitive(context.Context, *abstractions.RequestInformation, string, abstractions.ErrorMappings) (any, error) {
	panic("backing store: boom")
}
