package botframework

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/provbot/provbot/internal/logsafe"
)

// maxConnectorResponseBytes bounds a Bot Connector answer.
const maxConnectorResponseBytes = 1 << 20

// ConnectorOptions are the dependencies of a [Connector].
type ConnectorOptions struct {
	// HTTPClient sends the requests. Default: a client with a 30 s timeout.
	HTTPClient *http.Client
	// TokenSource supplies the bot token. Nil means authentication is
	// disabled (local loopback mode): no Authorization header is sent.
	TokenSource TokenSource
	// Trusted lists the service URLs the token may be sent to. Required
	// with a TokenSource.
	Trusted *TrustedServiceURLs
	// Retry bounds the retries.
	Retry RetryPolicy
	// Logger receives retry warnings. Required.
	Logger *slog.Logger
	// Now is the clock for Retry-After dates. Default time.Now.
	Now func() time.Time
}

// Connector is a Bot Connector REST client (protocol reference §2.1). It
// sends the bot token only to trusted service URLs over https (or http on a
// loopback host), retries only 412, 429, 502, 503 and 504 and the
// connection failures that are safe to repeat (see [RetryPolicy]), and
// returns [*ConnectorError] for other non-2xx answers. Safe for concurrent
// use.
type Connector struct {
	client  *http.Client
	tokens  TokenSource
	trusted *TrustedServiceURLs
	retry   RetryPolicy
	logger  *slog.Logger
	now     func() time.Time
}

// NewConnector returns a Connector.
func NewConnector(o ConnectorOptions) (*Connector, error) {
	if o.Logger == nil {
		return nil, errors.New("bot: ConnectorOptions.Logger is required")
	}
	if o.TokenSource != nil && o.Trusted == nil {
		return nil, errors.New("bot: ConnectorOptions.Trusted is required with a TokenSource")
	}
	c := &Connector{
		client:  o.HTTPClient,
		tokens:  o.TokenSource,
		trusted: o.Trusted,
		retry:   o.Retry.withDefaults(),
		logger:  o.Logger.With("component", "bot.connector"),
		now:     o.Now,
	}
	if c.client == nil {
		c.client = &http.Client{Timeout: 30 * time.Second}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// resourceResponse is the Bot Connector's answer to a send: the new id.
type resourceResponse struct {
	ID string `json:"id"`
}

// SendToConversation posts act as a new activity in the conversation
// (POST /v3/conversations/{conversationId}/activities) and returns its id.
func (c *Connector) SendToConversation(ctx context.Context, serviceURL, conversationID string, act *Activity) (string, error) {
	const op = "send to conversation"
	if conversationID == "" {
		return "", fmt.Errorf("%s: conversation id is empty", op)
	}
	u := activitiesURL(serviceURL, conversationID, "")
	return c.send(ctx, op, http.MethodPost, serviceURL, u, act, c.retry.MaxAttempts)
}

// ReplyToActivity posts act as a reply to activityID
// (POST /v3/conversations/{conversationId}/activities/{activityId}) and
// returns the new activity's id. act.ReplyToID defaults to activityID.
func (c *Connector) ReplyToActivity(ctx context.Context, serviceURL, conversationID, activityID string, act *Activity) (string, error) {
	const op = "reply to activity"
	if conversationID == "" || activityID == "" {
		return "", fmt.Errorf("%s: conversation id and activity id are required", op)
	}
	a := *act
	if a.ReplyToID == "" {
		a.ReplyToID = activityID
	}
	u := activitiesURL(serviceURL, conversationID, activityID)
	return c.send(ctx, op, http.MethodPost, serviceURL, u, &a, c.retry.MaxAttempts)
}

// UpdateActivity replaces activity activityID with act
// (PUT /v3/conversations/{conversationId}/activities/{activityId}), e.g. to
// swap a card after an Action.Submit. It returns the id the service
// answers with (activityID when it answers none).
func (c *Connector) UpdateActivity(ctx context.Context, serviceURL, conversationID, activityID string, act *Activity) (string, error) {
	const op = "update activity"
	if conversationID == "" || activityID == "" {
		return "", fmt.Errorf("%s: conversation id and activity id are required", op)
	}
	a := *act
	a.ID = activityID
	u := activitiesURL(serviceURL, conversationID, activityID)
	id, err := c.send(ctx, op, http.MethodPut, serviceURL, u, &a, c.retry.MaxAttempts)
	if err == nil && id == "" {
		id = activityID
	}
	return id, err
}

// DeleteActivity deletes activity activityID
// (DELETE /v3/conversations/{conversationId}/activities/{activityId}).
func (c *Connector) DeleteActivity(ctx context.Context, serviceURL, conversationID, activityID string) error {
	const op = "delete activity"
	if conversationID == "" || activityID == "" {
		return fmt.Errorf("%s: conversation id and activity id are required", op)
	}
	u := activitiesURL(serviceURL, conversationID, activityID)
	_, err := c.do(ctx, op, http.MethodDelete, serviceURL, u, nil, c.retry.MaxAttempts)
	return err
}

// Send posts act into the conversation of ref (a proactive message): the
// routing fields act leaves empty are filled from ref. The service URL must
// have been vouched for by an authenticated activity since the process
// started ([ErrUntrustedServiceURL] otherwise).
func (c *Connector) Send(ctx context.Context, ref ConversationReference, act *Activity) (string, error) {
	a := *act
	ref.address(&a)
	return c.SendToConversation(ctx, ref.ServiceURL, ref.Conversation.ID, &a)
}

// sendOnce posts act into the conversation with a single attempt, for what
// is not worth a retry (a typing indicator).
func (c *Connector) sendOnce(ctx context.Context, serviceURL, conversationID string, act *Activity) error {
	const op = "send to conversation"
	if conversationID == "" {
		return fmt.Errorf("%s: conversation id is empty", op)
	}
	_, err := c.send(ctx, op, http.MethodPost, serviceURL, activitiesURL(serviceURL, conversationID, ""), act, 1)
	return err
}

// send encodes act, sends it (at most attempts times) and decodes the new
// activity id.
func (c *Connector) send(ctx context.Context, op, method, serviceURL, u string, act *Activity, attempts int) (string, error) {
	body, err := json.Marshal(act)
	if err != nil {
		return "", fmt.Errorf("%s: encode activity: %w", op, err)
	}
	resp, err := c.do(ctx, op, method, serviceURL, u, body, attempts)
	if err != nil {
		return "", err
	}
	var rr resourceResponse
	if len(bytes.TrimSpace(resp)) > 0 {
		if err := json.Unmarshal(resp, &rr); err != nil {
			return "", fmt.Errorf("%s: decode response: %w", op, err)
		}
	}
	return rr.ID, nil
}

// do sends one request, with at most attempts attempts, and returns the
// 2xx body.
func (c *Connector) do(ctx context.Context, op, method, serviceURL, u string, body []byte, attempts int) ([]byte, error) {
	if err := checkServiceURL(serviceURL); err != nil {
		return nil, fmt.Errorf("%s: service url: %w", op, err)
	}
	if c.tokens != nil && !c.trusted.Contains(serviceURL) {
		return nil, fmt.Errorf("%s: %w", op, ErrUntrustedServiceURL)
	}
	if c.tokens == nil {
		// Authentication is off (a loopback-only development server):
		// nothing vouches for the serviceUrl, so answer only to loopback
		// connectors, never to a host an unauthenticated request names.
		if u, err := url.Parse(serviceURL); err != nil || !isLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("%s: %w (authentication is off, so only loopback service URLs are answered)", op, ErrUntrustedServiceURL)
		}
	}
	logger := c.logger.With("op", op)
	for attempt := 1; ; attempt++ {
		status, header, respBody, err := c.attempt(ctx, method, u, body)
		if err != nil {
			var te *transportError
			if !errors.As(err, &te) || !te.retryable(method) || attempt >= attempts || ctx.Err() != nil {
				if attempt > 1 {
					return nil, fmt.Errorf("%s: %w (after %d attempts)", op, err, attempt)
				}
				return nil, fmt.Errorf("%s: %w", op, err)
			}
			wait := c.retry.backoff(attempt)
			if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
				return nil, fmt.Errorf("%s: %w", op, err)
			}
			logger.Warn("bot connector not reached; retrying", "err", logsafe.Cap(err.Error()), "request_sent", te.written, "attempt", attempt, "wait", wait)
			if serr := c.retry.Sleep(ctx, wait); serr != nil {
				return nil, fmt.Errorf("%s: %w (waiting to retry: %w)", op, err, serr)
			}
			continue
		}
		if status >= 200 && status < 300 {
			return respBody, nil
		}
		retryAfter := parseRetryAfter(header.Get("Retry-After"), c.now())
		cerr := newConnectorError(op, status, respBody, retryAfter, attempt)
		if !retryableStatus(status) || attempt >= attempts {
			return nil, cerr
		}
		wait := c.retry.backoff(attempt)
		if retryAfter > 0 {
			if retryAfter > c.retry.MaxRetryAfter {
				return nil, cerr
			}
			wait = retryAfter
		}
		// Context deadlines are on the real clock, not the injected one.
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return nil, cerr
		}
		logger.Warn("bot connector request failed; retrying", "status", status, "code", cerr.Code, "attempt", attempt, "wait", wait)
		if err := c.retry.Sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%w (waiting to retry: %w)", cerr, err)
		}
	}
}

// attempt sends the request once. A request that got no response returns
// a [*transportError] saying whether the request was written whole.
func (c *Connector) attempt(ctx context.Context, method, u string, body []byte) (int, http.Header, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	var written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				written.Store(true)
			}
		},
	})
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	req.Header.Set("Accept", "application/json")
	// The calling turn gives its place in the pool up while it waits for
	// the token and the service.
	var (
		status   int
		header   http.Header
		respBody []byte
	)
	Idle(ctx, func() {
		if c.tokens != nil {
			var tok string
			if tok, err = c.tokens.Token(ctx); err != nil {
				return
			}
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		var resp *http.Response
		if resp, err = c.client.Do(req); err != nil {
			err = &transportError{err: err, written: written.Load()}
			return
		}
		defer resp.Body.Close()
		if respBody, err = io.ReadAll(io.LimitReader(resp.Body, maxConnectorResponseBytes)); err != nil {
			err = fmt.Errorf("read response: %w", err)
			return
		}
		status, header = resp.StatusCode, resp.Header
	})
	if err != nil {
		return 0, nil, nil, err
	}
	return status, header, respBody, nil
}

// activitiesURL builds {serviceUrl}/v3/conversations/{id}/activities[/{activityId}]
// with each id percent-encoded as one path segment (Teams ids contain
// ':', ';', '@' and '=').
func activitiesURL(serviceURL, conversationID, activityID string) string {
	u := strings.TrimRight(serviceURL, "/") + "/v3/conversations/" + url.PathEscape(conversationID) + "/activities"
	if activityID != "" {
		u += "/" + url.PathEscape(activityID)
	}
	return u
}

// checkServiceURL checks a serviceUrl before anything is sent to it: https
// (or http to a loopback host), without query or fragment.
func checkServiceURL(raw string) error {
	if err := checkEndpointURL(raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return errors.New("service url must not have a query or fragment")
	}
	return nil
}
