package fakegraph

import (
	"net/http"
	"sync"
	"time"
)

// Request is one request the server received, as recorded in its log.
type Request struct {
	// Method and Path are the HTTP method and the URL path (decoded).
	Method string
	Path   string
	// RawQuery is the query string as sent.
	RawQuery string
	// Filter is the decoded $filter value, "" when absent.
	Filter string
	// Header holds the request headers of interest: Authorization,
	// ConsistencyLevel, client-request-id, Prefer, Content-Type,
	// Content-Encoding and User-Agent.
	Header http.Header
	// Body is the request body of a POST, decompressed when it was sent
	// with Content-Encoding: gzip.
	Body []byte
	// Time is when the request arrived, on the server's clock.
	Time time.Time
	// Status is the status answered; 0 when the connection was dropped or
	// the client gave up on a hung request before an answer.
	Status int
	// RequestID is the request-id header the server answered with.
	RequestID string
	// Batch is, for a request sent inside a JSON $batch, the request-id
	// of the $batch request; "" otherwise.
	Batch string
}

// loggedHeaders are the request headers copied into the log.
func loggedHeaders() []string {
	return []string{"Authorization", "ConsistencyLevel", "client-request-id", "Prefer", "Content-Type", "Content-Encoding", "User-Agent"}
}

// maxLoggedRequests bounds the log of a long-running server (the demo):
// past it the oldest entries are dropped.
const maxLoggedRequests = 10000

// requestLog is the server's concurrency-safe request log.
type requestLog struct {
	mu   sync.Mutex
	reqs []Request
}

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) >= maxLoggedRequests {
		// Drop the oldest quarter at once: trimming one entry per request
		// copied the whole log on every request of a long run.
		l.reqs = append(l.reqs[:0:0], l.reqs[len(l.reqs)-maxLoggedRequests*3/4:]...)
	}
	l.reqs = append(l.reqs, r)
}

func (l *requestLog) all() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Request, len(l.reqs))
	for i, r := range l.reqs {
		r.Header = r.Header.Clone()
		r.Body = append([]byte(nil), r.Body...)
		out[i] = r
	}
	return out
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = nil
}
