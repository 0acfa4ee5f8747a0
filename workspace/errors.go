package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/provbot/provbot/diagnose"
)

// Error codes the client sets itself; the others come from the Log
// Analytics query API.
const (
	// CodeInvalidInput means the client refused an argument before sending
	// anything.
	CodeInvalidInput = "InvalidInput"
	// CodeTransport means no answer arrived: the connection failed, or the
	// deadline passed.
	CodeTransport = "TransportError"
	// CodeMalformedResponse means the answer did not have the shape of a
	// query result.
	CodeMalformedResponse = "MalformedResponse"
	// CodeInsufficientAccess is the API's answer when the caller holds no
	// role that lets it read the workspace (Log Analytics Reader is the
	// least that does).
	CodeInsufficientAccess = "InsufficientAccessError"
	// CodeNoRows means the workspace's AADProvisioningLogs table holds no
	// row within the lookback: nothing was streamed to it lately.
	CodeNoRows = "NoProvisioningLogs"
)

// Error is a failed workspace operation. errors.Is matches it against the
// shared kinds of package diagnose (ErrForbidden, ErrNotFound,
// ErrThrottled, ErrInvalid, ErrUnavailable); errors.As finds it.
//
// The API answers failures with a OneAPI error object:
// {"error":{"code","message","innererror":{"code","message",...}}}.
// https://learn.microsoft.com/azure/azure-monitor/logs/api/errors
type Error struct {
	// Op is what the client was doing ("search the workspace").
	Op string
	// Status is the HTTP status; 0 when no answer arrived or the client
	// refused the call itself.
	Status int
	// Code is the API's error code (BadArgumentError,
	// InsufficientAccessError, ...) or one of the Code constants.
	Code string
	// Message is the API's message or the client's explanation.
	Message string
	// Inner is the innermost error's code and message, which says what was
	// wrong ("SEM0100: 'where' operator: Failed to resolve table ...").
	Inner string
	// RetryAfter is how long the API asked to wait (429 answers).
	RetryAfter time.Duration
	// Err is the underlying cause, if any.
	Err error
}

// Error describes the failure in one line.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Inner != "" {
		fmt.Fprintf(&b, " (%s)", e.Inner)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	if e.Err != nil && e.Status == 0 && e.Code != CodeInvalidInput {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the shared kinds of failure.
func (e *Error) Is(target error) bool {
	return target == e.kind()
}

// kind classifies the failure.
func (e *Error) kind() error {
	switch {
	case e.Code == CodeInvalidInput || e.Status == http.StatusBadRequest:
		return diagnose.ErrInvalid
	case e.Code == CodeNoRows:
		return diagnose.ErrNotFound
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return diagnose.ErrForbidden
	case e.Status == http.StatusNotFound:
		return diagnose.ErrNotFound
	case e.Status == http.StatusTooManyRequests:
		return diagnose.ErrThrottled
	default:
		return diagnose.ErrUnavailable
	}
}

// MissingRole reports whether the caller lacks a role on the workspace
// (it needs Log Analytics Reader, or another role that reads it).
func (e *Error) MissingRole() bool {
	return e.Status == http.StatusForbidden && e.Code == CodeInsufficientAccess
}

// MissingTable reports whether the workspace has no AADProvisioningLogs
// table: nothing was ever streamed to it (Entra's diagnostic settings do
// not send ProvisioningLogs there).
func (e *Error) MissingTable() bool {
	return e.Status == http.StatusBadRequest && strings.Contains(e.Inner, table) &&
		strings.Contains(strings.ToLower(e.Inner), "failed to resolve")
}

// Plain says in a few words what went wrong, for answers: why older
// history could not be read.
func Plain(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case !errors.As(err, &e):
		return "the workspace did not answer"
	case e.MissingRole():
		return "provbot lacks the Log Analytics Reader role on the workspace"
	case e.MissingTable() || e.Code == CodeNoRows:
		return "the workspace holds no provisioning logs"
	case e.Status == http.StatusTooManyRequests:
		if n := int(e.RetryAfter.Round(time.Second) / time.Second); n == 1 {
			return "the workspace asked provbot to slow down; try again in 1 second"
		} else if n > 1 {
			return "the workspace asked provbot to slow down; try again in " + strconv.Itoa(n) + " seconds"
		}
		return "the workspace asked provbot to slow down"
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return "the workspace refused provbot's credentials"
	case e.Status == http.StatusNotFound:
		return "the workspace was not found"
	case e.Code == CodeInvalidInput:
		return e.Message
	case e.Status == http.StatusBadRequest:
		return "the workspace rejected the query"
	default:
		return "the workspace did not answer"
	}
}

// invalidInput is the error for an argument the client refuses.
func invalidInput(op string, err error) *Error {
	return &Error{Op: op, Code: CodeInvalidInput, Message: err.Error(), Err: err}
}

// fromSDK converts an error of the SDK's pipeline.
func fromSDK(op string, err error) *Error {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		e := &Error{Op: op, Status: re.StatusCode, Code: re.ErrorCode, Err: err}
		if resp := re.RawResponse; resp != nil {
			if body, rerr := runtime.Payload(resp); rerr == nil {
				e.readBody(body)
			}
			e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
		}
		return e
	}
	e := &Error{Op: op, Code: CodeTransport, Err: err}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		e.Message = "no answer in time"
	}
	return e
}

// oneAPIError is the API's error object.
type oneAPIError struct {
	Code       string        `json:"code"`
	Message    string        `json:"message"`
	InnerError *oneAPIError  `json:"innererror"`
	Details    []oneAPIError `json:"details"`
}

// innermost returns the deepest inner error (or the first detail's).
func (o *oneAPIError) innermost() *oneAPIError {
	cur := o
	for {
		switch {
		case cur.InnerError != nil:
			cur = cur.InnerError
		case len(cur.Details) > 0:
			cur = &cur.Details[0]
		default:
			return cur
		}
	}
}

// readBody fills the code and messages from an error body.
func (e *Error) readBody(body []byte) {
	var w struct {
		Error *oneAPIError `json:"error"`
	}
	if json.Unmarshal(body, &w) != nil || w.Error == nil {
		return
	}
	if e.Code == "" {
		e.Code = w.Error.Code
	}
	e.Message = w.Error.Message
	if in := w.Error.innermost(); in != w.Error {
		e.Inner = strings.TrimPrefix(strings.TrimSpace(in.Code+": "+in.Message), ": ")
	}
}

// retryAfter reads a Retry-After header in seconds or as a date.
func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// partialReason says why a 200 answer carried an error (a PartialError):
// the innermost message, which names the limit that was hit.
//
// https://learn.microsoft.com/azure/azure-monitor/logs/api/response-format
func partialReason(raw string) string {
	var o oneAPIError
	if json.Unmarshal([]byte(raw), &o) != nil {
		return "the service reported an error with the results"
	}
	in := o.innermost()
	switch {
	case in.Message != "":
		return in.Message
	case o.Message != "":
		return o.Message
	default:
		return o.Code
	}
}
