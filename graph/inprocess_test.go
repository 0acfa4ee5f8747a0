package graph_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// inProcessBase is the Graph base URL of an in-process fake: never
// dialled, since handlerTransport hands each request to the handler.
const inProcessBase = "http://127.0.0.1:9/v1.0"

// handlerTransport answers requests by calling a fake Graph's handler on
// the caller's goroutine, without sockets, so that a client and the fake
// can run inside a testing/synctest bubble: there every wait (a Latency
// fault, the reporting budget, Retry-After) is on the bubble's fake
// clock, which jumps forward as soon as every goroutine is waiting, and
// CPU time costs no time at all. A simulated minute takes milliseconds,
// and the number of sequential round trips of a lookup is exact.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (resp *http.Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			// TruncatedBody and a closed server abort the handler.
			resp, err = nil, errors.New("fakegraph: connection dropped")
		}
	}()
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp = rec.Result()
	resp.Request = r
	return resp, nil
}

// newInProcess makes a fake Graph for tenant and a client wired to it
// through handlerTransport; call it inside synctest.Test. The client
// keeps its defaults (the real reporting budget, time.Now, timers), which
// inside a bubble run on the fake clock.
func newInProcess(t *testing.T, tenant *fakegraph.Tenant, srvOpts []fakegraph.Option, opts ...graph.Option) (*fakegraph.Server, *graph.Client) {
	t.Helper()
	srv := fakegraph.New(tenant, srvOpts...)
	t.Cleanup(srv.Close)
	c, err := graph.NewUnauthenticated(inProcessBase,
		append([]graph.Option{graph.WithHTTPClient(&http.Client{Transport: handlerTransport{srv.Handler()}})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}
