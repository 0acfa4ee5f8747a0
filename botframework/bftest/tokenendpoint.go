package bftest

import (
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// DefaultScope is the scope of the bot token.
const DefaultScope = "https://api.botframework.com/.default"

// TokenEndpointOptions configure a [TokenEndpoint].
type TokenEndpointOptions struct {
	// ClientID and ClientSecret are the credentials to accept. Required.
	ClientID     string
	ClientSecret string
	// Scope is the scope to accept. Default [DefaultScope].
	Scope string
	// ExpiresIn is the token lifetime in seconds. Default 3600.
	ExpiresIn int
}

// TokenEndpoint is a fake OAuth2 client-credentials endpoint (Microsoft
// Entra ID's /oauth2/v2.0/token). It checks grant_type, client_id,
// client_secret and scope in the form body and answers like
// examples/teams/token-response.json with an opaque token it remembers.
// Safe for concurrent use.
type TokenEndpoint struct {
	// URL is the token endpoint, for ToChannelFromBotLoginUrl.
	URL string

	opts TokenEndpointOptions
	srv  *httptest.Server

	mu       sync.Mutex
	requests int
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
	if opts.ExpiresIn == 0 {
		opts.ExpiresIn = 3600
	}
	e := &TokenEndpoint{opts: opts}
	const path = "/botframework.com/oauth2/v2.0/token"
	mux := http.NewServeMux()
	mux.HandleFunc(path, e.serve)
	e.srv = httptest.NewServer(mux)
	e.URL = e.srv.URL + path
	return e, nil
}

// Close stops the server.
func (e *TokenEndpoint) Close() { e.srv.Close() }

// Requests returns how many token requests arrived (refused ones too).
func (e *TokenEndpoint) Requests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.requests
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

// serve answers one token request.
func (e *TokenEndpoint) serve(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.requests++
	f, failing := takeFailure(&e.failures)
	e.mu.Unlock()
	oauthError := func(status int, code, description string) {
		writeJSON(w, status, map[string]any{"error": code, "error_description": description})
	}
	switch {
	case failing:
		oauthError(f.status, "temporarily_unavailable", "The token endpoint was told to fail.")
		return
	case r.Method != http.MethodPost:
		oauthError(http.StatusMethodNotAllowed, "invalid_request", "Use POST.")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oauthError(http.StatusBadRequest, "invalid_request", "The request body must be a form.")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(http.StatusBadRequest, "invalid_request", "The form cannot be parsed.")
		return
	}
	form := r.PostForm
	switch {
	case form.Get("grant_type") != "client_credentials":
		oauthError(http.StatusBadRequest, "unsupported_grant_type", "Only client_credentials is supported.")
	case form.Get("client_id") != e.opts.ClientID:
		oauthError(http.StatusBadRequest, "unauthorized_client", "AADSTS700016: Application was not found.")
	case subtle.ConstantTimeCompare([]byte(form.Get("client_secret")), []byte(e.opts.ClientSecret)) != 1:
		oauthError(http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
	case form.Get("scope") != e.opts.Scope:
		oauthError(http.StatusBadRequest, "invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid.")
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
	}
}
