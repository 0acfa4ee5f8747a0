package graph

import (
	"context"
	"net/http"
	"sync"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"

	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
)

// exchange records the status and headers of the last answer of one
// request, so that errors keep them when kiota cannot decode the body.
type exchange struct {
	mu     sync.Mutex
	status int
	header http.Header
}

type exchangeKey struct{}

func withExchange(ctx context.Context, ex *exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, ex)
}

func (ex *exchange) set(status int, h http.Header) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	ex.status, ex.header = status, h
}

// result returns what was recorded; a nil exchange recorded nothing (a
// client built from someone else's adapter).
func (ex *exchange) result() (int, http.Header) {
	if ex == nil {
		return 0, nil
	}
	ex.mu.Lock()
	defer ex.mu.Unlock()
	return ex.status, ex.header
}

// recorder is the innermost transport: it notes each answer in the
// request's exchange.
type recorder struct{ next http.RoundTripper }

// RoundTrip sends req and records the answer's status and headers.
func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if ex, ok := req.Context().Value(exchangeKey{}).(*exchange); ok && resp != nil {
		ex.set(resp.StatusCode, resp.Header.Clone())
	}
	return resp, err
}

// defaultHTTPTimeout bounds a request without a deadline, as kiota's own
// default client does.
const defaultHTTPTimeout = 100 * time.Second

// maxIdleConnsPerHost is how many idle connections to Graph are kept
// open. One lookup sends a wave of 10 to 30 requests at once; over
// HTTP/2 they share one connection, but over HTTP/1.1 (a proxy, a local
// fake) net/http's default of 2 idle connections per host closes most of
// them after each wave and dials them again for the next, which cost
// about a third of a lookup's CPU time in BenchmarkLookupRoundTrips.
const maxIdleConnsPerHost = 64

// defaultTransport is kiota's default transport (HTTP/2 attempted,
// compression on) keeping maxIdleConnsPerHost idle connections.
func defaultTransport() http.RoundTripper {
	t, ok := khttp.GetDefaultTransport().(*http.Transport)
	if !ok {
		return khttp.GetDefaultTransport()
	}
	t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	t.MaxIdleConns = max(t.MaxIdleConns, maxIdleConnsPerHost)
	return t
}

// newHTTPClient builds the HTTP client the adapter uses: msgraph-sdk-go's
// default middleware (telemetry, /me replacement, redirects, compression,
// parameter decoding, user agent, header inspection) minus kiota's
// RetryHandler, which would retry 429/503/504 up to three times on its
// own and multiply with the client's deadline-aware retries.
func newHTTPClient(base *http.Client) *http.Client {
	opts := msgraphsdk.GetDefaultClientOptions()
	var mws []khttp.Middleware
	for _, m := range msgraphcore.GetDefaultMiddlewaresWithOptions(&opts) {
		switch m.(type) {
		case *khttp.RetryHandler, khttp.RetryHandler:
			continue
		}
		mws = append(mws, m)
	}
	var parent http.RoundTripper
	out := &http.Client{
		// kiota follows redirects itself (RedirectHandler).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if base == nil {
		out.Timeout = defaultHTTPTimeout
	} else {
		parent = base.Transport
		out.Timeout = base.Timeout
		out.Jar = base.Jar
	}
	if parent == nil {
		parent = defaultTransport()
	}
	out.Transport = khttp.NewCustomTransportWithParentTransport(recorder{next: parent}, mws...)
	return out
}
