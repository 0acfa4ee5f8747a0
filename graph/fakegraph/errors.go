package fakegraph

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Error codes the fake answers with. Each one was seen in a real Microsoft
// Graph answer; the source is named next to it.
const (
	// codeBadRequest is the OData parser's code, used for filter syntax and
	// type errors ("Invalid filter clause: ...").
	// https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/4133
	codeBadRequest = "BadRequest"
	// codeDirBadRequest is the directory's own 400 code.
	// https://learn.microsoft.com/graph/aad-advanced-queries#error-handling-for-advanced-queries-on-directory-objects
	codeDirBadRequest = "Request_BadRequest"
	// codeUnsupportedQuery is the directory's answer to a filter it does
	// not support. Same page as above.
	codeUnsupportedQuery = "Request_UnsupportedQuery"
	// codeNotFound answers a directory object that does not exist.
	// https://learn.microsoft.com/graph/errors
	codeNotFound = "Request_ResourceNotFound"
	// codeDenied answers a caller without the directory permission.
	// https://github.com/microsoftgraph/python-sample-auth/issues/12
	codeDenied = "Authorization_RequestDenied"
	// codePermissionMissing answers a reporting call without
	// AuditLog.Read.All, on /auditLogs/provisioning itself:
	// https://github.com/microsoftgraph/microsoft-graph-explorer-v4/issues/3165
	codePermissionMissing = "Authentication_MSGraphPermissionMissing"
	// codeNonPremium answers a reporting call in a tenant without Entra ID
	// P1/P2. https://github.com/turbot/steampipe-plugin-azuread/issues/98
	codeNonPremium = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
	// codeThrottled is the 429 code. https://learn.microsoft.com/graph/throttling#sample-response
	codeThrottled = "TooManyRequests"
)

// Messages used with the codes above.
const (
	msgDenied = "Insufficient privileges to complete the operation."
	// msgPermissionMissing is completed with the missing permission.
	msgPermissionMissing = "Calling principal does not have required MSGraph permissions %s"
	msgNonPremium        = "Neither tenant is B2C or tenant doesn't have premium license"
	msgThrottled         = "Please retry again later."
	// msgAdvanced is the text of a filter that needs the advanced query
	// parameters, with %s the operator.
	// https://learn.microsoft.com/graph/aad-advanced-queries#error-handling-for-advanced-queries-on-directory-objects
	msgAdvanced = "Operator '%s' is not supported because the required parameters might be missing. " +
		"Try adding $count=true query parameter and ConsistencyLevel:eventual header. " +
		"Refer to https://aka.ms/graph-docs/advanced-queries for more information"
	// msgSortNeedsAdvanced answers $filter together with $orderby on a
	// directory collection without advanced query parameters.
	// https://devblogs.microsoft.com/microsoft365dev/build-advanced-queries-with-count-filter-search-and-orderby
	msgSortNeedsAdvanced = "Sorting not supported for current query."
)

// defaultCode is the code the fake uses when a fault injects status
// without naming a code.
func defaultCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return codeBadRequest
	case http.StatusUnauthorized:
		return "InvalidAuthenticationToken"
	case http.StatusForbidden:
		return codeDenied
	case http.StatusNotFound:
		return codeNotFound
	case http.StatusTooManyRequests:
		return codeThrottled
	case http.StatusServiceUnavailable:
		return "ServiceUnavailable"
	case http.StatusGatewayTimeout:
		return "GatewayTimeout"
	case http.StatusBadGateway:
		return "BadGateway"
	}
	if status >= 500 {
		return "InternalServerError"
	}
	return "UnknownError"
}

// apiError is a Graph error answer before it is written.
type apiError struct {
	status     int
	code       string
	message    string
	retryAfter int // seconds; 0 means no Retry-After header
	throttled  bool
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message)
}

func newError(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// notFound is the directory's answer for an object id or key that does
// not exist.
func notFound(id string) *apiError {
	return newError(http.StatusNotFound, codeNotFound,
		"Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)
}

// segmentNotFound is Graph's answer for a path segment it does not know.
func segmentNotFound(seg string) *apiError {
	return newError(http.StatusBadRequest, codeBadRequest, "Resource not found for the segment '%s'.", seg)
}

// throttledError is the 429 answer of the throttle and of throttling faults.
func throttledError(retryAfter int) *apiError {
	return &apiError{
		status:     http.StatusTooManyRequests,
		code:       codeThrottled,
		message:    msgThrottled,
		retryAfter: retryAfter,
		throttled:  true,
	}
}

// errorBody renders e as Graph's error JSON. The innerError date has no
// zone and no fraction, as in every sample on
// https://learn.microsoft.com/graph/errors; the 429 body also carries
// innerError code, status and message like
// https://learn.microsoft.com/graph/throttling#sample-response.
func errorBody(e *apiError, date, requestID, clientRequestID string) []byte {
	inner := map[string]any{
		"date":              date,
		"request-id":        requestID,
		"client-request-id": clientRequestID,
	}
	if e.throttled {
		inner["code"] = strconv.Itoa(e.status)
		inner["status"] = strconv.Itoa(e.status)
		inner["message"] = "Please retry after"
	}
	body, err := json.Marshal(map[string]any{
		"error": map[string]any{
			"code":       e.code,
			"message":    e.message,
			"innerError": inner,
		},
	})
	if err != nil {
		// Only strings are marshalled above, which cannot fail.
		panic(fmt.Sprintf("fakegraph: marshal error body: %v", err))
	}
	return body
}
