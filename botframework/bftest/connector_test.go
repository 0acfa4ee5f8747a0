package bftest_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework/bftest"
)

func post(t *testing.T, url, auth, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestConnectorRecordsAndFails(t *testing.T) {
	c := bftest.NewConnector(t)
	c.Fail(bftest.Failure{Status: 429, Times: 2, RetryAfter: "3"})
	conv := "19:x@thread.skype;messageid=1"
	u := c.URL + "v3/conversations/" + url.PathEscape(conv) + "/activities/1"
	for i, want := range []int{429, 429, 200} {
		resp := post(t, u, "Bearer t", `{"type":"message","text":"hi"}`)
		if resp.StatusCode != want {
			t.Fatalf("call %d: status = %d, want %d", i+1, resp.StatusCode, want)
		}
		if want == 429 && resp.Header.Get("Retry-After") != "3" {
			t.Errorf("Retry-After = %q", resp.Header.Get("Retry-After"))
		}
	}
	call := c.WaitForCall(t, 3, time.Second)
	if call.ConversationID != conv || call.ActivityID != "1" || call.Body["text"] != "hi" || call.Authorization != "Bearer t" || call.Status != 200 {
		t.Errorf("call = %+v", call)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, err := c.Wait(ctx, 4); err == nil {
		t.Error("Wait for a call that never comes returned no error")
	}
}

func TestConnectorRequiresTokensFromTheEndpoint(t *testing.T) {
	te := bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: "app", ClientSecret: "secret"})
	c := bftest.NewConnector(t)
	c.RequireTokensFrom(te)
	resp, err := http.PostForm(te.URL, url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"}, "client_secret": {"secret"}, "scope": {bftest.DefaultScope}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(te.Issued()) != 1 {
		t.Fatalf("token status = %d", resp.StatusCode)
	}
	u := c.URL + "v3/conversations/a:1/activities"
	if got := post(t, u, "Bearer "+te.Issued()[0], `{}`).StatusCode; got != 200 {
		t.Errorf("issued token: status = %d", got)
	}
	if got := post(t, u, "Bearer forged", `{}`).StatusCode; got != 401 {
		t.Errorf("forged token: status = %d, want 401", got)
	}
	if got := post(t, u, "", `{}`).StatusCode; got != 401 {
		t.Errorf("no token: status = %d, want 401", got)
	}
}

func TestTokenEndpointChecksTheForm(t *testing.T) {
	te := bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: "app", ClientSecret: "secret"})
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"}, "client_secret": {"secret"}, "scope": {bftest.DefaultScope}}
	for _, tc := range []struct {
		name   string
		field  string
		value  string
		status int
	}{
		{"valid", "", "", 200},
		{"password grant", "grant_type", "password", 400},
		{"unknown client", "client_id", "other", 400},
		{"wrong secret", "client_secret", "nope", 401},
		{"wrong scope", "scope", "https://graph.microsoft.com/.default", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			if tc.field != "" {
				form.Set(tc.field, tc.value)
			}
			resp, err := http.PostForm(te.URL, form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
	if got := len(te.Issued()); got != 1 {
		t.Errorf("issued %d tokens, want 1", got)
	}
}

func TestTokenEndpointServesItsTenantsAuthorities(t *testing.T) {
	te := bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: "app", ClientSecret: "secret",
		Tenants: []string{"botframework.com", "contoso.example"}})
	if te.URL != te.Authority+bftest.TokenPath || te.Authority != te.BaseURL+"/botframework.com" {
		t.Fatalf("URL %q, Authority %q, BaseURL %q", te.URL, te.Authority, te.BaseURL)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"app"}, "client_secret": {"secret"}, "scope": {"https://api.botframework.com"}}
	for _, tc := range []struct {
		name   string
		url    string
		scope  string
		status int
	}{
		{"first tenant", te.URL, bftest.DefaultScope, 200},
		{"second tenant", te.BaseURL + "/contoso.example" + bftest.TokenPath, bftest.DefaultScope, 200},
		{"unknown tenant", te.BaseURL + "/fabrikam.example" + bftest.TokenPath, bftest.DefaultScope, 400},
		{"the authority itself is not the token endpoint", te.Authority, bftest.DefaultScope, 404},
		{"a scope without /.default is refused, as by Entra", te.URL, "https://api.botframework.com", 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form.Set("scope", tc.scope)
			resp, err := http.PostForm(tc.url, form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.status)
			}
		})
	}
	calls := te.Calls()
	if len(calls) != 5 || calls[1].Tenant != "contoso.example" || calls[2].Tenant != "fabrikam.example" || calls[4].Scope != "https://api.botframework.com" || calls[1].ClientID != "app" {
		t.Errorf("calls = %+v", calls)
	}
}
