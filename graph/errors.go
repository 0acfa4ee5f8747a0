package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/provbot/provbot/diagnose"
)

// The kinds of failure, shared with every adapter (see package diagnose);
// match them with errors.Is.
var (
	ErrNotFound    = diagnose.ErrNotFound
	ErrForbidden   = diagnose.ErrForbidden
	ErrThrottled   = diagnose.ErrThrottled
	ErrUnavailable = diagnose.ErrUnavailable
	ErrInvalid     = diagnose.ErrInvalid
)

// Error codes the client sets itself; the others come from Graph.
const (
	// CodeNonPremium is Graph's answer on the provisioning logs of a tenant
	// without Microsoft Entra ID P1 or P2.
	CodeNonPremium = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
	// CodeBudgetExhausted means the client's own reporting budget would
	// not free up before the caller's deadline.
	CodeBudgetExhausted = "ReportBudgetExhausted"
	// CodeMalformedResponse means Graph answered with JSON that does not
	// parse.
	CodeMalformedResponse = "MalformedResponse"
	// CodeTransport means no answer arrived: the connection failed, was
	// cut, or the deadline passed.
	CodeTransport = "TransportError"
	// CodeInvalidInput means the client refused an argument before
	// sending anything.
	CodeInvalidInput = "InvalidInput"
	// CodeInternal means the client recovered from a panic (the SDK's
	// generated getters panic on backing-store errors).
	CodeInternal = "InternalError"
)

// Error is a failed Graph operation. errors.Is matches it against
// ErrNotFound, ErrForbidden, ErrThrottled, ErrUnavailable and ErrInvalid;
// errors.As finds it; Unwrap returns the underlying cause (kiota's error,
// a transport error or the context's error).
type Error struct {
	// Op is what the client was doing ("list provisioning logs").
	Op string
	// Status is the HTTP status, 0 when no answer arrived or the client
	// refused the call itself.
	Status int
	// Code is Graph's error code (Request_ResourceNotFound,
	// Authorization_RequestDenied, ...) or one of the Code constants.
	Code string
	// Message is Graph's error message or the client's explanation.
	Message string
	// RequestID is Graph's request-id, for Microsoft support.
	RequestID string
	// RetryAfter is how long Graph (or the reporting budget) asked to wait.
	RetryAfter time.Duration
	// Permission names the Graph permission the operation needs, set on
	// 401 and 403 answers.
	Permission string
	// Err is the underlying cause, if any.
	Err error

	kind error // set for errors the client makes itself
}

// Error describes the failure in one line.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("graph: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteByte(' ')
	}
	if e.Code != "" {
		b.WriteString(e.Code)
		b.WriteString(": ")
	}
	switch {
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Status != 0:
		b.WriteString(http.StatusText(e.Status))
	case e.Err != nil:
		b.WriteString(errorText(e.Err))
	default:
		b.WriteString("unknown error")
	}
	if e.Permission != "" {
		fmt.Fprintf(&b, " (needs the %s permission)", e.Permission)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request-id %s)", e.RequestID)
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether e is of the kind target (ErrNotFound, ErrForbidden,
// ErrThrottled, ErrUnavailable or ErrInvalid). A 503 with Retry-After is
// both throttled and unavailable.
func (e *Error) Is(target error) bool {
	if e.kind != nil && target == e.kind {
		return true
	}
	switch target {
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrForbidden:
		return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
	case ErrThrottled:
		return e.Status == http.StatusTooManyRequests ||
			e.Status == http.StatusServiceUnavailable && e.RetryAfter > 0
	case ErrUnavailable:
		return e.Status >= 500 || e.Status == 0 && e.kind == nil
	case ErrInvalid:
		return e.Status >= 400 && e.Status < 500 && e.Status != http.StatusNotFound &&
			e.Status != http.StatusUnauthorized && e.Status != http.StatusForbidden &&
			e.Status != http.StatusTooManyRequests
	}
	return false
}

// invalidInput is the error for an argument the client refuses.
func invalidInput(op, format string, args ...any) *Error {
	return &Error{Op: op, Code: CodeInvalidInput, Message: fmt.Sprintf(format, args...), kind: ErrInvalid}
}

// notFound is the error for something the client looked for and did not
// find without Graph saying 404.
func notFound(op, format string, args ...any) *Error {
	return &Error{Op: op, Code: "NotFound", Message: fmt.Sprintf(format, args...), kind: ErrNotFound}
}

// errorMapping makes kiota decode every 4xx and 5xx body as Graph's
// ODataError.
var errorMapping = abstractions.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

// missingPermissionRE finds the permission Graph names in the reporting
// APIs' 403 message ("... does not have required MSGraph permissions
// AuditLog.Read.All").
var missingPermissionRE = regexp.MustCompile(`permissions?\s+([A-Za-z]+\.[A-Za-z]+(?:\.[A-Za-z]+)*)`)

// toError turns whatever a request returned into an *Error, using the
// status and headers the transport saw when kiota could not decode the
// body.
func toError(op operation, err error, ex *exchange) *Error {
	var ge *Error
	if errors.As(err, &ge) {
		if ge.Op == "" {
			ge.Op = op.name
		}
		return ge
	}
	e := &Error{Op: op.name, Err: err}
	var header http.Header
	var odata *odataerrors.ODataError
	var api *abstractions.ApiError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		e.Code = CodeTransport
		e.Message = "no answer before the deadline: " + errorText(err)
		return e
	case errors.As(err, &odata):
		e.Status = odata.ResponseStatusCode
		header = responseHeaders(odata.ResponseHeaders)
		e.Code, e.Message, e.RequestID = odataDetails(odata)
	case errors.As(err, &api):
		e.Status = api.ResponseStatusCode
		header = responseHeaders(api.ResponseHeaders)
		e.Message = api.Message
	}
	if status, h := ex.result(); e.Status == 0 && status != 0 {
		// kiota failed before it could attach the status: an error body
		// that is not JSON, or a success body that is not.
		e.Status, header = status, h
		switch {
		case status >= 400:
			e.Message = "unreadable error body: " + errorText(err)
		case errors.Is(err, io.ErrUnexpectedEOF):
			e.Status = 0
			e.Code = CodeTransport
			e.Message = "the answer was cut short: " + errorText(err)
		default:
			e.Status = 0
			e.Code = CodeMalformedResponse
			e.Message = "malformed JSON in Graph's answer: " + errorText(err)
		}
	}
	if e.Status == 0 && e.Code == "" {
		e.Code = CodeTransport
		e.Message = errorText(err)
	}
	if header != nil {
		if e.RequestID == "" {
			e.RequestID = header.Get("request-id")
		}
		e.RetryAfter = retryAfter(header.Get("Retry-After"), time.Now())
	}
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		switch {
		case e.Code == CodeNonPremium:
			e.Message = "the tenant needs Microsoft Entra ID P1 or P2 to read provisioning logs (" + e.Message + ")"
		default:
			e.Permission = op.permission
			if m := missingPermissionRE.FindStringSubmatch(e.Message); m != nil {
				e.Permission = m[1]
			}
		}
	}
	return e
}

// errorText is err.Error() that survives the SDK's ODataError, whose
// Error method dereferences its message without a nil check.
func errorText(err error) (s string) {
	defer func() {
		if recover() != nil {
			s = fmt.Sprintf("%T without a message", err)
		}
	}()
	return err.Error()
}

// odataDetails reads code, message and request id from an ODataError,
// whose generated getters return nil for missing parts and panic on
// backing-store errors.
func odataDetails(o *odataerrors.ODataError) (code, message, requestID string) {
	defer func() {
		if recover() != nil {
			code, message, requestID = "", "undecodable Graph error body", ""
		}
	}()
	main := o.GetErrorEscaped()
	if main == nil {
		return "", o.Message, ""
	}
	code = deref(main.GetCode())
	message = deref(main.GetMessage())
	if inner := main.GetInnerError(); inner != nil {
		requestID = deref(inner.GetRequestId())
	}
	return code, message, requestID
}

// responseHeaders converts kiota's response headers.
func responseHeaders(h *abstractions.ResponseHeaders) http.Header {
	if h == nil {
		return nil
	}
	out := http.Header{}
	for _, k := range h.ListKeys() {
		for _, v := range h.Get(k) {
			out.Add(k, v)
		}
	}
	return out
}

// retryAfter parses a Retry-After value: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
