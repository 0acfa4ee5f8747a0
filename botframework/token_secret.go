package botframework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxTokenResponseBytes bounds a token endpoint's answer.
const maxTokenResponseBytes = 64 << 10

// ClientCredentials configures an OAuth2 client-credentials token source
// (a client secret), the way the Bot Framework gets the bot token.
type ClientCredentials struct {
	// TokenURL is the token endpoint, e.g. [DefaultToChannelFromBotLoginUrl]
	// followed by [TokenEndpointPath].
	// It must be https, or http to a loopback host.
	TokenURL string
	// ClientID is the app id.
	ClientID string
	// ClientSecret is the app password.
	ClientSecret Secret
	// Scope is e.g. [DefaultToChannelFromBotOAuthScope]; "/.default" is
	// appended when missing.
	Scope string
	// HTTPClient sends the token request. Default: a client with a 30 s timeout.
	HTTPClient *http.Client
	// Logger receives refresh warnings. Default: discard.
	Logger *slog.Logger
	// Now is the clock for expiry. Default time.Now.
	Now func() time.Time
}

// TokenError is a refusal from the token endpoint. It carries the OAuth2
// error code and description, never the request (which holds the secret).
type TokenError struct {
	StatusCode  int
	Code        string // e.g. "invalid_client"
	Description string
}

// Error gives the status, OAuth2 error code and description.
func (e *TokenError) Error() string {
	msg := fmt.Sprintf("token endpoint answered %d", e.StatusCode)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// NewClientSecretTokenSource returns a caching [TokenSource] that gets
// tokens with the client-credentials grant. Plain http is refused unless the
// endpoint is on a loopback host.
func NewClientSecretTokenSource(cc ClientCredentials) (TokenSource, error) {
	if err := checkEndpointURL(cc.TokenURL); err != nil {
		return nil, fmt.Errorf("bot token url: %w", err)
	}
	switch {
	case cc.ClientID == "":
		return nil, errors.New("bot token: client id is required")
	case cc.ClientSecret == "":
		return nil, errors.New("bot token: client secret is required")
	case cc.Scope == "":
		return nil, errors.New("bot token: scope is required")
	}
	cc.Scope = defaultScope(cc.Scope)
	if cc.HTTPClient == nil {
		cc.HTTPClient = &http.Client{Timeout: tokenFetchTimeout}
	}
	if cc.Now == nil {
		cc.Now = time.Now
	}
	return newCachingTokenSource(cc.fetch, cc.Now, cc.Logger), nil
}

// tokenResponse is the token endpoint's JSON answer (success or error).
type tokenResponse struct {
	TokenType        string      `json:"token_type"`
	ExpiresIn        json.Number `json:"expires_in"`
	AccessToken      string      `json:"access_token"`
	Error            string      `json:"error"`
	ErrorDescription string      `json:"error_description"`
}

// fetch posts the client-credentials form.
func (cc ClientCredentials) fetch(ctx context.Context) (string, time.Time, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {cc.ClientID},
		"client_secret": {cc.ClientSecret.Reveal()},
		"scope":         {cc.Scope},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cc.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("get bot token: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := cc.HTTPClient.Do(req)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("get bot token: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenResponseBytes))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("get bot token: read response: %w", err)
	}
	var tr tokenResponse
	decodeErr := json.Unmarshal(body, &tr)
	if resp.StatusCode != http.StatusOK {
		return "", time.Time{}, fmt.Errorf("get bot token: %w", &TokenError{
			StatusCode:  resp.StatusCode,
			Code:        tr.Error,
			Description: truncate(tr.ErrorDescription, 300),
		})
	}
	if decodeErr != nil {
		return "", time.Time{}, fmt.Errorf("get bot token: decode response: %w", decodeErr)
	}
	if tr.AccessToken == "" {
		return "", time.Time{}, errors.New("get bot token: response has no access_token")
	}
	if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "Bearer") {
		return "", time.Time{}, fmt.Errorf("get bot token: token_type %q is not Bearer", tr.TokenType)
	}
	secs, err := strconv.ParseInt(tr.ExpiresIn.String(), 10, 64)
	if err != nil || secs <= 0 {
		return "", time.Time{}, fmt.Errorf("get bot token: expires_in %q is not a positive number of seconds", tr.ExpiresIn)
	}
	return tr.AccessToken, cc.Now().Add(time.Duration(secs) * time.Second), nil
}

// truncate shortens s to at most n bytes.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
