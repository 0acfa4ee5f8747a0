package graph_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	khttp "github.com/microsoft/kiota-http-go"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// fakeCredential hands out a fixed token and remembers the scopes asked.
type fakeCredential struct {
	mu     sync.Mutex
	scopes []string
}

func (f *fakeCredential) GetToken(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scopes = append(f.scopes, opts.Scopes...)
	return azcore.AccessToken{Token: "fake-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// roundTripFunc captures outbound requests.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNewAuthenticatesWithTheCredential(t *testing.T) {
	srv := fakegraph.NewTestServer(t, loadTenant(t), fakegraph.WithThrottle(0, 0))
	cred := &fakeCredential{}
	c, err := graph.New(cred, graph.WithBaseURL(srv.URL()+"/v1.0"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Jobs(t.Context(), salesforceID); err != nil {
		t.Fatal(err)
	}
	r := srv.Requests()[0]
	if got := r.Header.Get("Authorization"); got != "Bearer fake-token" {
		t.Errorf("Authorization = %q", got)
	}
	if want := srv.URL() + "/.default"; len(cred.scopes) == 0 || cred.scopes[0] != want {
		t.Errorf("scopes = %v, want %s", cred.scopes, want)
	}
}

func TestNewTalksToANationalCloud(t *testing.T) {
	var mu sync.Mutex
	var urls []string
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		urls = append(urls, r.URL.String())
		mu.Unlock()
		body := `{"value": []}`
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
	})}
	cred := &fakeCredential{}
	c, err := graph.New(cred, graph.WithBaseURL("https://graph.microsoft.us/v1.0"), graph.WithHTTPClient(hc), graph.WithReportBudget(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Jobs(t.Context(), salesforceID); err != nil {
		t.Fatal(err)
	}
	if want := "https://graph.microsoft.us/v1.0/servicePrincipals/" + salesforceID + "/synchronization/jobs"; len(urls) != 1 || urls[0] != want {
		t.Errorf("requests = %v, want %s", urls, want)
	}
	if len(cred.scopes) == 0 || cred.scopes[0] != "https://graph.microsoft.us/.default" {
		t.Errorf("scopes = %v", cred.scopes)
	}
}

func TestConstructorsRefuseBadSettings(t *testing.T) {
	cred := &fakeCredential{}
	for name, fn := range map[string]func() (*graph.Client, error){
		"no credential": func() (*graph.Client, error) { return graph.New(nil) },
		"plain http to a remote host": func() (*graph.Client, error) {
			return graph.New(cred, graph.WithBaseURL("http://graph.microsoft.com/v1.0"))
		},
		"not a URL":                         func() (*graph.Client, error) { return graph.New(cred, graph.WithBaseURL("graph.microsoft.com")) },
		"a log cap of zero":                 func() (*graph.Client, error) { return graph.New(cred, graph.WithLogCap(0)) },
		"negative retries":                  func() (*graph.Client, error) { return graph.New(cred, graph.WithMaxRetries(-1)) },
		"a budget without a window":         func() (*graph.Client, error) { return graph.New(cred, graph.WithReportBudget(5, 0)) },
		"a help-desk group that is no id":   func() (*graph.Client, error) { return graph.New(cred, graph.WithHelpDeskGroups("Help Desk")) },
		"unauthenticated to the real Graph": func() (*graph.Client, error) { return graph.NewUnauthenticated("https://graph.microsoft.com/v1.0") },
		"unauthenticated to another host":   func() (*graph.Client, error) { return graph.NewUnauthenticated("http://10.0.0.1:8080/v1.0") },
		"no adapter":                        func() (*graph.Client, error) { return graph.NewFromAdapter(nil) },
	} {
		if _, err := fn(); !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("%s: error = %v, want ErrInvalid", name, err)
		}
	}
	for _, u := range []string{"http://127.0.0.1:1/v1.0", "http://localhost:1/v1.0", "http://[::1]:1/v1.0", "https://127.0.0.2/v1.0"} {
		if _, err := graph.NewUnauthenticated(u); err != nil {
			t.Errorf("NewUnauthenticated(%s): %v", u, err)
		}
	}
	if _, err := graph.New(cred); err != nil {
		t.Errorf("New with defaults: %v", err)
	}
}

func TestNewFromAdapterSetsTheBaseURLFirst(t *testing.T) {
	srv := fakegraph.NewTestServer(t, loadTenant(t), fakegraph.WithThrottle(0, 0))
	a, err := khttp.NewNetHttpRequestAdapter(&authentication.AnonymousAuthenticationProvider{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := graph.NewFromAdapter(a, graph.WithBaseURL(srv.URL()+"/v1.0"), graph.WithReportBudget(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if a.GetBaseUrl() != srv.URL()+"/v1.0" {
		t.Errorf("adapter base URL = %q", a.GetBaseUrl())
	}
	in, err := c.Gather(t.Context(), diagnose.Query{UserID: adaID, AppID: salesforceID})
	if err != nil {
		t.Fatal(err)
	}
	if a := in.Apps[0].Assignment; a == nil || a.Scope != diagnose.ScopeAssigned {
		t.Errorf("the beta endpoint was not derived from the adapter's base URL: %+v", a)
	}

	bare, _ := khttp.NewNetHttpRequestAdapter(&authentication.AnonymousAuthenticationProvider{})
	if _, err := graph.NewFromAdapter(bare); err != nil || bare.GetBaseUrl() != graph.DefaultBaseURL {
		t.Errorf("default base URL: %q, %v", bare.GetBaseUrl(), err)
	}
}

func TestWithHTTPClientCarriesEveryRequest(t *testing.T) {
	srv := fakegraph.NewTestServer(t, loadTenant(t), fakegraph.WithThrottle(0, 0))
	var mu sync.Mutex
	n := 0
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		n++
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := graph.NewUnauthenticated(srv.URL()+"/v1.0", graph.WithHTTPClient(hc), graph.WithReportBudget(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Gather(t.Context(), diagnose.Query{UserID: adaID}); err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, r := range srv.Requests() {
		if r.Batch == "" { // the parts of a JSON batch travel inside it
			got++
		}
	}
	if n != got || n == 0 {
		t.Errorf("transport saw %d requests, the fake %d", n, got)
	}
}
