package botframework_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
)

// router is an http.RoundTripper that sends requests for Microsoft's real
// host names to loopback fakes, keeping the Host header so that the fakes
// record which host the client meant, and records every URL asked for. Any
// other host that is not loopback is refused: the tests stay offline.
type router struct {
	routes map[string]string // host → loopback host:port

	mu   sync.Mutex
	urls []string
}

func (r *router) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.urls = append(r.urls, req.URL.String())
	r.mu.Unlock()
	target, ok := r.routes[req.URL.Host]
	if !ok {
		if ip := net.ParseIP(req.URL.Hostname()); ip != nil && ip.IsLoopback() {
			return http.DefaultTransport.RoundTrip(req)
		}
		return nil, fmt.Errorf("offline test: no route to %s", req.URL.Host)
	}
	out := req.Clone(req.Context())
	u := *req.URL
	u.Scheme, u.Host = "http", target
	out.URL, out.Host = &u, req.URL.Host
	return http.DefaultTransport.RoundTrip(out)
}

// asked returns the URLs requested since mark (a count from an earlier
// call to mark).
func (r *router) since(mark int) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.urls[mark:])
}

func (r *router) mark() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.urls)
}

// cloud is what a Bot Framework cloud's documented endpoints are, as the
// SDKs' constants give them (botbuilder-js authenticationConstants.ts and
// governmentConstants.ts), with a fake Bot Connector token issuer for it.
type cloud struct {
	name           string
	channelService string
	loginHost      string // host of the token authority
	loginTenant    string // tenant of a multi-tenant bot's authority
	resource       string // ToChannelFromBotOAuthScope, without /.default
	metadataURL    string // ToBotFromChannelOpenIdMetadataUrl
	issuer         *bftest.Issuer
}

// cloudFakes are one token endpoint serving every authority of the test,
// a fake Bot Connector token issuer per cloud, and the router that sends
// the clouds' real host names to them.
type cloudFakes struct {
	tokens    *bftest.TokenEndpoint
	connector *bftest.Connector
	router    *router
	public    cloud
	gov       cloud
}

// The private-cloud login authority and the scope resource the overrides
// use: values no default has, so a case passes only if its override is
// read.
const (
	privateLoginHost   = "login.example.test"
	privateLoginTenant = "private.example"
	otherResource      = "https://api.example.test"
	otherKeysHost      = "keys.example.test"
	otherIssuer        = "https://issuer.example.test"
)

func newCloudFakes(t *testing.T) *cloudFakes {
	t.Helper()
	f := &cloudFakes{connector: bftest.NewConnector(t)}
	f.tokens = bftest.NewTokenEndpoint(t, bftest.TokenEndpointOptions{
		ClientID: testAppID, ClientSecret: testSecret,
		Scopes:  []string{"https://api.botframework.us/.default", otherResource + "/.default"},
		Tenants: []string{"botframework.com", "MicrosoftServices.onmicrosoft.us", testTenant, privateLoginTenant},
	})
	f.connector.RequireTokensFrom(f.tokens)
	f.public = cloud{name: "public cloud", loginHost: "login.microsoftonline.com", loginTenant: "botframework.com",
		resource: "https://api.botframework.com", metadataURL: "https://login.botframework.com/v1/.well-known/openidconfiguration",
		issuer: bftest.NewIssuer(t, bftest.IssuerOptions{AppID: testAppID})}
	f.gov = cloud{name: "US Government", channelService: "https://botframework.azure.us",
		loginHost: "login.microsoftonline.us", loginTenant: "MicrosoftServices.onmicrosoft.us",
		resource: "https://api.botframework.us", metadataURL: "https://login.botframework.azure.us/v1/.well-known/openidconfiguration",
		issuer: bftest.NewIssuer(t, bftest.IssuerOptions{AppID: testAppID, Issuer: bftest.GovBotConnectorIssuer})}
	hostOf := func(raw string) string { u, _ := url.Parse(raw); return u.Host }
	f.router = &router{routes: map[string]string{
		"login.microsoftonline.com":   hostOf(f.tokens.BaseURL),
		"login.microsoftonline.us":    hostOf(f.tokens.BaseURL),
		privateLoginHost:              hostOf(f.tokens.BaseURL),
		"login.botframework.com":      hostOf(f.public.issuer.URL),
		"login.botframework.azure.us": hostOf(f.gov.issuer.URL),
		otherKeysHost:                 hostOf(f.gov.issuer.URL),
	}}
	return f
}

// exchange runs a server with cfg, posts a Teams message signed by iss
// (with the iss claim issuerName when not empty) and returns the status;
// on 200 it waits for the handler's reply to reach the connector.
func (f *cloudFakes) exchange(t *testing.T, cfg botframework.Config, iss *bftest.Issuer, issuerName string) int {
	t.Helper()
	srv, err := botframework.NewServer(cfg, replyingRecorder(), botframework.Options{
		ListenAddr: "0.0.0.0:3978",
		Logger:     slog.New(slog.DiscardHandler),
		HTTPClient: &http.Client{Transport: f.router},
	})
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	defer func() {
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	}()
	before := len(f.connector.Calls())
	body := loadActivity(t, "teams/teams-message-personal.json", func(m map[string]any) { m["serviceUrl"] = f.connector.URL })
	req := httptest.NewRequest(http.MethodPost, "/api/messages", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", iss.Authorization(bftest.TokenSpec{ServiceURL: f.connector.URL, Issuer: issuerName}))
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, req)
	if w.Code == http.StatusOK {
		call := f.connector.WaitForCall(t, before+1, waitLimit)
		if call.Status != http.StatusOK {
			t.Errorf("the reply was refused by the connector: %d", call.Status)
		}
	}
	return w.Code
}

// TestConfigAsTheSDKsReadIt configures the bot with every combination of
// the settings the Bot Framework SDKs read (botbuilder-js
// BotFrameworkAuthenticationFactory, PasswordServiceClientCredentialFactory,
// MsalAppCredentials; botbuilder-dotnet AuthenticationConstants) and checks,
// against the fake token issuer, token endpoint and connector, where the
// signing keys come from, which issuer is accepted, which authority and
// scope the bot token is asked for, and that the reply gets through.
func TestConfigAsTheSDKsReadIt(t *testing.T) {
	f := newCloudFakes(t)
	type tenancy struct {
		name     string
		appType  botframework.AppType
		tenantID string
	}
	type login struct {
		name  string
		value func(c cloud) string
		// host and tenant the token is asked from
		want func(c cloud, ten tenancy) (host, tenant string)
	}
	sdkAuthority := func(c cloud, ten tenancy) (string, string) {
		if ten.tenantID != "" {
			return c.loginHost, ten.tenantID // the SDKs swap in the single tenant
		}
		return c.loginHost, c.loginTenant
	}
	privateAuthority := func(cloud, tenancy) (string, string) { return privateLoginHost, privateLoginTenant }
	logins := []login{
		{"login url unset", func(cloud) string { return "" }, sdkAuthority},
		{"login url as the SDKs' authority", func(c cloud) string { return "https://" + c.loginHost + "/" + c.loginTenant }, sdkAuthority},
		{"login url as the full token endpoint", func(c cloud) string { return "https://" + c.loginHost + "/" + c.loginTenant + "/oauth2/v2.0/token" }, sdkAuthority},
		{"private cloud login url as an authority", func(cloud) string { return "https://" + privateLoginHost + "/" + privateLoginTenant + "/" }, privateAuthority},
		{"private cloud login url as a token endpoint", func(cloud) string {
			return "https://" + privateLoginHost + "/" + privateLoginTenant + "/oauth2/v2.0/token"
		}, privateAuthority},
	}
	scopes := []struct {
		name  string
		value string
		want  func(c cloud) string
	}{
		{"scope unset", "", func(c cloud) string { return c.resource + "/.default" }},
		{"scope without /.default", otherResource, func(cloud) string { return otherResource + "/.default" }},
		{"scope with /.default", otherResource + "/.default", func(cloud) string { return otherResource + "/.default" }},
	}
	tenancies := []tenancy{
		{"multi-tenant", "", ""},
		{"single tenant", botframework.SingleTenant, testTenant},
	}
	for _, c := range []cloud{f.public, f.gov} {
		other := f.gov
		if c.name == f.gov.name {
			other = f.public
		}
		for _, lg := range logins {
			for _, sc := range scopes {
				for _, ten := range tenancies {
					t.Run(strings.Join([]string{c.name, lg.name, sc.name, ten.name}, ", "), func(t *testing.T) {
						cfg := botframework.Config{
							MicrosoftAppId: testAppID, MicrosoftAppPassword: testSecret,
							MicrosoftAppType: ten.appType, MicrosoftAppTenantId: ten.tenantID,
							ChannelService:             c.channelService,
							ToChannelFromBotLoginUrl:   lg.value(c),
							ToChannelFromBotOAuthScope: sc.value,
						}
						mark, tokenCalls := f.router.mark(), len(f.tokens.Calls())
						if got := f.exchange(t, cfg, c.issuer, ""); got != http.StatusOK {
							t.Fatalf("a token from the %s's Bot Connector got %d, want 200", c.name, got)
						}
						if asked := f.router.since(mark); !slices.Contains(asked, c.metadataURL) {
							t.Errorf("signing keys not read from %s; asked for %v", c.metadataURL, asked)
						}
						calls := f.tokens.Calls()[tokenCalls:]
						if len(calls) != 1 {
							t.Fatalf("token requests = %+v, want one", calls)
						}
						wantHost, wantTenant := lg.want(c, ten)
						if got := calls[0]; got.Host != wantHost || got.Tenant != wantTenant || got.Scope != sc.want(c) || got.Status != http.StatusOK {
							t.Errorf("token asked from %s/%s for scope %q (status %d), want %s/%s for %q",
								got.Host, got.Tenant, got.Scope, got.Status, wantHost, wantTenant, sc.want(c))
						}
						if got := f.exchange(t, cfg, other.issuer, ""); got != http.StatusUnauthorized {
							t.Errorf("a token from the %s's Bot Connector got %d, want 401", other.name, got)
						}
					})
				}
			}
		}
	}
}

// TestChannelServiceOverridesReplaceOneValueEach gives one inbound override
// on top of ChannelService and checks that it replaces that value only.
func TestChannelServiceOverridesReplaceOneValueEach(t *testing.T) {
	f := newCloudFakes(t)
	base := botframework.Config{MicrosoftAppId: testAppID, MicrosoftAppPassword: testSecret, ChannelService: f.gov.channelService}

	t.Run("metadata url override", func(t *testing.T) {
		cfg := base
		cfg.ToBotFromChannelOpenIdMetadataUrl = "https://" + otherKeysHost + "/v1/.well-known/openidconfiguration"
		mark := f.router.mark()
		if got := f.exchange(t, cfg, f.gov.issuer, ""); got != http.StatusOK {
			t.Fatalf("status %d, want 200", got)
		}
		asked := f.router.since(mark)
		if !slices.Contains(asked, cfg.ToBotFromChannelOpenIdMetadataUrl) || slices.Contains(asked, f.gov.metadataURL) {
			t.Errorf("asked for %v, want the override and not the default", asked)
		}
		// The issuer is still US Government's.
		if got := f.exchange(t, cfg, f.gov.issuer, bftest.BotConnectorIssuer); got != http.StatusUnauthorized {
			t.Errorf("a public-cloud iss got %d, want 401", got)
		}
	})
	t.Run("issuer override", func(t *testing.T) {
		cfg := base
		cfg.ToBotFromChannelTokenIssuer = otherIssuer
		if got := f.exchange(t, cfg, f.gov.issuer, otherIssuer); got != http.StatusOK {
			t.Fatalf("the overridden issuer got %d, want 200", got)
		}
		if got := f.exchange(t, cfg, f.gov.issuer, ""); got != http.StatusUnauthorized {
			t.Errorf("US Government's default issuer got %d, want 401 once overridden", got)
		}
		// The keys still come from US Government's metadata.
		mark := f.router.mark()
		f.exchange(t, cfg, f.gov.issuer, otherIssuer)
		if asked := f.router.since(mark); !slices.Contains(asked, f.gov.metadataURL) {
			t.Errorf("asked for %v, want %s", asked, f.gov.metadataURL)
		}
	})
}

// scopeRecorder is an azcore.TokenCredential (a certificate or managed
// identity stand-in) that records the scopes it is asked for.
type scopeRecorder struct {
	mu     sync.Mutex
	scopes [][]string
}

func (s *scopeRecorder) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = append(s.scopes, o.Scopes)
	return azcore.AccessToken{Token: "credential-token", ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestCredentialTokensUseTheCloudsScope(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   botframework.Config
		scope string
	}{
		{"public cloud", botframework.Config{}, "https://api.botframework.com/.default"},
		{"US Government", botframework.Config{ChannelService: botframework.GovChannelService}, "https://api.botframework.us/.default"},
		{"scope override without /.default", botframework.Config{ToChannelFromBotOAuthScope: otherResource}, otherResource + "/.default"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &scopeRecorder{}
			cfg := tc.cfg
			cfg.MicrosoftAppId, cfg.Credential = testAppID, rec
			ts, err := cfg.NewTokenSource(nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ts.Token(t.Context()); err != nil {
				t.Fatal(err)
			}
			if len(rec.scopes) != 1 || len(rec.scopes[0]) != 1 || rec.scopes[0][0] != tc.scope {
				t.Errorf("scopes asked = %v, want [[%s]]", rec.scopes, tc.scope)
			}
		})
	}
}
