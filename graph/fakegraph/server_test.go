package fakegraph

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestResponseHeaders(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/users/"+adaID, "client-request-id", "my-request-7")
	wantStatus(t, r, 200)
	if got := r.header.Get("Content-Type"); got != "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8" {
		t.Errorf("Content-Type = %q", got)
	}
	if r.header.Get("client-request-id") != "my-request-7" {
		t.Errorf("client-request-id = %q, want the client's", r.header.Get("client-request-id"))
	}
	rid := r.header.Get("request-id")
	if len(rid) != 36 || matchGUID(rid) != 36 {
		t.Errorf("request-id = %q, want a GUID", rid)
	}
	if r.header.Get("OData-Version") != "4.0" {
		t.Errorf("OData-Version = %q", r.header.Get("OData-Version"))
	}

	r = get(t, srv, "/v1.0/users/nobody")
	if r.header.Get("client-request-id") != r.header.Get("request-id") {
		t.Error("without a client-request-id the server should answer its request-id")
	}
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("error Content-Type = %q", r.header.Get("Content-Type"))
	}
	inner := r.obj(t)["error"].(map[string]any)["innerError"].(map[string]any)
	if inner["request-id"] != r.header.Get("request-id") || inner["date"] != "2025-03-01T12:00:00" {
		t.Errorf("innerError = %v", inner)
	}
}

func TestRoutingErrors(t *testing.T) {
	srv := newFixtureServer(t)
	tests := []struct {
		name, method, path string
		status             int
		code, msg          string
	}{
		{"no version", "GET", "/users", 404, "NotFound", "Invalid version: users"},
		{"unknown version", "GET", "/v2.0/users", 404, "NotFound", "Invalid version: v2.0"},
		{"root", "GET", "/", 404, "NotFound", "Invalid version"},
		{"unknown segment", "GET", "/v1.0/usres", 400, "BadRequest", "Resource not found for the segment 'usres'."},
		{"unknown nested segment", "GET", "/v1.0/users/" + adaID + "/manager", 400, "BadRequest", "Resource not found for the segment 'manager'."},
		{"beta elsewhere", "GET", "/beta/auditLogs/provisioning", 404, "NotFound", "/beta only"},
		{"wrong method", "DELETE", "/v1.0/users/" + adaID, 405, "Request_BadRequest", "Specified HTTP method is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, send(t, tt.method, srv.URL()+tt.path, ""), tt.status, tt.code, tt.msg)
		})
	}
}

func TestRequestLog(t *testing.T) {
	srv := newFixtureServer(t)
	filter := "surname eq 'O''Brien'"
	get(t, srv, withQuery("/v1.0/users", "$filter", filter, "$top", "5"),
		"Authorization", "Bearer token", "ConsistencyLevel", "eventual", "client-request-id", "c1")
	send(t, "POST", srv.URL()+"/v1.0/users/"+adaID+"/checkMemberGroups", `{"groupIds":[]}`)

	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("logged %d requests, want 2", len(reqs))
	}
	r0 := reqs[0]
	if r0.Method != "GET" || r0.Path != "/v1.0/users" || r0.Filter != filter || r0.Status != 200 ||
		!strings.Contains(r0.RawQuery, "%24top=5") || r0.RequestID == "" || !r0.Time.Equal(testNow()) {
		t.Errorf("first request = %+v", r0)
	}
	if r0.Header.Get("Authorization") != "Bearer token" || r0.Header.Get("ConsistencyLevel") != "eventual" ||
		r0.Header.Get("Client-Request-Id") != "c1" {
		t.Errorf("logged headers = %v", r0.Header)
	}
	if string(reqs[1].Body) != `{"groupIds":[]}` || reqs[1].Status != 200 {
		t.Errorf("second request = %+v", reqs[1])
	}

	reqs[0].Header.Set("Authorization", "changed")
	if srv.Requests()[0].Header.Get("Authorization") != "Bearer token" {
		t.Error("Requests returned the log's own headers")
	}
	srv.Reset()
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("after Reset: %d requests", n)
	}
}

func TestUpdateWhileServing(t *testing.T) {
	srv := newFixtureServer(t)
	srv.Update(func(tenant *Tenant) {
		tenant.AddProvisioning(Object{"id": "p-new", "activityDateTime": "2025-03-01T11:59:00Z"})
	})
	r := get(t, srv, withQuery("/v1.0/auditLogs/provisioning", "$top", "1"))
	if got := r.ids(t); len(got) != 1 || got[0] != "p-new" {
		t.Errorf("newest entry = %v", got)
	}
}

func TestHandlerOnHTTPTestServer(t *testing.T) {
	srv := New(fixture(t), WithPageSize(2), WithThrottle(0, 0))
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)
	r := send(t, "GET", ts.URL+"/v1.0/users", "")
	wantStatus(t, r, 200)
	next, _ := r.obj(t)["@odata.nextLink"].(string)
	if !strings.HasPrefix(next, ts.URL+"/v1.0/users?") {
		t.Errorf("nextLink %q is not on the serving host %s", next, ts.URL)
	}
	if srv.URL() != "" {
		t.Errorf("URL() = %q before Start", srv.URL())
	}
}

func TestHandlerOverTLSLinksWithHTTPS(t *testing.T) {
	srv := New(fixture(t), WithPageSize(2), WithThrottle(0, 0))
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(ts.Close)
	resp, err := ts.Client().Get(ts.URL + "/v1.0/users")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if next, _ := body["@odata.nextLink"].(string); !strings.HasPrefix(next, ts.URL+"/v1.0/users?") || !strings.HasPrefix(next, "https://") {
		t.Errorf("nextLink = %q", next)
	}
}

func TestStartListener(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := New(fixture(t))
	if err := srv.StartListener(l); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if srv.URL() != "http://"+l.Addr().String() {
		t.Errorf("URL() = %q", srv.URL())
	}
	wantStatus(t, get(t, srv, "/v1.0/organization"), 200)
	if err := srv.Start(); err == nil {
		t.Error("second Start succeeded")
	}
	srv.Close()
	if _, err := http.Get(srv.URL() + "/v1.0/organization"); err == nil {
		t.Error("server still answers after Close")
	}
}

// TestConcurrentUse exercises the server from many goroutines; run with
// -race.
func TestConcurrentUse(t *testing.T) {
	srv := newFixtureServer(t, WithThrottle(5, 1))
	srv.Fault(Route("GET", "/v1.0/servicePrincipals"), Status(503), Times(3))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 10; j++ {
				for _, p := range []string{"/v1.0/users?%24top=2", "/v1.0/servicePrincipals", "/v1.0/auditLogs/provisioning",
					fmt.Sprintf("/v1.0/users/%s/transitiveMemberOf", adaID)} {
					resp, err := http.Get(srv.URL() + p)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
				}
				srv.Update(func(tenant *Tenant) { tenant.AddDirectoryAudit(Object{"id": fmt.Sprint("d", j)}) })
				_ = srv.Requests()
				_ = srv.MaxInFlight()
			}
		}()
	}
	wg.Wait()
	if n := len(srv.Requests()); n != 8*10*4 {
		t.Errorf("logged %d requests, want %d", n, 8*10*4)
	}
}
