package diagnose_test

import (
	"strings"
	"testing"

	"github.com/provbot/provbot/diagnose"
)

// failedEntry is a failed create with a code and reason.
func failedEntry(action, code, reason string) *diagnose.Entry {
	e := entry(0, failed(code, reason))
	if action != "" {
		e.Action, e.RawAction = diagnose.ParseAction(action), action
	}
	return &e
}

// TestReadFailureLayers reads real-shaped reasons: each layer, and the
// SCIM body escaped, cut off, wrapped in prose, nested or numeric. The
// app's words are always quoted verbatim.
func TestReadFailureLayers(t *testing.T) {
	for _, tc := range []struct {
		name, action, code, reason string
		problem                    diagnose.Problem
		layer                      diagnose.Layer
		said, scimType, attribute  string
		status                     int
		truncated, ad              bool
	}{
		{
			name: "plain JSON body after Web Response, numeric status, retry sentence after it",
			code: "SystemForCrossDomainIdentityManagementServiceIncompatibleFiltering",
			reason: "StatusCode: Conflict\r\nMessage: Processing of the HTTP request resulted in an exception.\r\nWeb Response: \r\n" +
				`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"unclaimed user already exists for that email address.","status":409,"scimType":"uniqueness"}. This operation was retried 1 times.`,
			problem: diagnose.ProblemConflict, layer: diagnose.LayerSCIM, scimType: "uniqueness", status: 409,
			said: "unclaimed user already exists for that email address.",
		},
		{
			name:    "body escaped once more, as pasted from a portal download",
			code:    "SystemForCrossDomainIdentityManagementServiceIncompatibleFiltering",
			reason:  `StatusCode: Conflict Message: Web Response: {\"schemas\" : [ \"urn:ietf:params:scim:api:messages:2.0:Error\" ], \"status\" : \"409\", \"detail\" : \"User must be Active.\" }. This operation was retried 0 times.`,
			problem: diagnose.ProblemRefused, layer: diagnose.LayerVendor, status: 409, said: "User must be Active.",
		},
		{
			name:    "body cut off at the reason's limit: the scimType and the start of the detail are still read",
			code:    "SystemForCrossDomainIdentityManagementBadRequest",
			reason:  `StatusCode: BadRequest Message: Web Response: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"invalidValue","status":"400","detail":"The attribute 'emails' has a value that is not a valid email addr`,
			problem: diagnose.ProblemBadValue, layer: diagnose.LayerSCIM, scimType: "invalidValue", status: 400, truncated: true,
			said: "The attribute 'emails' has a value that is not a valid email addr", attribute: "emails",
		},
		{
			name:    "invalidValue whose detail says a value is missing is a missing value (RFC 7644 Table 9)",
			code:    "SystemForCrossDomainIdentityManagementBadRequest",
			reason:  `Web Response: {"status":"400","scimType":"invalidValue","detail":"required attributes urn:ietf:params:scim:schemas:core:2.0:User:emails.value are missing"}`,
			problem: diagnose.ProblemRequired, layer: diagnose.LayerSCIM, scimType: "invalidValue", status: 400,
			said: "required attributes urn:ietf:params:scim:schemas:core:2.0:User:emails.value are missing",
		},
		{
			name:    "a vendor body nesting the error (Pulumi's response object)",
			code:    "SystemForCrossDomainIdentityManagementConflict",
			reason:  `Web Response: {"status": 409, "response": {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": 409, "scimType": "uniqueness", "detail": "Email ada@contoso.com already in use by another Pulumi account."}}`,
			problem: diagnose.ProblemConflict, layer: diagnose.LayerSCIM, scimType: "uniqueness", status: 409,
			said: "Email ada@contoso.com already in use by another Pulumi account.",
		},
		{
			name:    "a detail that is an object is quoted as JSON",
			code:    "SystemForCrossDomainIdentityManagementServiceIncompatible",
			reason:  `StatusCode: BadRequest Message: Web Response: {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "detail": {"Operations": {"op": ["\"add\" is not a valid choice"]}}}`,
			problem: diagnose.ProblemBadValue, layer: diagnose.LayerVendor, status: 400,
			said: `{"Operations": {"op": ["\"add\" is not a valid choice"]}}`,
		},
		{
			name:    "a code that names the problem decides, and the reason's first sentence is quoted",
			code:    "SalesforceDuplicateUserName",
			reason:  "The user cannot be provisioned because it has a Salesforce.com 'Username' that is duplicated in another Salesforce.com tenant. We will retry this operation on the next synchronization attempt.",
			problem: diagnose.ProblemConflict, layer: diagnose.LayerCode,
			said: "The user cannot be provisioned because it has a Salesforce.com 'Username' that is duplicated in another Salesforce.com tenant.",
		},
		{
			name:    "LDAP texts mark on-premises AD; a constraint names the attribute",
			code:    "SystemForCrossDomainIdentityManagementBadResponse",
			reason:  `Error: ConstraintViolation-AtrErr: A value in the request is invalid. A value for the attribute was not in the acceptable range of values. \nError Details: CONSTRAINT_ATT_TYPE - company`,
			problem: diagnose.ProblemBadValue, layer: diagnose.LayerVendor, ad: true, attribute: "company",
			said: "Error: ConstraintViolation-AtrErr: A value in the request is invalid.",
		},
		{
			name: "no such object on a create in AD is about the container", action: "create",
			code:    "HybridSynchronizationActiveDirectoryCreateFailed",
			reason:  "NoSuchObject-NameErr: There is no such object on the server. 0000208D: NameErr: DSID-03100241, problem 2001 (NO_OBJECT), data 0",
			problem: diagnose.ProblemContainer, layer: diagnose.LayerVendor, ad: true,
			said: "NoSuchObject-NameErr: There is no such object on the server.",
		},
		{
			name:    "only the HTTP status, named by the code",
			code:    "SystemForCrossDomainIdentityManagementServiceUnavailable",
			reason:  "Processing of the HTTP request resulted in an exception. This operation was retried 0 times.",
			problem: diagnose.ProblemTransient, layer: diagnose.LayerHTTP, status: 503,
		},
		{
			name:    "the service's boilerplate names no problem: 'Response' is not a response to read",
			code:    "SystemForCrossDomainIdentityManagementBadRequest",
			reason:  "StatusCode: BadRequest\nMessage: Processing of the HTTP request resulted in an exception. Please see the HTTP response returned by the 'Response' property of this exception for details.\nWeb Response: Bad Request . This operation was retried 0 times.",
			problem: diagnose.ProblemRefused, layer: diagnose.LayerHTTP, status: 400, said: "Bad Request",
		},
		{
			name:    "a 500 that says it is unavailable is transient even when it also says 'required'",
			code:    "WebExceptionProtocolError",
			reason:  "HTTP status code 500: required service unavailable; LastName is required by the backend.",
			problem: diagnose.ProblemTransient, layer: diagnose.LayerVendor, status: 500,
			said: "HTTP status code 500: required service unavailable; LastName is required by the backend.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := failedEntry(tc.action, tc.code, tc.reason)
			f, ok := diagnose.ReadFailure(e)
			if !ok {
				t.Fatalf("no layer spoke")
			}
			if f.Problem != tc.problem || f.Layer != tc.layer {
				t.Errorf("problem %s from %s, want %s from %s (signal %q)", f.Problem, f.Layer, tc.problem, tc.layer, f.Signal)
			}
			if f.Said != tc.said {
				t.Errorf("said %q, want %q", f.Said, tc.said)
			}
			if f.Said != "" && !strings.Contains(tc.reason, f.Said) {
				t.Errorf("said %q is not verbatim in the reason", f.Said)
			}
			if f.SCIMType != tc.scimType || f.Status != tc.status || f.Truncated != tc.truncated || f.AD != tc.ad {
				t.Errorf("scimType %q status %d truncated %v AD %v, want %q %d %v %v", f.SCIMType, f.Status, f.Truncated, f.AD, tc.scimType, tc.status, tc.truncated, tc.ad)
			}
			if tc.attribute != "" && f.Attribute != tc.attribute {
				t.Errorf("attribute %q, want %q", f.Attribute, tc.attribute)
			}
		})
	}
}

// TestReadFailureIsSilentWithoutSignals: nothing to read means no finding,
// so the honest fallback answers.
func TestReadFailureIsSilentWithoutSignals(t *testing.T) {
	for _, reason := range []string{"", "Something happened.", "The flux capacitor overloaded (HTTP 418)."} {
		if f, ok := diagnose.ReadFailure(failedEntry("", "ContosoFluxCapacitorOverload", reason)); ok {
			t.Errorf("reason %q: finding %+v, want none", reason, f)
		}
	}
	ok := entry(0)
	if _, found := diagnose.ReadFailure(&ok); found {
		t.Error("a successful entry has a finding")
	}
}

// FuzzReadFailureQuotesVerbatim: whatever the reason, reading it never
// panics and every quote is a substring of it.
func FuzzReadFailureQuotesVerbatim(f *testing.F) {
	for _, s := range []string{
		`Web Response: {"detail":"x already exists","status":"409","scimType":"uniqueness"}`,
		`Web Response: {\"detail\":\"User must be Active.\"`,
		`{"detail":{"Operations":[1,2`,
		`StatusCode: Conflict Message: {{{"detail":"\u00e9 already taken"}`,
		"InsufficientAccessRights-SecErr: The user has insufficient access rights.. Access is denied.",
		`"detail" : "truncated \" quote`,
	} {
		f.Add("SystemForCrossDomainIdentityManagementBadRequest", s)
	}
	f.Fuzz(func(t *testing.T, code, reason string) {
		fd, ok := diagnose.ReadFailure(failedEntry("update", code, reason))
		if ok && fd.Said != "" && !strings.Contains(reason, fd.Said) {
			t.Errorf("said %q is not a substring of %q", fd.Said, reason)
		}
	})
}
