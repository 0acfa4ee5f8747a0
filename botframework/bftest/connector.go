package bftest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Call is one request the fake [Connector] received.
type Call struct {
	// Method is the HTTP method.
	Method string
	// Path is the decoded path, e.g.
	// "/v3/conversations/19:x@thread.skype;messageid=1/activities/1".
	Path string
	// RawPath is the path as sent, percent-encoding included.
	RawPath string
	// ConversationID and ActivityID are the decoded path segments (empty
	// when absent).
	ConversationID string
	ActivityID     string
	// Header holds the request headers; Authorization is repeated below.
	Header        http.Header
	Authorization string
	// Body is the JSON body decoded as an object (nil if none or not an
	// object); RawBody is the body as sent.
	Body    map[string]any
	RawBody []byte
	// Status is what the fake answered (0 when it hung up).
	Status int
}

// Failure tells the fake [Connector] to fail the next calls.
type Failure struct {
	// Status is the HTTP status to answer, e.g. 429.
	Status int
	// Times is how many calls fail; 0 means one.
	Times int
	// RetryAfter is sent as the Retry-After header when not empty.
	RetryAfter string
	// Code and Message go into the ErrorResponse body; Code defaults to
	// the status text.
	Code    string
	Message string
	// HangUp closes the connection after the request has been read,
	// without any response (Status is ignored): a connection reset after
	// the service received the request, which it may have acted on.
	HangUp bool
}

// Connector is a fake Bot Connector service. It serves
// POST/PUT/DELETE /v3/conversations/{id}/activities[/{activityId}] and
// POST /v3/conversations, answers {"id":"…"} like the real service,
// records every call (failed ones too) and fails on demand. Put
// [Connector.URL] in an activity's serviceUrl. Safe for concurrent use.
type Connector struct {
	// URL is the service URL, with a trailing slash as Teams sends it.
	URL string

	srv *httptest.Server

	mu       sync.Mutex
	calls    []Call
	changed  chan struct{} // closed and replaced on every call
	failures []failure
	bearer   func(token string) bool
	nextID   int64
	held     chan struct{} // while not nil, calls wait for it to close
	release  []func()      // every Hold's release, called on Close
}

// NewConnector starts a fake Connector and closes it when the test ends.
func NewConnector(tb testing.TB) *Connector {
	tb.Helper()
	c := StartConnector()
	tb.Cleanup(c.Close)
	return c
}

// StartConnector starts a fake Connector (for code without a testing.TB,
// such as the demo); Close it when done.
func StartConnector() *Connector {
	c := &Connector{changed: make(chan struct{}), nextID: 1700000000000}
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	c.URL = c.srv.URL + "/"
	return c
}

// Close releases held calls and stops the server.
func (c *Connector) Close() {
	c.mu.Lock()
	release := c.release
	c.mu.Unlock()
	for _, r := range release {
		r()
	}
	c.srv.Close()
}

// Fail queues a failure; queued failures apply in order.
func (c *Connector) Fail(f Failure) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f.Code == "" {
		f.Code = strings.ReplaceAll(http.StatusText(f.Status), " ", "")
	}
	c.failures = append(c.failures, failure{status: f.Status, times: max(f.Times, 1), retryAfter: f.RetryAfter, code: f.Code, message: f.Message, hangUp: f.HangUp})
}

// Hold makes the calls that arrive from now on wait, recorded but
// unanswered, until release is called (a slow service, deterministically).
// Calls waiting when the fake closes are answered then.
func (c *Connector) Hold() (release func()) {
	ch := make(chan struct{})
	c.mu.Lock()
	c.held = ch
	c.mu.Unlock()
	var once sync.Once
	release = func() {
		once.Do(func() {
			c.mu.Lock()
			if c.held == ch {
				c.held = nil
			}
			c.mu.Unlock()
			close(ch)
		})
	}
	c.mu.Lock()
	c.release = append(c.release, release)
	c.mu.Unlock()
	return release
}

// RequireBearer makes the fake answer 401 to calls whose Authorization is
// not "Bearer "+token.
func (c *Connector) RequireBearer(token string) {
	c.requireBearer(func(got string) bool { return got == token })
}

// RequireTokensFrom makes the fake answer 401 to calls whose bearer token
// was not issued by te.
func (c *Connector) RequireTokensFrom(te *TokenEndpoint) { c.requireBearer(te.Valid) }

func (c *Connector) requireBearer(valid func(string) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bearer = valid
}

// Calls returns the calls received so far.
func (c *Connector) Calls() []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Call(nil), c.calls...)
}

// Wait returns the calls once at least n have been received, or ctx's
// error.
func (c *Connector) Wait(ctx context.Context, n int) ([]Call, error) {
	for {
		c.mu.Lock()
		if len(c.calls) >= n {
			calls := append([]Call(nil), c.calls...)
			c.mu.Unlock()
			return calls, nil
		}
		changed := c.changed
		got := len(c.calls)
		c.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("bftest: %d of %d connector calls received: %w", got, n, ctx.Err())
		}
	}
}

// WaitForCall waits up to timeout for the n-th call (counting from 1) and
// returns it; the test fails if it does not come.
func (c *Connector) WaitForCall(tb testing.TB, n int, timeout time.Duration) Call {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	calls, err := c.Wait(ctx, n)
	if err != nil {
		tb.Fatal(err)
	}
	return calls[n-1]
}

// serve records and answers one call.
func (c *Connector) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	call := Call{
		Method:        r.Method,
		Path:          r.URL.Path,
		RawPath:       r.URL.EscapedPath(),
		Header:        r.Header.Clone(),
		Authorization: r.Header.Get("Authorization"),
		RawBody:       body,
	}
	_ = json.Unmarshal(body, &call.Body)
	route, ok := parseRoute(call.RawPath)
	call.ConversationID, call.ActivityID = route.conversationID, route.activityID

	c.mu.Lock()
	if held := c.held; held != nil {
		c.calls = append(c.calls, call) // arrived: recorded now, answered on release
		n := len(c.calls) - 1
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
		select {
		case <-held:
		case <-r.Context().Done():
			return
		}
		c.mu.Lock()
		status, answer, retryAfter, hangUp := c.answer(r.Method, route, ok, call.Authorization)
		c.calls[n].Status = status
		c.mu.Unlock()
		c.respond(w, status, answer, retryAfter, hangUp)
		return
	}
	status, answer, retryAfter, hangUp := c.answer(r.Method, route, ok, call.Authorization)
	call.Status = status
	c.calls = append(c.calls, call)
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
	c.respond(w, status, answer, retryAfter, hangUp)
}

// respond writes the answer decided for a call.
func (c *Connector) respond(w http.ResponseWriter, status int, answer any, retryAfter string, hangUp bool) {
	if hangUp {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // a reset, not an orderly close
			}
			conn.Close()
		}
		return
	}

	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	if answer == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, answer)
}

// answer decides the response (a status of 0 with hangUp for a
// connection closed without one); c.mu is held.
func (c *Connector) answer(method string, rt route, ok bool, authorization string) (status int, body any, retryAfter string, hangUp bool) {
	if c.bearer != nil {
		tok, isBearer := strings.CutPrefix(authorization, "Bearer ")
		if !isBearer || !c.bearer(tok) {
			return http.StatusUnauthorized, errorBody("BotNotRegistered", "Authorization has been denied for this request."), "", false
		}
	}
	if f, failing := takeFailure(&c.failures); failing {
		if f.hangUp {
			return 0, nil, "", true
		}
		return f.status, errorBody(f.code, f.message), f.retryAfter, false
	}
	if !ok {
		return http.StatusNotFound, errorBody("NotFound", "No such operation."), "", false
	}
	switch {
	case rt.kind == routeConversations && method == http.MethodPost:
		c.nextID++
		return http.StatusCreated, map[string]any{"id": "a:fake-conversation-" + strconv.FormatInt(c.nextID, 10)}, "", false
	case rt.kind == routeActivities && method == http.MethodPost:
		c.nextID++
		return http.StatusOK, map[string]any{"id": strconv.FormatInt(c.nextID, 10)}, "", false
	case rt.kind == routeActivity && method == http.MethodPost:
		c.nextID++
		return http.StatusOK, map[string]any{"id": strconv.FormatInt(c.nextID, 10)}, "", false
	case rt.kind == routeActivity && method == http.MethodPut:
		return http.StatusOK, map[string]any{"id": rt.activityID}, "", false
	case rt.kind == routeActivity && method == http.MethodDelete:
		return http.StatusOK, nil, "", false
	}
	return http.StatusMethodNotAllowed, errorBody("MethodNotAllowed", "Method not allowed."), "", false
}

// errorBody is the Bot Connector's ErrorResponse.
func errorBody(code, message string) map[string]any {
	return map[string]any{"error": map[string]any{"code": code, "message": message}}
}

// Kinds of path the fake serves.
const (
	routeConversations = iota + 1 // /v3/conversations
	routeActivities               // /v3/conversations/{id}/activities
	routeActivity                 // /v3/conversations/{id}/activities/{activityId}
)

// route is a parsed request path.
type route struct {
	kind           int
	conversationID string
	activityID     string
}

// parseRoute splits an escaped path into its decoded segments.
func parseRoute(rawPath string) (route, bool) {
	parts := strings.Split(strings.Trim(rawPath, "/"), "/")
	seg := make([]string, len(parts))
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		if err != nil {
			return route{}, false
		}
		seg[i] = s
	}
	switch {
	case len(seg) == 2 && seg[0] == "v3" && seg[1] == "conversations":
		return route{kind: routeConversations}, true
	case len(seg) == 4 && seg[0] == "v3" && seg[1] == "conversations" && seg[3] == "activities":
		return route{kind: routeActivities, conversationID: seg[2]}, true
	case len(seg) == 5 && seg[0] == "v3" && seg[1] == "conversations" && seg[3] == "activities":
		return route{kind: routeActivity, conversationID: seg[2], activityID: seg[4]}, true
	}
	return route{}, false
}
