package botframework

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrUntrustedServiceURL is returned when the bot would send its token to a
// serviceUrl that no authenticated activity vouched for.
var ErrUntrustedServiceURL = errors.New("service url is not trusted: no authenticated activity came from it")

// Kinds of Bot Connector failure; a [*ConnectorError] unwraps to the one
// matching its status, so callers can write errors.Is(err, botframework.ErrForbidden).
var (
	// ErrBadRequest: 400, the activity was rejected.
	ErrBadRequest = errors.New("bot connector: bad request")
	// ErrUnauthorized: 401, the bot token was refused (app id or secret
	// wrong, or the Teams channel not enabled).
	ErrUnauthorized = errors.New("bot connector: bot token refused")
	// ErrForbidden: 403, the bot was removed, blocked or disabled (stop
	// posting to this conversation until the next installationUpdate).
	ErrForbidden = errors.New("bot connector: forbidden")
	// ErrNotFound: 404, the conversation or activity does not exist.
	ErrNotFound = errors.New("bot connector: not found")
	// ErrPreconditionFailed: 412, still failing after the retries.
	ErrPreconditionFailed = errors.New("bot connector: precondition failed")
	// ErrTooLarge: 413, the message is over Teams' size limit.
	ErrTooLarge = errors.New("bot connector: message too large")
	// ErrThrottled: 429, still throttled after the retries.
	ErrThrottled = errors.New("bot connector: throttled")
	// ErrServiceError: 5xx.
	ErrServiceError = errors.New("bot connector: service error")
)

// ConnectorError is a non-2xx answer from the Bot Connector service, with
// the code and message of its ErrorResponse body.
type ConnectorError struct {
	// Op is the operation, e.g. "reply to activity".
	Op string
	// StatusCode is the HTTP status of the last attempt.
	StatusCode int
	// Code and Message come from {"error":{"code":…,"message":…}}.
	Code    string
	Message string
	// RetryAfter is the last Retry-After the service asked for, if any.
	RetryAfter time.Duration
	// Attempts is how many requests were made.
	Attempts int
}

// Error gives the operation, status, code and message.
func (e *ConnectorError) Error() string {
	msg := fmt.Sprintf("%s: bot connector answered %d", e.Op, e.StatusCode)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return msg
}

// Unwrap returns the failure kind matching the status (ErrForbidden…), or
// nil for statuses without one.
func (e *ConnectorError) Unwrap() error {
	switch {
	case e.StatusCode == http.StatusBadRequest:
		return ErrBadRequest
	case e.StatusCode == http.StatusUnauthorized:
		return ErrUnauthorized
	case e.StatusCode == http.StatusForbidden:
		return ErrForbidden
	case e.StatusCode == http.StatusNotFound:
		return ErrNotFound
	case e.StatusCode == http.StatusPreconditionFailed:
		return ErrPreconditionFailed
	case e.StatusCode == http.StatusRequestEntityTooLarge:
		return ErrTooLarge
	case e.StatusCode == http.StatusTooManyRequests:
		return ErrThrottled
	case e.StatusCode >= 500:
		return ErrServiceError
	}
	return nil
}

// errorResponse is the Bot Connector's error body.
type errorResponse struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// newConnectorError builds the error for a non-2xx answer.
func newConnectorError(op string, status int, body []byte, retryAfter time.Duration, attempts int) *ConnectorError {
	var er errorResponse
	_ = json.Unmarshal(body, &er) // a body that is not an ErrorResponse leaves code and message empty
	return &ConnectorError{
		Op:         op,
		StatusCode: status,
		Code:       truncate(er.Error.Code, 100),
		Message:    truncate(er.Error.Message, 300),
		RetryAfter: retryAfter,
		Attempts:   attempts,
	}
}
