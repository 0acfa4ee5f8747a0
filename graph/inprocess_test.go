package graph_test

import (
	"net/http"
	"testing"

	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// inProcessBase is the Graph base URL of an in-process fake: never
// dialled, since the in-process transport hands each request to the handler.
const inProcessBase = "http://127.0.0.1:9/v1.0"

// newInProcess makes a fake Graph for tenant and a client wired to it
// through its in-process transport; call it inside synctest.Test. The client
// keeps its defaults (the real reporting budget, time.Now, timers), which
// inside a bubble run on the fake clock.
func newInProcess(t *testing.T, tenant *fakegraph.Tenant, srvOpts []fakegraph.Option, opts ...graph.Option) (*fakegraph.Server, *graph.Client) {
	t.Helper()
	srv := fakegraph.New(tenant, srvOpts...)
	t.Cleanup(srv.Close)
	c, err := graph.NewUnauthenticated(inProcessBase,
		append([]graph.Option{graph.WithHTTPClient(&http.Client{Transport: srv.InProcess()})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}
