package fakegraph

import (
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// Matcher selects the requests a fault applies to. Build one with
// [Route].
type Matcher struct {
	method  string
	pattern string
	page    int
}

// Route matches requests by method ("" or "*" for any) and by URL path
// pattern in path.Match syntax, where "*" stands for one path segment:
// Route("GET", "/v1.0/servicePrincipals/*/synchronization/jobs").
// Matching ignores case, as Graph's routing does.
func Route(method, pattern string) Matcher {
	return Matcher{method: method, pattern: pattern}
}

// Page narrows m to one page of a paged collection: 1 is the first
// request (no $skiptoken), 2 the request for the first @odata.nextLink,
// and so on. Use it to fail a paging loop midway.
func (m Matcher) Page(n int) Matcher {
	m.page = n
	return m
}

func (m Matcher) matches(r *http.Request) bool {
	if m.method != "" && m.method != "*" && !strings.EqualFold(m.method, r.Method) {
		return false
	}
	ok, err := path.Match(strings.ToLower(m.pattern), strings.ToLower(r.URL.Path))
	if err != nil || !ok {
		return false
	}
	return m.page == 0 || pageOf(r) == m.page
}

// effectKind says what a fault does.
type effectKind int

const (
	effectLatency effectKind = iota
	effectStatus
	effectMalformed
	effectTruncate
	effectHang
)

// Effect is what a fault does to a matching request. Build one with
// [Latency], [Status], [MalformedJSON], [TruncatedBody] or [Hang].
type Effect struct {
	kind       effectKind
	delay      time.Duration
	status     int
	retryAfter int
	code       string
	message    string
}

// Latency delays the request by d and then serves it normally (or lets a
// later fault act on it). The delay ends early when the client gives up.
func Latency(d time.Duration) Effect { return Effect{kind: effectLatency, delay: d} }

// StatusOption refines a [Status] effect.
type StatusOption func(*Effect)

// RetryAfter adds a Retry-After header of seconds.
func RetryAfter(seconds int) StatusOption { return func(e *Effect) { e.retryAfter = seconds } }

// WithError sets the error code and message of the body; by default they
// follow the status (TooManyRequests for 429, ServiceUnavailable for 503,
// InternalServerError for 500, ...).
func WithError(code, message string) StatusOption {
	return func(e *Effect) { e.code, e.message = code, message }
}

// Status answers with a Graph error body of the given HTTP status.
func Status(status int, opts ...StatusOption) Effect {
	e := Effect{kind: effectStatus, status: status}
	for _, o := range opts {
		o(&e)
	}
	return e
}

// MalformedJSON answers 200 with a JSON content type and a body that is
// not valid JSON.
func MalformedJSON() Effect { return Effect{kind: effectMalformed} }

// TruncatedBody serves the real answer but drops the connection halfway
// through the body, after announcing its full Content-Length: the client
// reads an unexpected EOF. It needs a real connection (Start or
// httptest.NewServer), not an httptest.ResponseRecorder.
func TruncatedBody() Effect { return Effect{kind: effectTruncate} }

// Hang holds the request without answering until the client gives up
// (its context ends) or the server is closed.
func Hang() Effect { return Effect{kind: effectHang} }

// FaultOption refines a fault.
type FaultOption func(*fault)

// Times makes a fault one-shot: it acts on the next n matching requests
// and is then spent. Without Times a fault is permanent.
func Times(n int) FaultOption { return func(f *fault) { f.remaining = n } }

type fault struct {
	match     Matcher
	effect    Effect
	remaining int // < 0: permanent
}

// faultSet is the server's list of faults.
type faultSet struct {
	mu     sync.Mutex
	faults []*fault
}

// Fault makes requests matched by m suffer e. Several faults can match
// one request: they act in the order they were added, latencies add up,
// and the first fault that answers (Status, MalformedJSON, Hang) ends the
// request.
//
//	srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/provisioning"),
//		fakegraph.Status(429, fakegraph.RetryAfter(2)), fakegraph.Times(1))
func (s *Server) Fault(m Matcher, e Effect, opts ...FaultOption) {
	f := &fault{match: m, effect: e, remaining: -1}
	for _, o := range opts {
		o(f)
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = append(s.faults.faults, f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.faults = nil
}

// take returns the effects for r, spending one use of each one-shot fault.
func (fs *faultSet) take(r *http.Request) []Effect {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out []Effect
	kept := fs.faults[:0]
	for _, f := range fs.faults {
		if f.remaining != 0 && f.match.matches(r) {
			out = append(out, f.effect)
			if f.remaining > 0 {
				f.remaining--
			}
		}
		if f.remaining != 0 {
			kept = append(kept, f)
		}
	}
	fs.faults = kept
	return out
}

// malformedBody is the body of a MalformedJSON fault: the start of a Graph
// collection, cut off.
const malformedBody = `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[{"id":"`
