package fakegraph

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestFaultStatusOneShot(t *testing.T) {
	srv := newFixtureServer(t)
	route := Route("GET", "/v1.0/auditLogs/provisioning")
	srv.Fault(route, Status(429, RetryAfter(2)), Times(1))

	r := get(t, srv, "/v1.0/auditLogs/provisioning")
	wantError(t, r, 429, "TooManyRequests", "Please retry again later.")
	if r.header.Get("Retry-After") != "2" {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	wantStatus(t, get(t, srv, "/v1.0/auditLogs/provisioning"), 200)
}

func TestFaultStatusKinds(t *testing.T) {
	tests := []struct {
		name       string
		effect     Effect
		status     int
		code       string
		retryAfter string
	}{
		{"503 with Retry-After", Status(503, RetryAfter(7)), 503, "ServiceUnavailable", "7"},
		{"503 without Retry-After", Status(503), 503, "ServiceUnavailable", ""},
		{"500", Status(500), 500, "InternalServerError", ""},
		{"504", Status(504), 504, "GatewayTimeout", ""},
		{"custom code", Status(403, WithError("Authorization_RequestDenied", "nope")), 403, "Authorization_RequestDenied", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFixtureServer(t)
			srv.Fault(Route("*", "/v1.0/users/*"), tt.effect)
			for i := 0; i < 2; i++ { // permanent: both requests fail
				r := get(t, srv, "/v1.0/users/"+adaID)
				wantStatus(t, r, tt.status)
				if got := r.errCode(t); got != tt.code {
					t.Errorf("code = %q, want %q", got, tt.code)
				}
				if got := r.header.Get("Retry-After"); got != tt.retryAfter {
					t.Errorf("Retry-After = %q, want %q", got, tt.retryAfter)
				}
			}
			wantStatus(t, get(t, srv, "/v1.0/users"), 200) // pattern is one segment deep
			srv.ClearFaults()
			wantStatus(t, get(t, srv, "/v1.0/users/"+adaID), 200)
		})
	}
}

func TestFaultTimesAndMethod(t *testing.T) {
	srv := newFixtureServer(t)
	srv.Fault(Route("POST", "/v1.0/users/*/checkMemberGroups"), Status(500), Times(2))
	wantStatus(t, get(t, srv, "/v1.0/users/"+adaID), 200) // GET is not matched
	body := `{"groupIds": ["` + salesID + `"]}`
	url := srv.URL() + "/v1.0/users/" + adaID + "/checkMemberGroups"
	wantStatus(t, send(t, "POST", url, body), 500)
	wantStatus(t, send(t, "POST", url, body), 500)
	wantStatus(t, send(t, "POST", url, body), 200)
}

func TestFaultMalformedJSON(t *testing.T) {
	srv := newFixtureServer(t)
	srv.Fault(Route("GET", "/v1.0/servicePrincipals"), MalformedJSON(), Times(1))
	r := get(t, srv, "/v1.0/servicePrincipals")
	wantStatus(t, r, 200)
	if r.header.Get("Content-Type") != contentType {
		t.Errorf("Content-Type = %q", r.header.Get("Content-Type"))
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err == nil {
		t.Errorf("body %q is valid JSON", r.body)
	}
}

func TestFaultSecondPageFails(t *testing.T) {
	srv := newFixtureServer(t)
	srv.Fault(Route("GET", "/v1.0/auditLogs/provisioning").Page(2), Status(500), Times(1))
	first := get(t, srv, withQuery("/v1.0/auditLogs/provisioning", "$top", "2"))
	wantStatus(t, first, 200)
	next := first.obj(t)["@odata.nextLink"].(string)
	wantError(t, send(t, "GET", next, ""), 500, "InternalServerError", "Internal Server Error")
	// The fault was one-shot: a retry of page 2 works and page 3 is not hit.
	second := send(t, "GET", next, "")
	wantStatus(t, second, 200)
	if got := second.ids(t); len(got) != 2 {
		t.Errorf("page 2 = %v", got)
	}
}

func TestFaultTruncatedBodyMidPaging(t *testing.T) {
	srv := newFixtureServer(t)
	srv.Fault(Route("GET", "/v1.0/users").Page(2), TruncatedBody())
	first := get(t, srv, withQuery("/v1.0/users", "$top", "2"))
	wantStatus(t, first, 200)
	next := first.obj(t)["@odata.nextLink"].(string)

	req, err := http.NewRequestWithContext(t.Context(), "GET", next, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	data, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read error = %v, want unexpected EOF (got %d bytes of %d)", err, len(data), resp.ContentLength)
	}
	if reqs := srv.Requests(); reqs[len(reqs)-1].Status != 200 {
		t.Errorf("logged status = %d", reqs[len(reqs)-1].Status)
	}
}

func TestFaultHangUntilClientGivesUp(t *testing.T) {
	srv := newFixtureServer(t)
	srv.Fault(Route("GET", "/v1.0/organization"), Hang())
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/v1.0/organization", nil)
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want deadline exceeded", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("hung request took %v to give up", time.Since(start))
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		reqs := srv.Requests()
		if len(reqs) == 1 && reqs[0].Status == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("hung request not logged with status 0: %+v", reqs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestFaultHangReleasedByClose(t *testing.T) {
	srv := New(fixture(t), WithThrottle(0, 0))
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	srv.Fault(Route("*", "/v1.0/*"), Hang())
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(srv.URL() + "/v1.0/users")
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for srv.inFlight.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	srv.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("hung request got an answer after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release the hung request")
	}
	srv.Close() // idempotent
}

func TestFaultLatencyAndMaxInFlight(t *testing.T) {
	srv := newFixtureServer(t)
	srv.Fault(Route("GET", "/v1.0/users/*"), Latency(150*time.Millisecond))

	start := time.Now()
	wantStatus(t, get(t, srv, "/v1.0/users/"+adaID), 200)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("latency fault took %v, want at least 150ms", d)
	}
	wantStatus(t, get(t, srv, "/v1.0/users/"+zoeID), 200)
	if got := srv.MaxInFlight(); got != 1 {
		t.Errorf("MaxInFlight after sequential requests = %d, want 1", got)
	}

	srv.Reset()
	var wg sync.WaitGroup
	for _, id := range []string{adaID, conanID, zoeID, graceID} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(srv.URL() + "/v1.0/users/" + id)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}()
	}
	wg.Wait()
	if got := srv.MaxInFlight(); got != 4 {
		t.Errorf("MaxInFlight after 4 parallel requests = %d, want 4", got)
	}
}

func TestFaultLatencyComposesWithStatus(t *testing.T) {
	srv := newFixtureServer(t)
	route := Route("GET", "/v1.0/servicePrincipals")
	srv.Fault(route, Latency(50*time.Millisecond))
	srv.Fault(route, Status(503, RetryAfter(1)), Times(1))
	start := time.Now()
	wantStatus(t, get(t, srv, "/v1.0/servicePrincipals"), 503)
	if time.Since(start) < 50*time.Millisecond {
		t.Error("latency did not apply before the status")
	}
	wantStatus(t, get(t, srv, "/v1.0/servicePrincipals"), 200)
}
