package graph_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/fakeclock"
)

// Object ids of testdata/tenant.json.
const (
	adaID        = "11111111-1111-4111-8111-111111111111"
	conanID      = "22222222-2222-4222-8222-222222222222"
	zoeID        = "33333333-3333-4333-8333-333333333333"
	graceID      = "44444444-4444-4444-8444-444444444444"
	alanID       = "55555555-5555-4555-8555-555555555555"
	deletedID    = "66666666-6666-4666-8666-666666666666"
	bobID        = "77777777-7777-4777-8777-777777777777"
	adaByronID   = "88888888-8888-4888-8888-888888888888"
	injectionID  = "99999999-9999-4999-8999-999999999999"
	ninaID       = "10101010-1010-4010-8010-101010101010"
	salesID      = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
	staffID      = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
	helpDeskID   = "0d0d0d0d-0d0d-4d0d-8d0d-0d0d0d0d0d0d"
	itSupportID  = "0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e"
	salesforceID = "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee"
	boxID        = "ffffffff-ffff-4fff-8fff-ffffffffffff"
	serviceNowID = "abababab-abab-4bab-8bab-abababababab"
	snDevID      = "acacacac-acac-4cac-8cac-acacacacacac"
	slackID      = "adadadad-adad-4dad-8dad-adadadadadad"
	dropboxID    = "aeaeaeae-aeae-4eae-8eae-aeaeaeaeaeae"
	scimID       = "12121212-1212-4121-8121-121212121212"
	msGraphID    = "afafafaf-afaf-4faf-8faf-afafafafafaf"
)

// testNow is when the fixture tenant is loaded.
func testNow() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }

// newClock is a fake clock at testNow, shared by the fake Graph and the
// client. Its Sleep moves it forward instead of waiting, so throttling runs
// instantly: each sleeper's wake-up time is its start plus its wait, and the
// clock never goes back.
func newClock() *fakeclock.Clock { return fakeclock.New(testNow()) }

// loadTenant loads testdata/tenant.json at testNow.
func loadTenant(tb testing.TB) *fakegraph.Tenant {
	tb.Helper()
	t, err := fakegraph.LoadTenantFile("testdata/tenant.json", testNow())
	if err != nil {
		tb.Fatalf("load tenant: %v", err)
	}
	return t
}

// env is a fake Graph and a client talking to it through the real SDK.
type env struct {
	srv    *fakegraph.Server
	client *graph.Client
	clock  *fakeclock.Clock
}

// newEnv starts a fake Graph serving tenant (the fixture when nil) on a
// fake clock without throttling, and a client without a reporting budget
// on the same clock. Later options override these defaults.
func newEnv(tb testing.TB, tenant *fakegraph.Tenant, srvOpts []fakegraph.Option, opts ...graph.Option) *env {
	tb.Helper()
	if tenant == nil {
		tenant = loadTenant(tb)
	}
	clk := newClock()
	srv := fakegraph.NewTestServer(tb, tenant, append([]fakegraph.Option{fakegraph.WithNow(clk.Now), fakegraph.WithThrottle(0, 0)}, srvOpts...)...)
	return &env{srv: srv, client: newClient(tb, srv, clk, opts...), clock: clk}
}

// newClient makes an unauthenticated client for srv on clk.
func newClient(tb testing.TB, srv *fakegraph.Server, clk *fakeclock.Clock, opts ...graph.Option) *graph.Client {
	tb.Helper()
	all := append([]graph.Option{
		graph.WithLogger(slog.New(slog.DiscardHandler)),
		graph.WithNow(clk.Now),
		graph.WithSleep(clk.Sleep),
		graph.WithReportBudget(0, 0),
	}, opts...)
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", all...)
	if err != nil {
		tb.Fatalf("new client: %v", err)
	}
	return c
}

// requests returns the logged requests whose path ends with suffix
// (case-insensitive), in order.
func requests(srv *fakegraph.Server, suffix string) []fakegraph.Request {
	var out []fakegraph.Request
	for _, r := range srv.Requests() {
		if strings.HasSuffix(strings.ToLower(r.Path), strings.ToLower(suffix)) {
			out = append(out, r)
		}
	}
	return out
}
