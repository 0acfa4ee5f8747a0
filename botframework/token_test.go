package botframework_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

func TestClientSecretTokenSource(t *testing.T) {
	clk := newClock()
	te := bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: testAppID, ClientSecret: testSecret, ExpiresIn: 3600})
	ts, err := botframework.NewClientSecretTokenSource(botframework.ClientCredentials{
		TokenURL:     te.URL,
		ClientID:     testAppID,
		ClientSecret: testSecret,
		Scope:        botframework.DefaultToChannelFromBotOAuthScope,
		Now:          clk.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	var wg sync.WaitGroup
	tokens := make(chan string, 10)
	for range 10 {
		wg.Go(func() {
			tok, err := ts.Token(ctx)
			if err != nil {
				t.Error(err)
			}
			tokens <- tok
		})
	}
	wg.Wait()
	close(tokens)
	first := te.Issued()
	if len(first) != 1 || te.Requests() != 1 {
		t.Fatalf("token requests = %d, want 1 for 10 concurrent callers", te.Requests())
	}
	for tok := range tokens {
		if tok != first[0] {
			t.Errorf("token = %q, want %q", tok, first[0])
		}
	}

	clk.Advance(54 * time.Minute)
	if tok, _ := ts.Token(ctx); tok != first[0] || te.Requests() != 1 {
		t.Error("token refreshed 6 min before expiry, want it cached until 5 min before")
	}
	clk.Advance(2 * time.Minute)
	tok, err := ts.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok == first[0] || te.Requests() != 2 {
		t.Errorf("token not refreshed 4 min before expiry (requests = %d)", te.Requests())
	}

	// A failed refresh keeps the still-valid token.
	clk.Advance(56 * time.Minute)
	te.Fail(503, 1)
	if got, err := ts.Token(ctx); err != nil || got != tok {
		t.Errorf("Token() during an outage = %q, %v; want the cached token", got, err)
	}
}

func TestClientSecretTokenSourceErrors(t *testing.T) {
	te := bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{ClientID: testAppID, ClientSecret: testSecret})
	for _, tc := range []struct {
		name     string
		cc       botframework.ClientCredentials
		wantCode string
	}{
		{"wrong secret", botframework.ClientCredentials{TokenURL: te.URL, ClientID: testAppID, ClientSecret: "wrong-secret-value", Scope: bftest.DefaultScope}, "invalid_client"},
		{"wrong client", botframework.ClientCredentials{TokenURL: te.URL, ClientID: "other", ClientSecret: testSecret, Scope: bftest.DefaultScope}, "unauthorized_client"},
		{"wrong scope", botframework.ClientCredentials{TokenURL: te.URL, ClientID: testAppID, ClientSecret: testSecret, Scope: "https://graph.microsoft.com/.default"}, "invalid_scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := botframework.NewClientSecretTokenSource(tc.cc)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ts.Token(t.Context())
			var te *botframework.TokenError
			if !errors.As(err, &te) || te.Code != tc.wantCode {
				t.Fatalf("err = %v, want a TokenError %s", err, tc.wantCode)
			}
			if strings.Contains(err.Error(), tc.cc.ClientSecret.Reveal()) {
				t.Errorf("error %q contains the secret", err)
			}
		})
	}
}

func TestClientSecretTokenSourceRefusesPlainHTTPToRemoteHosts(t *testing.T) {
	for _, u := range []string{"http://login.microsoftonline.com/botframework.com/oauth2/v2.0/token", "login.microsoftonline.com/token", "ftp://x/token"} {
		_, err := botframework.NewClientSecretTokenSource(botframework.ClientCredentials{TokenURL: u, ClientID: testAppID, ClientSecret: testSecret, Scope: bftest.DefaultScope})
		if err == nil {
			t.Errorf("token URL %q accepted", u)
		}
	}
}

func TestCredentialTokenSourceCaches(t *testing.T) {
	clk := newClock()
	calls := 0
	var mu sync.Mutex
	cred := credentialFunc(func() azcore.AccessToken {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return azcore.AccessToken{Token: "msi-token", ExpiresOn: clk.Now().Add(time.Hour)}
	})
	ts, err := botframework.NewCredentialTokenSource(cred, botframework.DefaultToChannelFromBotOAuthScope, slog.New(slog.DiscardHandler), clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if tok, err := ts.Token(t.Context()); err != nil || tok != "msi-token" {
			t.Fatalf("Token() = %q, %v", tok, err)
		}
	}
	if calls != 1 {
		t.Errorf("GetToken calls = %d, want 1", calls)
	}
	if _, err := botframework.NewCredentialTokenSource(nil, "scope", nil, nil); err == nil {
		t.Error("nil credential accepted")
	}
}

// credentialFunc is an azcore.TokenCredential from a function.
type credentialFunc func() azcore.AccessToken

func (f credentialFunc) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return f(), nil
}
