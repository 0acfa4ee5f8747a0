package lafake

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Workspace is one Log Analytics workspace: its id and the rows of its
// AADProvisioningLogs table.
type Workspace struct {
	// ID is the workspace id (a GUID).
	ID string
	// Rows are the table's rows, in any order.
	Rows []Row
	// NoTable makes the workspace one that never received provisioning
	// logs: it has no AADProvisioningLogs table at all.
	NoTable bool
}

// Request is one request the fake answered, for tests.
type Request struct {
	// Workspace is the workspace id in the path.
	Workspace string
	// Query and Timespan are the body's.
	Query, Timespan string
	// Prefer is the Prefer header (wait=…).
	Prefer string
	// Authorized is true when a bearer token came with it.
	Authorized bool
	// Status is the answer's status.
	Status int
}

// Server is a fake Azure Monitor Log Analytics query API
// (POST /v1/workspaces/{id}/query) serving AADProvisioningLogs. The real
// Azure SDK client talks to it over HTTP: it answers with the API's
// response format (tables of columns and rows, datetimes with seven
// fractional digits), its OneAPI error objects (400 syntax and semantic
// errors, 401/403 token errors, 403 InsufficientAccessError for a caller
// without a role on the workspace, 404 for an unknown workspace), its
// per-caller throttling (429 with Retry-After) and its partial results
// (200 with a PartialError when a result exceeds the record limit).
//
// https://learn.microsoft.com/azure/azure-monitor/logs/api/response-format
// https://learn.microsoft.com/azure/azure-monitor/logs/api/errors
type Server struct {
	mu         sync.Mutex
	workspaces map[string]*Workspace
	denied     map[string]bool
	token      string
	now        func() time.Time
	log        *slog.Logger
	maxRecords int
	delay      time.Duration
	faults     []int
	requests   []Request
	limits     *limiter

	srv *http.Server
	ln  net.Listener
}

// Option configures a Server.
type Option func(*Server)

// WithToken makes the server require "Authorization: Bearer token"; by
// default it takes requests without a token (loopback test use).
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithNow sets the server's clock (ago(), timespans given as durations).
func WithNow(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithLogger logs every request at debug level.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithThrottle sets the per-caller request limit per window (0 requests:
// no limit).
func WithThrottle(requests int, window time.Duration) Option {
	return func(s *Server) { s.limits.requests, s.limits.window = requests, window }
}

// WithConcurrency sets how many queries of one caller run at once, how
// many more may queue, and how long one may wait in the queue.
func WithConcurrency(running, queue int, wait time.Duration) Option {
	return func(s *Server) { s.limits.running, s.limits.queue, s.limits.queueWait = running, queue, wait }
}

// WithMaxRecords sets the record limit of one result (the API's is
// 500,000); a larger result is cut there and answered as a PartialError.
func WithMaxRecords(n int) Option { return func(s *Server) { s.maxRecords = n } }

// WithQueryDelay makes every query take this long (for concurrency tests).
func WithQueryDelay(d time.Duration) Option { return func(s *Server) { s.delay = d } }

// New returns a server holding the given workspaces.
func New(workspaces []*Workspace, opts ...Option) *Server {
	s := &Server{workspaces: map[string]*Workspace{}, denied: map[string]bool{}, now: time.Now,
		log: slog.New(slog.DiscardHandler), maxRecords: 500000,
		limits: &limiter{requests: DefaultRequests, window: DefaultWindow, running: DefaultConcurrency,
			queue: DefaultQueue, queueWait: DefaultQueueWait, callers: map[string]*callerState{}}}
	for _, w := range workspaces {
		s.workspaces[strings.ToLower(w.ID)] = w
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Deny makes the workspace refuse this server's callers as the API refuses
// an identity without a role on it (403 InsufficientAccessError).
func (s *Server) Deny(workspaceID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denied[strings.ToLower(workspaceID)] = true
}

// Add adds rows to a workspace.
func (s *Server) Add(workspaceID string, rows ...Row) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.workspaces[strings.ToLower(workspaceID)]
	if !ok {
		w = &Workspace{ID: workspaceID}
		s.workspaces[strings.ToLower(workspaceID)] = w
	}
	w.Rows = append(w.Rows, rows...)
}

// FailNext makes the next requests fail with these statuses, in order
// (429s carry Retry-After: 1).
func (s *Server) FailNext(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, statuses...)
}

// Requests returns the requests answered so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Start serves on the listener until Close.
func (s *Server) Start(l net.Listener) {
	s.ln = l
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(l) }()
}

// StartLoopback serves on a free loopback port.
func (s *Server) StartLoopback() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("lafake: listen: %w", err)
	}
	s.Start(l)
	return nil
}

// URL is the API's base URL with its version ("http://127.0.0.1:port/v1").
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/v1" }

// Close stops the server.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Close()
}

var queryPath = regexp.MustCompile(`^/v1/workspaces/([^/]+)/query$`)

// ServeHTTP answers one query request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req := Request{Prefer: r.Header.Get("Prefer"), Authorized: strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ")}
	status := s.serve(w, r, &req)
	req.Status = status
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	s.log.Debug("lafake", "workspace", req.Workspace, "status", status)
}

// serve answers the request and returns the status it sent.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, req *Request) int {
	m := queryPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return writeError(w, http.StatusNotFound, "PathNotFoundError", "The requested path does not exist", nil)
	}
	req.Workspace = m[1]
	if r.Method != http.MethodPost {
		return writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "Use POST with a JSON body", nil)
	}
	var body struct {
		Query      string   `json:"query"`
		Timespan   string   `json:"timespan"`
		Workspaces []string `json:"workspaces"`
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || json.Unmarshal(data, &body) != nil {
		return writeError(w, http.StatusBadRequest, "BadArgumentError", "The request had some invalid properties",
			map[string]any{"code": "InvalidBody", "message": "The body is not a JSON query request"})
	}
	req.Query, req.Timespan = body.Query, body.Timespan

	auth := r.Header.Get("Authorization")
	if s.token != "" {
		switch {
		case auth == "":
			return writeError(w, http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", nil)
		case auth != "Bearer "+s.token:
			return writeError(w, http.StatusForbidden, "InvalidAuthenticationToken", "The access token is invalid.", nil)
		}
	}
	s.mu.Lock()
	ws, known := s.workspaces[strings.ToLower(req.Workspace)]
	denied := s.denied[strings.ToLower(req.Workspace)]
	var fault int
	if len(s.faults) > 0 {
		fault, s.faults = s.faults[0], s.faults[1:]
	}
	var rows []Row
	noTable := false
	if known {
		rows = append(rows, ws.Rows...)
		noTable = ws.NoTable
	}
	s.mu.Unlock()
	switch {
	case !known:
		return writeError(w, http.StatusNotFound, "WorkspaceNotFoundError", fmt.Sprintf("Workspace '%s' could not be found", req.Workspace), nil)
	case denied:
		return writeError(w, http.StatusForbidden, "InsufficientAccessError", "The provided credentials have insufficient access to perform the requested operation",
			map[string]any{"code": "UnauthorizedClient", "message": "The service principal does not have sufficient permissions to access this resource: " + req.Workspace})
	}

	caller := auth
	if caller == "" {
		caller, _, _ = net.SplitHostPort(r.RemoteAddr)
	}
	now := s.now().UTC()
	if ok, wait := s.limits.allow(caller, now); !ok {
		return throttled(w, wait, fmt.Sprintf("Too many requests: more than %d in %s", s.limits.requests, s.limits.window))
	}
	release, ok := s.limits.acquire(r.Context(), caller)
	if !ok {
		return throttled(w, time.Second, "Too many queries are running or waiting for this caller")
	}
	defer release()
	if fault != 0 {
		if fault == http.StatusTooManyRequests {
			return throttled(w, time.Second, "Too many requests")
		}
		return writeError(w, fault, "ServiceError", "The service failed to process the query", nil)
	}
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-r.Context().Done():
			return 499
		}
	}

	if strings.TrimSpace(body.Query) == "" {
		return writeError(w, http.StatusBadRequest, "BadArgumentError", "The request had some invalid properties",
			map[string]any{"code": "QueryMissing", "message": "The query is missing"})
	}
	from, to, err := parseTimespan8601(body.Timespan, now)
	if err != nil {
		return writeError(w, http.StatusBadRequest, "BadArgumentError", "The request had some invalid properties",
			map[string]any{"code": "InvalidTimespan", "message": err.Error()})
	}
	cols := schema
	for _, row := range rows {
		if _, ok := row["Action"]; ok {
			cols = withAction
			break
		}
	}
	tables := map[string][]column{Table: cols}
	if noTable {
		tables = map[string][]column{}
	}
	prog, err := compile(body.Query, tables, now)
	if err != nil {
		return queryError(w, err)
	}
	recs := make([]record, 0, len(rows))
	for _, row := range rows {
		t := row.time()
		if !from.IsZero() && (t.Before(from) || !t.Before(to)) {
			continue
		}
		rec := make(record, len(row))
		for k, v := range row {
			if n, ok := v.(int64); ok {
				rec[k] = float64(n)
			} else {
				rec[k] = v
			}
		}
		recs = append(recs, rec)
	}
	for _, op := range prog.ops {
		recs = op(recs)
	}
	var partial any
	if len(recs) > s.maxRecords {
		recs = recs[:s.maxRecords]
		partial = map[string]any{
			"code": "PartialError", "message": "There were some errors when processing your query.",
			"details": []any{map[string]any{
				"code": "EngineError", "message": "Something went wrong processing your query on the server.",
				"innererror": map[string]any{"code": "-2133196797", "severity": 2, "severityName": "Error",
					"message": fmt.Sprintf("Query result set has exceeded the internal record count limit %d (E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)", s.maxRecords)},
			}},
		}
	}
	return writeResult(w, prog.cols, recs, partial)
}
