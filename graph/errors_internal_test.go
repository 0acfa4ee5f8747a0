package graph

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

func TestAnODataErrorWithoutBodyDoesNotPanic(t *testing.T) {
	o := odataerrors.NewODataError()
	o.ResponseStatusCode = 500
	// The SDK's own Error method dereferences a nil message.
	func() {
		defer func() {
			if recover() == nil {
				t.Log("ODataError.Error no longer panics without a body")
			}
		}()
		_ = o.Error()
	}()
	e := toError(operation{name: "op"}, o, nil)
	if e.Status != 500 || !errors.Is(e, ErrUnavailable) {
		t.Errorf("error = %+v", e)
	}
	if got := e.Error(); !strings.Contains(got, "500") {
		t.Errorf("Error() = %q", got)
	}
	var back *odataerrors.ODataError
	if !errors.As(e, &back) || back != o {
		t.Error("Unwrap does not reach the ODataError")
	}
}

func TestStatusComesFromTheTransportWhenTheBodyIsNotJSON(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		err    error
		kind   error
		code   string
	}{
		{"HTML error page with Retry-After", 503, errors.New("invalid json type"), ErrThrottled, ""},
		{"success that is not JSON", 200, errors.New("invalid json type"), ErrUnavailable, CodeMalformedResponse},
		{"success cut short", 200, io.ErrUnexpectedEOF, ErrUnavailable, CodeTransport},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := &exchange{}
			ex.set(tc.status, http.Header{"Retry-After": {"7"}, "Request-Id": {"rid"}})
			e := toError(operation{name: "op"}, tc.err, ex)
			if !errors.Is(e, tc.kind) || e.Code != tc.code {
				t.Errorf("error = %+v, want kind %v code %q", e, tc.kind, tc.code)
			}
			if tc.status >= 400 && (e.Status != tc.status || e.RetryAfter != 7*time.Second || e.RequestID != "rid") {
				t.Errorf("error = %+v", e)
			}
		})
	}
}

func TestErrorKinds(t *testing.T) {
	kinds := []error{ErrNotFound, ErrForbidden, ErrThrottled, ErrUnavailable, ErrInvalid}
	for _, tc := range []struct {
		e    *Error
		want []error
	}{
		{&Error{Status: 404}, []error{ErrNotFound}},
		{&Error{Status: 401}, []error{ErrForbidden}},
		{&Error{Status: 403}, []error{ErrForbidden}},
		{&Error{Status: 429}, []error{ErrThrottled}},
		{&Error{Status: 503}, []error{ErrUnavailable}},
		{&Error{Status: 503, RetryAfter: time.Second}, []error{ErrThrottled, ErrUnavailable}},
		{&Error{Status: 500}, []error{ErrUnavailable}},
		{&Error{Status: 400}, []error{ErrInvalid}},
		{&Error{Status: 409}, []error{ErrInvalid}},
		{&Error{Code: CodeTransport}, []error{ErrUnavailable}},
		{invalidInput("op", "bad"), []error{ErrInvalid}},
		{notFound("op", "none"), []error{ErrNotFound}},
		{newBudget(5, time.Second, time.Now, sleepContext, nil).exhausted("op", time.Second), []error{ErrThrottled}},
	} {
		for _, k := range kinds {
			want := false
			for _, w := range tc.want {
				want = want || w == k
			}
			if got := errors.Is(tc.e, k); got != want {
				t.Errorf("errors.Is(%+v, %v) = %v, want %v", tc.e, k, got, want)
			}
		}
	}
}

func TestRetryAfterReadsSecondsAndDates(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"0.5":                           500 * time.Millisecond,
		"-1":                            0,
		"soon":                          0,
		"Sat, 01 Mar 2025 12:00:10 GMT": 10 * time.Second,
		"Sat, 01 Mar 2025 11:00:00 GMT": 0,
	} {
		if got := retryAfter(in, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestApiErrorKeepsStatusAndHeaders(t *testing.T) {
	h := abstractions.NewResponseHeaders()
	h.Add("Retry-After", "4")
	h.Add("request-id", "abc")
	e := toError(operation{name: "op", permission: "X.Read.All"}, &abstractions.ApiError{Message: "m", ResponseStatusCode: 429, ResponseHeaders: h}, nil)
	if e.Status != 429 || e.RetryAfter != 4*time.Second || e.RequestID != "abc" || e.Permission != "" {
		t.Errorf("error = %+v", e)
	}
}
