package bftest

import (
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Defaults of a [TokenEndpoint]: the public cloud's bot token scope and the
// tenant multi-tenant bots get their token from.
const (
	DefaultScope  = "https://api.botframework.com/.default"
	DefaultTenant = "botframework.com"
	// TokenPath is what follows the authority in a token endpoint's URL.
	TokenPath = "/oauth2/v2.0/token"
)

// TokenEndpointOptions configure a [TokenEndpoint].
type TokenEndpointOptions struct {
	// ClientID and ClientSecret are the credentials to accept. Required.
	ClientID     string
	ClientSecret string
	// Scope is the scope to accept. Default [DefaultScope]. Scopes adds
	// more (a fake serving several clouds' authorities).
	Scope  string
	Scopes []string
	// Tenants are the tenants whose endpoint /{tenant}/oauth2/v2.0/token
	// exists (others answer 400 AADSTS90002, as Entra does for an unknown
	// tenant). Default [DefaultTenant]; the first one is in URL.
	Tenants []string
	// ExpiresIn is the token lifetime in seconds. Default 3600.
	ExpiresIn int
}

// TokenRequest is one request the fake [TokenEndpoint] received.
type TokenRequest struct {
	// Host is the Host header: the login host the client meant, also when
	// a test transport routed it to the fake.
	Host string
	// Tenant is the authority's tenant, the path segment before
	// /oauth2/v2.0/token ("" when the path has another shape).
	Tenant string
	// Path is the request path.
	Path string
	// Scope and ClientID are the form values sent.
	Scope    string
	ClientID string
	// Status is what the fake answered.
	Status int
}

// TokenEndpoint is a fake OAuth2 client-credentials endpoint (Microsoft
// Entra ID's /oauth2/v2.0/token). It checks grant_type, client_id,
// client_secret and scope in the form body and answers like
// examples/teams/token-response.json with an opaque token it remembers.
// Safe for concurrent use.
type TokenEndpoint struct {
	// URL is the first tenant's token endpoint (the authority followed by
	// /oauth2/v2.0/token): an old-style ToChannelFromBotLoginUrl value.
	URL string
	// Authority is the first tenant's authority (BaseURL/{tenant}), the
	// form the Bot Framework SDKs expect in ToChannelFromBotLoginUrl.
	Authority string
	// BaseURL is the server's address, the login host.
	BaseURL string

	opts TokenEndpointOptions
	srv  *httptest.Server

	mu       sync.Mutex
	calls    []TokenRequest
	issued   []string
	failures []failure
}

// NewTokenEndpoint starts a TokenEndpoint and closes it when the test ends.
func NewTokenEndpoint(tb testing.TB, opts TokenEndpointOptions) *TokenEndpoint {
	tb.Helper()
	e, err := StartTokenEndpoint(opts)
	if err != nil {
		tb.Fatalf("bftest: start token endpoint: %v", err)
	}
	tb.Cleanup(e.Close)
	return e
}

// StartTokenEndpoint starts a TokenEndpoint; Close it when done.
func StartTokenEndpoint(opts TokenEndpointOptions) (*TokenEndpoint, error) {
	if opts.ClientID == "" || opts.ClientSecret == "" {
		return nil, errors.New("bftest: TokenEndpointOptions.ClientID and ClientSecret are required")
	}
	if opts.Scope == "" {
		opts.Scope = DefaultScope
	}
	opts.Scopes = append([]string{opts.Scope}, opts.Scopes...)
	if len(opts.Tenants) == 0 {
		opts.Tenants = []string{DefaultTenant}
	}
	if opts.ExpiresIn == 0 {
		opts.ExpiresIn = 3600
	}
	e := &TokenEndpoint{opts: opts}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serve))
	e.BaseURL = e.srv.URL
	e.Authority = e.srv.URL + "/" + opts.Tenants[0]
	e.URL = e.Authority + TokenPath
	return e, nil
}

// Close stops the server.
func (e *TokenEndpoint) Close() { e.srv.Close() }

// Requests returns how many token requests arrived (refused ones too).
func (e *TokenEndpoint) Requests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.calls)
}

// Calls returns the token requests received so far (refused ones too).
func (e *TokenEndpoint) Calls() []TokenRequest {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.calls)
}

// Issued returns the tokens issued so far.
func (e *TokenEndpoint) Issued() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.issued...)
}

// Valid reports whether token was issued by this endpoint.
func (e *TokenEndpoint) Valid(token string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, t := range e.issued {
		if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
			return true
		}
	}
	return false
}

// Fail makes the next times requests answer status with an OAuth2 error.
func (e *TokenEndpoint) Fail(status, times int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failures = append(e.failures, failure{status: status, times: max(times, 1)})
}

// serve answers one token request and records it.
func (e *TokenEndpoint) serve(w http.ResponseWriter, r *http.Request) {
	call := TokenRequest{Host: r.Host, Path: r.URL.Path}
	if t, ok := strings.CutSuffix(r.URL.Path, TokenPath); ok && strings.Count(t, "/") == 1 {
		call.Tenant = strings.TrimPrefix(t, "/")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" && r.ParseForm() == nil {
		call.Scope, call.ClientID = r.PostForm.Get("scope"), r.PostForm.Get("client_id")
	}
	status := e.answer(w, r, call)
	call.Status = status
	e.mu.Lock()
	e.calls = append(e.calls, call)
	e.mu.Unlock()
}

// answer writes the response to one token request and returns its status.
func (e *TokenEndpoint) answer(w http.ResponseWriter, r *http.Request, call TokenRequest) int {
	e.mu.Lock()
	f, failing := takeFailure(&e.failures)
	e.mu.Unlock()
	oauthError := func(status int, code, description string) int {
		writeJSON(w, status, map[string]any{"error": code, "error_description": description})
		return status
	}
	switch {
	case failing:
		return oauthError(f.status, "temporarily_unavailable", "The token endpoint was told to fail.")
	case call.Tenant == "" && !strings.HasSuffix(r.URL.Path, TokenPath):
		return oauthError(http.StatusNotFound, "invalid_request", "No such endpoint: the token endpoint is {authority}"+TokenPath+".")
	case !slices.Contains(e.opts.Tenants, call.Tenant):
		return oauthError(http.StatusBadRequest, "invalid_request", "AADSTS90002: Tenant '"+call.Tenant+"' not found.")
	case r.Method != http.MethodPost:
		return oauthError(http.StatusMethodNotAllowed, "invalid_request", "Use POST.")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return oauthError(http.StatusBadRequest, "invalid_request", "The request body must be a form.")
	}
	if err := r.ParseForm(); err != nil {
		return oauthError(http.StatusBadRequest, "invalid_request", "The form cannot be parsed.")
	}
	form := r.PostForm
	switch {
	case form.Get("grant_type") != "client_credentials":
		return oauthError(http.StatusBadRequest, "unsupported_grant_type", "Only client_credentials is supported.")
	case form.Get("client_id") != e.opts.ClientID:
		return oauthError(http.StatusBadRequest, "unauthorized_client", "AADSTS700016: Application was not found.")
	case subtle.ConstantTimeCompare([]byte(form.Get("client_secret")), []byte(e.opts.ClientSecret)) != 1:
		return oauthError(http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
	case !slices.Contains(e.opts.Scopes, form.Get("scope")):
		// Entra's v2 endpoint wants "{resource}/.default" for this grant.
		return oauthError(http.StatusBadRequest, "invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid.")
	default:
		tok := "fake-bot-token-" + randomHex(16)
		e.mu.Lock()
		e.issued = append(e.issued, tok)
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{
			"token_type":     "Bearer",
			"expires_in":     e.opts.ExpiresIn,
			"ext_expires_in": e.opts.ExpiresIn,
			"access_token":   tok,
		})
		return http.StatusOK
	}
}
