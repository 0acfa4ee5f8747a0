package fakegraph

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/internal/fakeclock"
)

// Ids of the fixture tenant in testdata/tenant.json.
const (
	adaID     = "11111111-1111-4111-8111-111111111111"
	conanID   = "22222222-2222-4222-8222-222222222222"
	zoeID     = "33333333-3333-4333-8333-333333333333"
	graceID   = "44444444-4444-4444-8444-444444444444"
	alanID    = "55555555-5555-4555-8555-555555555555"
	deletedID = "66666666-6666-4666-8666-666666666666"
	salesID   = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
	staffID   = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
	loopAID   = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"
	loopBID   = "dddddddd-dddd-4ddd-8ddd-dddddddddddd"
	sfID      = "eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee"
	boxID     = "ffffffff-ffff-4fff-8fff-ffffffffffff"
	scimID    = "12121212-1212-4121-8121-121212121212"
)

// testNow is the fixed time the fixture is loaded at.
func testNow() time.Time { return time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) }

// newClock is a settable clock at testNow for the server.
func newClock() *fakeclock.Clock { return fakeclock.New(testNow()) }

// fixture loads testdata/tenant.json at testNow.
func fixture(t *testing.T) *Tenant {
	t.Helper()
	tenant, err := LoadTenantFile("testdata/tenant.json", testNow())
	if err != nil {
		t.Fatalf("load fixture: %v", err)
	}
	return tenant
}

// newFixtureServer starts a server on the fixture with a fixed clock and
// no throttling unless opts say otherwise.
func newFixtureServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	clock := newClock()
	all := append([]Option{WithNow(clock.Now), WithThrottle(0, 0)}, opts...)
	return NewTestServer(t, fixture(t), all...)
}

// result is an answer read by a test.
type result struct {
	status int
	header http.Header
	body   []byte
}

// obj decodes the body as a JSON object.
func (r result) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode body %q: %v", r.body, err)
	}
	return m
}

// errCode returns error.code of an error body.
func (r result) errCode(t *testing.T) string {
	t.Helper()
	e, _ := r.obj(t)["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// errMessage returns error.message of an error body.
func (r result) errMessage(t *testing.T) string {
	t.Helper()
	e, _ := r.obj(t)["error"].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}

// values returns the "value" array of a collection answer.
func (r result) values(t *testing.T) []map[string]any {
	t.Helper()
	raw, ok := r.obj(t)["value"].([]any)
	if !ok {
		t.Fatalf("no value array in %s", r.body)
	}
	out := make([]map[string]any, 0, len(raw))
	for _, v := range raw {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("value item %T in %s", v, r.body)
		}
		out = append(out, m)
	}
	return out
}

// ids returns the ids of a collection answer, in order.
func (r result) ids(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, v := range r.values(t) {
		id, _ := v["id"].(string)
		out = append(out, id)
	}
	return out
}

// send makes one request; headers are name, value pairs.
func send(t *testing.T, method, rawURL, body string, headers ...string) result {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, rawURL, rd)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body of %s %s: %v", method, rawURL, err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: data}
}

// get requests path (with query) on srv.
func get(t *testing.T, srv *Server, pathAndQuery string, headers ...string) result {
	t.Helper()
	return send(t, http.MethodGet, srv.URL()+pathAndQuery, "", headers...)
}

// withQuery appends encoded query options to a path, in the given order,
// the way kiota sends them ("%24filter=...").
func withQuery(path string, kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, url.QueryEscape(kv[i])+"="+url.QueryEscape(kv[i+1]))
	}
	if len(parts) == 0 {
		return path
	}
	return path + "?" + strings.Join(parts, "&")
}

// advancedHeaders are the ConsistencyLevel header of advanced queries.
func advancedHeaders() []string { return []string{"ConsistencyLevel", "eventual"} }

// sameSet reports whether a and b hold the same strings in any order.
func sameSet(a, b []string) bool {
	x := append([]string(nil), a...)
	y := append([]string(nil), b...)
	sort.Strings(x)
	sort.Strings(y)
	if len(x) == 0 && len(y) == 0 {
		return true
	}
	return reflect.DeepEqual(x, y)
}

// wantStatus fails the test when r has another status.
func wantStatus(t *testing.T, r result, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
}

// wantError checks a Graph error answer: status, code and a fragment of
// the message.
func wantError(t *testing.T, r result, status int, code, msgPart string) {
	t.Helper()
	wantStatus(t, r, status)
	if got := r.errCode(t); got != code {
		t.Errorf("error code = %q, want %q; body %s", got, code, r.body)
	}
	if msg := r.errMessage(t); !strings.Contains(msg, msgPart) {
		t.Errorf("error message = %q, want it to contain %q", msg, msgPart)
	}
	inner, _ := r.obj(t)["error"].(map[string]any)["innerError"].(map[string]any)
	for _, k := range []string{"date", "request-id", "client-request-id"} {
		if s, _ := inner[k].(string); s == "" {
			t.Errorf("innerError.%s missing in %s", k, r.body)
		}
	}
}

// jsonNumber builds a json.Number as stored by LoadTenant.
func jsonNumber(s string) json.Number { return json.Number(s) }
