package fakegraph

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
)

// Routes a client needs at tenant scale: JSON batching, counting with
// the $count segment, and a group's app role assignments.
//
// https://learn.microsoft.com/graph/json-batching
// https://learn.microsoft.com/graph/aad-advanced-queries
// https://learn.microsoft.com/graph/api/group-list-approleassignments

// maxBatchRequests is how many requests one JSON batch may hold.
// https://learn.microsoft.com/graph/json-batching#batch-size-limitations
const maxBatchRequests = 20

func (s *Server) scaleRoutes() []route {
	p := func(path string) []string { return strings.Split(path, "/") }
	return []route{
		{method: "POST", version: "v1.0", pattern: p("$batch"), outer: serveBatch},
		{method: "POST", version: "beta", pattern: p("$batch"), outer: serveBatch},
		{method: "GET", version: "v1.0", pattern: p("groups/{}/appRoleAssignments"), perms: []string{"Directory.Read.All"},
			optional: []string{"$filter", "$top", "$select", "$count", "$skiptoken"}, handle: groupAssignments},
		{method: "GET", version: "v1.0", pattern: p("servicePrincipals/{}/appRoleAssignedTo/$count"), perms: []string{"Application.Read.All"},
			optional: []string{"$filter"}, handle: countAssignedTo},
		{method: "GET", version: "v1.0", pattern: p("servicePrincipals/$count"), perms: []string{"Application.Read.All"},
			optional: []string{"$filter"}, handle: countServicePrincipals},
	}
}

// groupAssignments lists the app role assignments granted to a group.
func groupAssignments(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	g := findByID(c.t.Groups, c.params[0])
	if g == nil {
		return errResponse(notFound(c.params[0]))
	}
	id, _ := g["id"].(string)
	return c.list(c.s.index(c.t).byPrincipal[strings.ToLower(id)], q, c.assignmentSpec("groups"+quoteKey(id)+"/appRoleAssignments"))
}

// countAssignedTo answers GET .../appRoleAssignedTo/$count.
func countAssignedTo(c *call) response {
	sp := findByID(c.t.ServicePrincipals, c.params[0])
	if sp == nil {
		return errResponse(notFound(c.params[0]))
	}
	id, _ := sp["id"].(string)
	return c.count(c.s.index(c.t).byResource[strings.ToLower(id)], c.s.cat.assignmentFilter)
}

// countServicePrincipals answers GET /servicePrincipals/$count.
func countServicePrincipals(c *call) response {
	return c.count(c.t.ServicePrincipals, c.s.cat.spFilter)
}

// count answers a $count segment: the number of items (after $filter) as
// text/plain. Directory objects count only with ConsistencyLevel:
// eventual; without it Graph answers 400 "$count is not currently
// supported." (while $count=true as a query option is silently ignored,
// see list).
// https://learn.microsoft.com/graph/aad-advanced-queries#error-handling-for-advanced-queries-on-directory-objects
func (c *call) count(items []Object, filter *filterSchema) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	if !c.consistencyEventual() {
		return errResponse(newError(http.StatusBadRequest, codeDirBadRequest, "$count is not currently supported."))
	}
	n := len(items)
	if q.hasFilter {
		match, err := compileFilter(q.filter, filter, true)
		if err != nil {
			return errResponse(err)
		}
		n = 0
		for _, o := range items {
			if match(o) {
				n++
			}
		}
	}
	return response{status: http.StatusOK, header: http.Header{"Content-Type": {"text/plain;charset=utf-8"}},
		body: []byte(strconv.Itoa(n))}
}

// batchRequest is one request inside a JSON batch.
type batchRequest struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      json.RawMessage   `json:"body,omitempty"`
	DependsOn []string          `json:"dependsOn,omitempty"`
}

// batchResponse is one answer inside a JSON batch.
type batchResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

// serveBatch answers POST /$batch: up to 20 requests with unique ids and
// relative URLs, each answered through the whole pipeline (request log,
// status faults, throttling, permissions) as if sent alone, with the
// batch's Authorization. A malformed batch is answered 400 as a whole.
// Answers come back in reverse order, so a client that matches them to
// requests by position rather than by id fails here as it would against
// Graph, which answers "in the most efficient order". dependsOn is not
// supported (the fake answers 400 to it rather than ignore it).
func serveBatch(c *call) response {
	if _, err := c.query(); err != nil {
		return errResponse(err)
	}
	var in struct {
		Requests *[]batchRequest `json:"requests"`
	}
	if err := json.Unmarshal(c.body, &in); err != nil || in.Requests == nil {
		return errResponse(newError(http.StatusBadRequest, codeBadRequest, "Invalid batch payload format."))
	}
	reqs := *in.Requests
	if len(reqs) == 0 || len(reqs) > maxBatchRequests {
		return errResponse(newError(http.StatusBadRequest, codeBadRequest,
			"A batch holds 1 to %d requests; this one holds %d.", maxBatchRequests, len(reqs)))
	}
	seen := map[string]bool{}
	for _, r := range reqs {
		id := strings.ToLower(r.ID)
		switch {
		case r.ID == "" || r.Method == "" || r.URL == "":
			return errResponse(newError(http.StatusBadRequest, codeBadRequest, "Every batch request needs an id, a method and a url."))
		case seen[id]:
			return errResponse(newError(http.StatusBadRequest, codeBadRequest, "The batch request id '%s' is used more than once.", r.ID))
		case len(r.DependsOn) > 0:
			return errResponse(newError(http.StatusBadRequest, codeBadRequest, "The fake Graph does not implement dependsOn."))
		}
		seen[id] = true
	}
	out := make([]batchResponse, 0, len(reqs))
	for i := len(reqs) - 1; i >= 0; i-- {
		out = append(out, c.s.batchPart(c, reqs[i]))
	}
	return jsonResponse(http.StatusOK, map[string]any{"responses": out})
}

// batchPart answers one request of a batch.
func (s *Server) batchPart(c *call, br batchRequest) batchResponse {
	fail := func(e *apiError) batchResponse {
		return batchResponse{ID: br.ID, Status: e.status, Headers: map[string]string{"Content-Type": "application/json"},
			Body: json.RawMessage(errorBody(e, s.now().UTC().Format("2006-01-02T15:04:05"), c.requestID, c.clientRequestID))}
	}
	rel := br.URL
	if u, err := url.Parse(rel); err != nil || u.IsAbs() || u.Host != "" {
		return fail(newError(http.StatusBadRequest, codeBadRequest, "Batch request urls are relative to the version, such as /users; got '%s'.", br.URL))
	}
	if !strings.HasPrefix(rel, "/") {
		rel = "/" + rel
	}
	if seg, _, _ := strings.Cut(strings.TrimPrefix(rel, "/"), "?"); strings.EqualFold(seg, "$batch") {
		return fail(newError(http.StatusBadRequest, codeBadRequest, "A batch cannot contain another batch."))
	}
	var body []byte
	if len(br.Body) > 0 && string(br.Body) != "null" {
		body = br.Body
		var encoded string
		if json.Unmarshal(br.Body, &encoded) == nil {
			if raw, err := base64.StdEncoding.DecodeString(encoded); err == nil {
				body = raw
			}
		}
	}
	r, err := http.NewRequestWithContext(c.r.Context(), strings.ToUpper(br.Method), c.base+"/"+c.version+rel, bytes.NewReader(body))
	if err != nil {
		return fail(newError(http.StatusBadRequest, codeBadRequest, "Invalid batch request url '%s'.", br.URL))
	}
	r.Host = c.r.Host
	r.TLS = c.r.TLS
	for k, v := range br.Headers {
		r.Header.Set(k, v)
	}
	if auth := c.r.Header.Get("Authorization"); auth != "" {
		r.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	s.serve(rec, r, c.requestID)
	res := rec.Result()
	out := batchResponse{ID: br.ID, Status: res.StatusCode, Headers: map[string]string{}}
	for _, h := range []string{"Content-Type", "Retry-After", "Cache-Control", "OData-Version"} {
		if v := res.Header.Get(h); v != "" {
			out.Headers[h] = v
		}
	}
	data := rec.Body.Bytes()
	switch {
	case len(data) == 0:
	case strings.HasPrefix(strings.ToLower(res.Header.Get("Content-Type")), "application/json") && json.Valid(data):
		out.Body = json.RawMessage(data)
	default:
		// Bodies that are not JSON travel base64-encoded, as the
		// documentation says of binary content.
		out.Body = base64.StdEncoding.EncodeToString(data)
	}
	return out
}
