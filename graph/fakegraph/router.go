package fakegraph

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// route is one Graph operation the fake serves.
type route struct {
	method   string
	version  string   // "v1.0" or "beta"
	pattern  []string // literal segments; "{}" matches any one segment
	perms    []string // permissions it needs; any of them denied → 403
	reports  bool     // reporting API: throttled, its own 403 code
	premium  bool     // needs Entra ID P1/P2
	handle   func(c *call) response
	optional []string // query options it accepts
	// outer answers the request without the tenant lock or the
	// per-route checks, for $batch, whose parts go through them one by
	// one; handle is unused then.
	outer func(c *call) response
}

// call is one request being answered.
type call struct {
	s               *Server
	r               *http.Request
	rt              *route
	t               *Tenant // read under the server's read lock
	params          []string
	version         string
	base            string // scheme://host of this server as the client sees it
	requestID       string
	clientRequestID string
	body            []byte
}

// consistencyEventual reports whether the request carries
// ConsistencyLevel: eventual.
func (c *call) consistencyEventual() bool {
	return strings.EqualFold(strings.TrimSpace(c.r.Header.Get("ConsistencyLevel")), "eventual")
}

// advanced reports whether the request carries both advanced query
// parameters: ConsistencyLevel: eventual and $count=true.
// https://learn.microsoft.com/graph/aad-advanced-queries
func (c *call) advanced(q *queryOptions) bool { return c.consistencyEventual() && q.count }

// query parses the query options against the route's list.
func (c *call) query() (*queryOptions, *apiError) {
	return parseQuery(c.r.URL.RawQuery, c.rt.optional, !c.rt.reports)
}

// serveHTTP is the whole request pipeline: log, faults, routing,
// throttling, permissions, answer.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) { s.serve(w, r, "") }

// serve answers r. batchID is the request-id of the $batch request r is
// a part of ("" for a request of its own): such a sub-request is logged
// with it and suffers no delays of its own (the batch's exchange carries
// them, see serveBatch).
func (s *Server) serve(w http.ResponseWriter, r *http.Request, batchID string) {
	n := s.inFlight.Add(1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	defer s.inFlight.Add(-1)

	rec := Request{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Filter:   queryValue(r, "$filter"),
		Header:   http.Header{},
		Time:     s.now(),
		Batch:    batchID,
	}
	for _, h := range loggedHeaders() {
		if v := r.Header.Values(h); len(v) > 0 {
			rec.Header[http.CanonicalHeaderKey(h)] = append([]string(nil), v...)
		}
	}
	var body []byte
	if r.Body != nil && r.Method != http.MethodGet {
		body = readBody(r)
		rec.Body = body
	}
	rec.RequestID = newUUID()
	clientRequestID := r.Header.Get("client-request-id")
	if clientRequestID == "" {
		clientRequestID = rec.RequestID
	}
	// The request is logged before its answer is written, so that a client
	// holding the answer always finds its request in Requests (and when
	// the handler returns without one).
	logged := false
	logRequest := func() {
		if logged {
			return
		}
		logged = true
		s.reqs.add(rec)
		if s.logger != nil {
			s.logger.Debug("fakegraph request", "method", rec.Method, "path", rec.Path,
				"query", rec.RawQuery, "status", rec.Status, "request_id", rec.RequestID)
		}
	}
	defer logRequest()

	resp, truncate, hung := s.applyFaults(r, batchID != "")
	if hung {
		select {
		case <-s.done:
			// Released by Close: drop the connection rather than let
			// net/http send an empty 200.
			panic(http.ErrAbortHandler)
		default:
			return // the client gave up; nobody reads an answer
		}
	}
	if resp == nil {
		scheme := "http://"
		if r.TLS != nil {
			scheme = "https://"
		}
		c := &call{
			s:               s,
			r:               r,
			base:            scheme + r.Host,
			requestID:       rec.RequestID,
			clientRequestID: clientRequestID,
			body:            body,
		}
		answer := s.dispatch(c)
		resp = &answer
	}
	rec.Status = resp.status
	logRequest()
	s.write(w, resp, rec.RequestID, clientRequestID, truncate)
}

// readBody reads a request body of up to 1 MiB, gunzipping it when the
// client compressed it: msgraph-sdk-go's default middleware sends POST
// bodies with Content-Encoding: gzip, which Graph accepts. A body that
// does not decompress is returned as sent, so it fails JSON decoding.
func readBody(r *http.Request) []byte {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if !strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
		return raw
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return raw
	}
	plain, err := io.ReadAll(io.LimitReader(zr, 1<<20))
	if err != nil {
		return raw
	}
	return plain
}

// applyFaults runs the faults matching r. It returns an answer when a
// fault answers, truncate when the body must be cut, and hung when the
// request was held until the client or the server gave up.
func (s *Server) applyFaults(r *http.Request, inBatch bool) (resp *response, truncate, hung bool) {
	for _, e := range s.faults.take(r) {
		if inBatch && e.kind != effectStatus && e.kind != effectMalformed {
			continue // delays and broken connections belong to the batch's own exchange
		}
		switch e.kind {
		case effectLatency:
			timer := time.NewTimer(e.delay)
			select {
			case <-timer.C:
			case <-r.Context().Done():
				timer.Stop()
				return nil, false, true
			case <-s.done:
				timer.Stop()
				return nil, false, true
			}
		case effectHang:
			select {
			case <-r.Context().Done():
			case <-s.done:
			}
			return nil, false, true
		case effectStatus:
			code, msg := e.code, e.message
			if code == "" {
				code = defaultCode(e.status)
			}
			if msg == "" {
				msg = http.StatusText(e.status)
				if e.status == http.StatusTooManyRequests {
					msg = msgThrottled
				}
			}
			ae := &apiError{status: e.status, code: code, message: msg, retryAfter: e.retryAfter,
				throttled: e.status == http.StatusTooManyRequests}
			out := errResponse(ae)
			return &out, false, false
		case effectMalformed:
			return &response{status: http.StatusOK, body: []byte(malformedBody)}, false, false
		case effectTruncate:
			truncate = true
		}
	}
	return nil, truncate, false
}

// write sends resp with Graph's headers.
func (s *Server) write(w http.ResponseWriter, resp *response, requestID, clientRequestID string, truncate bool) {
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	h.Set("request-id", requestID)
	h.Set("client-request-id", clientRequestID)
	h.Set("Cache-Control", "no-cache")
	h.Set("x-ms-ags-diagnostic", `{"ServerInfo":{"DataCenter":"fakegraph","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"fakegraph"}}`)
	body := resp.body
	if resp.err != nil {
		h.Set("Content-Type", "application/json")
		if resp.err.retryAfter > 0 {
			h.Set("Retry-After", strconv.Itoa(resp.err.retryAfter))
		}
		body = errorBody(resp.err, s.now().UTC().Format("2006-01-02T15:04:05"), requestID, clientRequestID)
	} else if h.Get("Content-Type") == "" {
		h.Set("Content-Type", contentType)
		h.Set("OData-Version", "4.0")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.status)
	if !truncate {
		_, _ = w.Write(body)
		return
	}
	_, _ = w.Write(body[:len(body)/2])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	// Dropping the connection mid-body is what net/http does for this
	// sentinel panic; the client sees an unexpected EOF.
	panic(http.ErrAbortHandler)
}

// dispatch finds the route for c and answers it.
func (s *Server) dispatch(c *call) response {
	segs, err := pathSegments(c.r.URL.EscapedPath())
	if err != nil {
		return errResponse(newError(http.StatusBadRequest, codeBadRequest, "Invalid URL path: %v", err))
	}
	if len(segs) == 0 || (segs[0] != "v1.0" && segs[0] != "beta") {
		first := ""
		if len(segs) > 0 {
			first = segs[0]
		}
		return errResponse(newError(http.StatusNotFound, "NotFound", "Invalid version: %s", first))
	}
	c.version, segs = segs[0], segs[1:]
	var methodMismatch bool
	deepest := 0
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.version != c.version {
			continue
		}
		matched, params := matchPattern(rt.pattern, segs)
		if matched < 0 {
			if rt.method != c.r.Method {
				methodMismatch = true
				continue
			}
			c.params = params
			return s.answer(c, rt)
		}
		deepest = max(deepest, matched)
	}
	if methodMismatch {
		return errResponse(newError(http.StatusMethodNotAllowed, codeDirBadRequest,
			"Specified HTTP method is not allowed for the request target."))
	}
	if c.version == "beta" {
		return errResponse(newError(http.StatusNotFound, "NotFound",
			"The fakegraph fake serves /beta only for servicePrincipals/{id}/synchronization/secrets."))
	}
	seg := ""
	switch {
	case deepest < len(segs):
		seg = segs[deepest]
	case len(segs) > 0:
		seg = segs[len(segs)-1]
	}
	return errResponse(segmentNotFound(seg))
}

// answer runs the per-route checks and the handler.
func (s *Server) answer(c *call, rt *route) response {
	if rt.outer != nil {
		c.rt = rt
		return rt.outer(c)
	}
	if rt.reports && s.throttle != nil {
		if ok, wait := s.throttle.admit(c.r.Header.Get("Authorization"), s.now()); !ok {
			return errResponse(throttledError(wait))
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c.t = s.tenant
	c.rt = rt
	for _, p := range rt.perms {
		if !containsFold(c.t.DeniedPermissions, p) {
			continue
		}
		if rt.reports {
			return errResponse(newError(http.StatusForbidden, codePermissionMissing, msgPermissionMissing, p))
		}
		return errResponse(newError(http.StatusForbidden, codeDenied, msgDenied))
	}
	if rt.premium && c.t.Unlicensed {
		return errResponse(newError(http.StatusForbidden, codeNonPremium, msgNonPremium))
	}
	return rt.handle(c)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// pathSegments splits an escaped path into decoded segments, dropping
// empty ones (a trailing slash).
func pathSegments(escaped string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(escaped, "/") {
		if part == "" {
			continue
		}
		seg, err := url.PathUnescape(part)
		if err != nil {
			return nil, fmt.Errorf("segment %q: %w", part, err)
		}
		out = append(out, seg)
	}
	return out, nil
}

// matchPattern matches segs against a route pattern. It returns -1 and the
// placeholder values on a full match, else how many leading segments
// matched.
func matchPattern(pattern, segs []string) (int, []string) {
	var params []string
	for i, p := range pattern {
		if i >= len(segs) {
			return i, nil
		}
		if p == "{}" {
			params = append(params, segs[i])
			continue
		}
		if !segmentEqual(p, segs[i]) {
			return i, nil
		}
	}
	if len(segs) != len(pattern) {
		return len(pattern), nil
	}
	return -1, params
}

// segmentEqual compares a pattern segment with a path segment, ignoring
// case. A type cast may drop the "microsoft." namespace prefix: Graph
// accepts graph.group for microsoft.graph.group, and msgraph-sdk-go sends
// the short form (.../transitiveMemberOf/graph.group).
func segmentEqual(pattern, seg string) bool {
	if strings.EqualFold(pattern, seg) {
		return true
	}
	short, ok := strings.CutPrefix(pattern, "microsoft.graph.")
	return ok && strings.EqualFold("graph."+short, seg)
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
