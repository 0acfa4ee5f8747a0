package diagnose_test

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// failuresInARow returns n failed entries with the same code and reason,
// the newest first ago before now, the rest spaced by every.
func failuresInARow(n int, ago, every time.Duration, code, reason string, mods ...mod) []diagnose.Entry {
	out := make([]diagnose.Entry, 0, n)
	for i := range n {
		out = append(out, entry(ago+time.Duration(i)*every, append([]mod{failed(code, reason)}, mods...)...))
	}
	return out
}

// withStep appends a step to the entry.
func withStep(s diagnose.Step) mod {
	return func(e *diagnose.Entry) { e.Steps = append(e.Steps, s) }
}

// jobID sets the entry's job id.
func jobID(id string) mod {
	return func(e *diagnose.Entry) { e.JobID = id }
}

// scimJob is a non-gallery SCIM app's job in steady state.
func scimJob() diagnose.Job {
	return job(func(j *diagnose.Job) { j.ID, j.TemplateID = "scim.7928d5b574424a97ne2d66f9j9972ecn", "scim" })
}

func TestExportRules(t *testing.T) {
	m, h := time.Minute, time.Hour
	healthy := job() // last run ended 10 minutes ago, every 40 minutes
	scim := scimJob()
	runRuleCases(t, []ruleCase{
		// E01: signed in, not allowed.
		{
			name: "app refused because the account provisioning uses lacks rights, quoting HTTP 403",
			code: "InsufficientRights",
			in: appWith(&healthy, nil, entry(20*m, failed("SalesforceInsufficientRights",
				"StatusCode: 403 Message: Salesforce returned an error: INSUFFICIENT_ACCESS: insufficient access rights on cross-reference id"))),
			wantRule: "E01", wantCategory: diagnose.TargetPermission, wantSeverity: diagnose.SeverityError,
			wantHelpDesk: []string{"SalesforceInsufficientRights", "HTTP status 403", "not allowed to create accounts", "EntryExportAdd (export)", "chg-134000", "cyc-1340", "13:40 UTC", "INSUFFICIENT_ACCESS"},
			wantEndUser:  []string{"missing some rights", "An admin of Salesforce has to fix that"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "app does not allow the request method the provisioning account uses",
			code:     "MethodNotAllowed",
			in:       appWith(&healthy, nil, entry(20*m, action("update"), failed("MethodNotAllowed", "Contoso returned an error response with the HTTP status code 405."))),
			wantRule: "E01", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"MethodNotAllowed", "does not allow this HTTP method", "HTTP status 405", "update accounts"},
			wantEndUser:  []string{"did not let it set up or change your account"},
		},
		{
			name:     "app says the provisioning account is not permitted to turn accounts off",
			code:     "NotPermitted",
			in:       appWith(&healthy, nil, entry(20*m, action("disable"), failed("NotPermitted", "The operation is not permitted for this user."))),
			wantRule: "E01", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"NotPermitted", "not allowed to turn off accounts", "not permitted for this user"},
			wantEndUser:  []string{"missing some rights"},
		},
		{
			name:     "app answers unauthorized to an update",
			code:     "Unauthorized",
			in:       appWith(&healthy, nil, entry(20*m, action("update"), failed("Unauthorized", "StatusCode: 401 Message: Unauthorized."))),
			wantRule: "E01", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"Unauthorized", "HTTP status 401"},
		},
		// E01b: credentials refused for this entry, job not (yet) quarantined.
		{
			name:     "app refused provisioning's saved credentials, though the job is not quarantined yet",
			in:       appWith(&healthy, nil, entry(20*m, failed("SalesforceInvalidCredentials", "Salesforce returned INVALID_LOGIN: Invalid username, password, security token; or user locked out."))),
			wantRule: "E01b", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"SalesforceInvalidCredentials", "Admin Credentials", "INVALID_LOGIN", "chg-134000"},
			wantEndUser:  []string{"could not sign in to Salesforce", "has to renew it"},
		},
		{
			name:     "expired SCIM token refused for one user",
			in:       appWith(&healthy, nil, entry(20*m, failed("SystemForCrossDomainIdentityManagementCredentialValidationFailure", "StatusCode: Unauthorized Message: The token has expired."))),
			wantRule: "E01b", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"CredentialValidationFailure", "HTTP status 401", "token has expired"},
		},
		// E02–E06: transient, retried in about 40 minutes.
		{
			name: "app refused because it is getting too many requests, retried automatically at the time it states",
			code: "TooManyRequests",
			in: appWith(&healthy, nil, entry(5*m, failed("SalesforceTooManyRequests",
				"StatusCode: 429 Message: Rate limit exceeded. This operation was retried 0 times. It will be retried again after this date: 2026-11-25T14:35:00.0000000Z UTC"))),
			wantRule: "E02", wantCategory: diagnose.TargetTransient, wantSeverity: diagnose.SeverityWarning,
			wantHelpDesk: []string{"throttled", "SalesforceTooManyRequests", "HTTP status 429", "after 14:35 UTC", "chg-135500"},
			wantEndUser:  []string{"busy", "has to wait", "tries again on its own after 14:35 UTC (in 35 minutes)"},
			wantEstimate: diagnose.EstimateRetry,
		},
		{
			name:     "app had a server error three times in a row; still retried, and the repeats are noted",
			code:     "InternalServerError",
			in:       appWith(&healthy, nil, failuresInARow(3, 15*m, 40*m, "InternalServerError", "Contoso returned an error response with the HTTP status code 500.")...),
			wantRule: "E03", wantCategory: diagnose.TargetTransient, wantSeverity: diagnose.SeverityWarning,
			wantHelpDesk: []string{"InternalServerError", "HTTP status 500", "usually within 40 minutes", "14:30 UTC"},
			wantEndUser:  []string{"problem on its side", "14:30 UTC"},
			wantNotes:    []string{"E16t"},
			wantEstimate: diagnose.EstimateRetry,
		},
		{
			name:     "app answered too slowly, retried at the next cycle",
			code:     "Timeout",
			in:       appWith(&healthy, nil, entry(15*m, failed("Timeout", "The request to Salesforce timed out after 100 seconds."))),
			wantRule: "E04", wantCategory: diagnose.TargetTransient,
			wantHelpDesk: []string{"timed out", "Timeout", "chg-134500"},
			wantEndUser:  []string{"took too long to answer"},
			wantEstimate: diagnose.EstimateRetry,
		},
		{
			name:     "connection to the app broke with a 503, retried automatically",
			code:     "WebExceptionProtocolError",
			in:       appWith(&healthy, nil, entry(15*m, failed("WebExceptionProtocolError", "The remote server returned an error: (503) Server Unavailable."))),
			wantRule: "E05", wantCategory: diagnose.TargetTransient,
			wantHelpDesk: []string{"HTTP protocol error", "HTTP status 503"},
			wantEndUser:  []string{"connection to Salesforce broke"},
			wantEstimate: diagnose.EstimateRetry,
		},
		{
			name:     "the provisioning service itself had an internal error, retried even without a job to time it",
			code:     "InternalError",
			in:       appWith(nil, nil, entry(15*m, failed("InternalError", "An internal error occurred in the provisioning service."))),
			wantRule: "E06", wantCategory: diagnose.TargetTransient,
			wantHelpDesk: []string{"inside the Microsoft Entra provisioning service", "InternalError", "within about 40 minutes"},
			wantEndUser:  []string{"short problem of its own"},
			wantEstimate: diagnose.EstimateRetry,
		},
		// E05b/E05c: a protocol error with a 4xx is not a blip.
		{
			name:     "protocol error that is really a 403 refusal: retrying will not help",
			in:       appWith(&healthy, nil, entry(15*m, failed("WebExceptionProtocolError", "The remote server returned an error: (403) Forbidden."))),
			wantRule: "E05b", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"HTTP 403 (Forbidden)", "answered HTTP 403 (Forbidden)", "not a passing network error"},
			wantEndUser:  []string{"refused it access", "Trying again will not help"},
		},
		{
			name: "protocol error that is really a 400 from a SCIM app: the retry fails the same way",
			in: appWith(&healthy, nil, entry(15*m, failed("WebExceptionProtocolError",
				`StatusCode: BadRequest Message: Processing of the HTTP request resulted in an exception. Web Response: Bad Request. This operation was retried 2 times.`))),
			wantRule: "E05c", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"HTTP 400 (Bad Request)", "“Bad Request”"},
			wantEndUser:  []string{"turned down a change to your account", "Trying again will not help"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name: "protocol error whose SCIM body names the attribute it refused: a value to fix in the mapping",
			in: appWith(&healthy, nil, entry(15*m, failed("WebExceptionProtocolError",
				`StatusCode: BadRequest Message: Processing of the HTTP request resulted in an exception. Web Response: { "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400", "detail": "Attribute 'phoneNumbers' has an invalid value." }. This operation was retried 2 times.`))),
			wantRule: "E28", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"“Attribute 'phoneNumbers' has an invalid value.”", "(attribute phoneNumbers)", "HTTP status 400"},
			wantEndUser:  []string{"did not accept one of your details"},
		},
		// E07: unprocessable, not implemented.
		{
			name:     "app could not process the request: a setting in the app is wrong",
			code:     "UnprocessableEntity",
			in:       appWith(&healthy, nil, entry(30*m, failed("UnprocessableEntity", "StatusCode: 422 Message: The user profile 'Standard User' is not enabled for API access."))),
			wantRule: "E07", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"UnprocessableEntity", "could not process the request", "HTTP status 422", "not enabled for API access"},
			wantEndUser:  []string{"refused a request", "a setting in Salesforce"},
		},
		{
			name:     "app does not implement the request it was sent",
			code:     "NotImplemented",
			in:       appWith(&healthy, nil, entry(30*m, action("update"), failed("ContosoNotImplemented", "HTTP status code 501: PATCH on /Groups is not implemented."))),
			wantRule: "E07", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"ContosoNotImplemented", "does not implement this kind of request", "HTTP status 501", "update"},
		},
		// E08/E08b/E09: SCIM incompatibility.
		{
			name: "app's answer could not be read: the maker of the app has to fix its SCIM endpoint",
			code: "SystemForCrossDomainIdentityManagementServiceIncompatible",
			in: appWith(&healthy, nil, entry(30*m, failed("SystemForCrossDomainIdentityManagementServiceIncompatible",
				"The response from the SCIM endpoint could not be parsed: unexpected content type text/html."))),
			wantRule: "E08", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"could not parse Salesforce's response", "Microsoft Entra SCIM client", "text/html", "chg-133000"},
			wantEndUser:  []string{"could not read", "The maker of Salesforce has to fix it"},
		},
		{
			name: "app turned down a disable with its own message 'User must be Active', quoted",
			in: appWith(&healthy, nil, entry(30*m, action("disable"), failed("SystemForCrossDomainIdentityManagementServiceIncompatibleFiltering",
				`StatusCode: Conflict Message: Processing of the HTTP request resulted in an exception. Please see the HTTP response returned by the 'Response' property of this exception for details. Web Response: { "schemas" : [ "urn:ietf:params:scim:api:messages:2.0:Error" ], "status" : "409", "detail" : "User must be Active." }. This operation was retried 0 times. It will be retried again after this date: 2026-11-25T14:10:00.0000000Z UTC`))),
			wantRule: "E08b", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"“User must be Active.”", "HTTP status 409", "The request was to turn the account off", "ServiceIncompatibleFiltering"},
			wantEndUser:  []string{"sent back its own error"},
		},
		{
			name: "app answered with an error of its own that names no known problem: quoted, and left to the app to explain",
			in: appWith(&healthy, nil, entry(30*m, action("update"), failed("SystemForCrossDomainIdentityManagementServiceIncompatibleFiltering",
				`StatusCode: Conflict Message: Processing of the HTTP request resulted in an exception. Web Response: {"status":"409","detail":"Operation not supported for this tenant plan."}. This operation was retried 0 times.`))),
			wantRule: "E08b", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"“Operation not supported for this tenant plan.”", "HTTP status 409"},
			wantEndUser:  []string{"sent back its own error"},
		},
		{
			name: "non-gallery SCIM app rejects the string 'False' for active: add the compliance flag",
			in: appWith(&scim, nil, entry(30*m, action("disable"), jobID(scim.ID), failed("SystemForCrossDomainIdentityManagementServiceIncompatible",
				`StatusCode: BadRequest Message: Web Response: {"status":"400","detail":"PATCH failed: attribute 'active' must be a boolean, got string \"False\""}`))),
			wantRule: "E09", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"non-gallery SCIM app", "aadOptscim062020", "must be a boolean", "HTTP status 400"},
			wantEndUser:  []string{"a form that Salesforce does not expect"},
		},
		{
			name: "gallery app rejects a PATCH op it does not know: the vendor has to fix it",
			in: appWith(&healthy, nil, entry(30*m, action("update"), failed("UnprocessableEntity",
				`StatusCode: 422 Message: Invalid PATCH operation: "op" must be one of add, remove, replace (got "Replace").`))),
			wantRule: "E09", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"gallery app", "does not apply", "UnprocessableEntity"},
		},
		// E10: a required value is missing, attribute not identifiable.
		{
			name:     "app needs a field that is missing for this user",
			code:     "MandatoryFieldsMissing",
			in:       appWith(&healthy, nil, entry(30*m, failed("SalesforceMandatoryFieldsMissing", "REQUIRED_FIELD_MISSING: Required fields are missing: [Region__c]"))),
			wantRule: "E10", wantCategory: diagnose.MissingRequiredAttribute,
			wantHelpDesk: []string{"SalesforceMandatoryFieldsMissing", "Region__c", "never sends empty values"},
			wantEndUser:  []string{"details about you that are missing"},
		},
		{
			name:     "app reports missing values",
			code:     "MissingValues",
			in:       appWith(&healthy, nil, entry(30*m, failed("MissingValues", "One or more required values are missing."))),
			wantRule: "E10", wantCategory: diagnose.MissingRequiredAttribute,
			wantHelpDesk: []string{"MissingValues"},
		},
		// E13: invalid domain.
		{
			name:     "app does not accept the domain the reason names",
			code:     "InvalidDomain",
			in:       appWith(&healthy, nil, entry(30*m, failed("InvalidDomain", "The domain of adele@contoso.onmicrosoft.com is not a verified domain in Salesforce."))),
			wantRule: "E13", wantCategory: diagnose.InvalidDomain,
			wantHelpDesk: []string{"InvalidDomain", "(contoso.onmicrosoft.com)"},
			wantEndUser:  []string{"after the @ sign"},
		},
		{
			name:     "app does not accept the domain, which the reason leaves out: the UPN's is shown",
			in:       appWith(&healthy, nil, entry(30*m, failed("ZendeskInvalidDomain", "Invalid domain."))),
			wantRule: "E13", wantCategory: diagnose.InvalidDomain,
			wantHelpDesk: []string{"contoso.com, the domain of the UPN adele@contoso.com"},
		},
		// E14: licence limit.
		{
			name:     "app has no free licence left for a new user",
			code:     "LicenseLimitExceeded",
			in:       appWith(&healthy, nil, entry(30*m, failed("LicenseLimitExceeded", "LICENSE_LIMIT_EXCEEDED: License Limit Exceeded"))),
			wantRule: "E14", wantCategory: diagnose.LicenseLimit,
			wantHelpDesk: []string{"LicenseLimitExceeded", "no licence available"},
			wantEndUser:  []string{"no free licences left", "buy more licences"},
			wantEstimate: diagnose.EstimateAdminAction,
		},
		{
			name:     "no licence three times in a row: the repeats are noted and will not clear by themselves",
			in:       appWith(&healthy, nil, failuresInARow(3, 30*m, 40*m, "LicenseLimitExceeded", "LICENSE_LIMIT_EXCEEDED")...),
			wantRule: "E14", wantCategory: diagnose.LicenseLimit,
			wantNotes: []string{"E16"},
		},
		{
			name:     "connector-prefixed licence code is recognised too",
			in:       appWith(&healthy, nil, entry(2*h, failed("SalesforceLicenseLimitExceeded", "StatusCode: 400 Message: LICENSE_LIMIT_EXCEEDED: License Limit Exceeded"))),
			wantRule: "E14", wantCategory: diagnose.LicenseLimit,
			wantHelpDesk: []string{"SalesforceLicenseLimitExceeded", "HTTP status 400", "chg-120000"},
		},
		// E17: a reference could not be resolved.
		{
			name: "a reference on the account points at an object not in the app yet",
			in: appWith(&healthy, nil, entry(30*m, action("update"), failed("", ""), withStep(diagnose.Step{
				Name: "EntryReferenceResolution", Type: diagnose.StepReferenceResolution, RawType: "referenceResolution",
				Status: diagnose.ResultFailure, RawStatus: "failure",
				Description: "UnableToResolveReferenceAttributeValue: the value of sponsors refers to an object that was not found in Salesforce",
			}))),
			wantRule: "E17", wantCategory: diagnose.ReferenceUnresolved, wantSeverity: diagnose.SeverityWarning,
			wantHelpDesk: []string{"UnableToResolveReferenceAttributeValue", "EntryReferenceResolution (referenceResolution)", "sponsors", "chg-133000"},
			wantEndUser:  []string{"refers to another account"},
		},
		// C02: the connection test failed.
		{
			name: "provisioning could not connect to the app at all: the connection test failed",
			in: appWith(&healthy, nil, entry(30*m, failed("", "Failed to authorize with the app: the secret token was rejected."), func(e *diagnose.Entry) {
				e.Steps = append([]diagnose.Step{{Name: "TestConnection", Type: diagnose.StepUnknown, RawType: "TestConnection",
					Status: diagnose.ResultFailure, RawStatus: "Failure", Description: "Test connection failed"}}, e.Steps...)
			})),
			wantRule: "C02", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"Test connection step failed", "TestConnection: Test connection failed", "secret token was rejected"},
			wantEndUser:  []string{"could not connect to Salesforce", "affects everyone"},
		},
	})
}

// TestTransientRetryUsesTheStatedDate checks that a retry time the reason
// states is the estimate, and that a stated time already past falls back
// to the next cycle.
func TestTransientRetryUsesTheStatedDate(t *testing.T) {
	healthy := job()
	for _, tc := range []struct {
		name   string
		reason string
		want   time.Time
	}{
		{"a stated retry time ahead gives the first cycle after it", "It will be retried again after this date: 2026-11-25T14:35:00.0000000Z UTC", time.Date(2026, 11, 25, 15, 10, 0, 0, time.UTC)},
		{"a stated retry time already past gives the next cycle", "It will be retried again after this date: 2026-11-25T13:00:00Z UTC", now.Add(30 * time.Minute)},
		{"a stated time in US form with PM is read as afternoon", "It will be retried again after this date: 11/25/2026 2:35:00 PM UTC", time.Date(2026, 11, 25, 15, 10, 0, 0, time.UTC)},
		{"no stated time gives the next cycle", "Timed out.", now.Add(30 * time.Minute)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := appWith(&healthy, nil, entry(5*time.Minute, failed("Timeout", tc.reason)))()
			d := diagnose.Diagnose(in, now)[0]
			if d.Estimate == nil || d.Estimate.Kind != diagnose.EstimateRetry || !d.Estimate.Earliest.Equal(tc.want) {
				t.Fatalf("estimate %+v, want retry at %s", d.Estimate, tc.want)
			}
		})
	}
}

// TestExportEvidence checks that the help desk gets the HTTP status read
// from the reason as evidence, with the entry's change id, and end users
// get none.
func TestExportEvidence(t *testing.T) {
	healthy := job()
	in := appWith(&healthy, nil, entry(10*time.Minute, failed("WebExceptionProtocolError", "The remote server returned an error: (403) Forbidden.")))()
	d := diagnose.Diagnose(in, now)[0]
	found := false
	for _, ev := range d.Evidence {
		if ev.Field == "HTTP status (from reason)" && ev.Value == "403 Forbidden" && ev.ChangeID == "chg-135000" {
			found = true
		}
	}
	if !found {
		t.Errorf("no HTTP status evidence: %+v", d.Evidence)
	}
	in.Audience = diagnose.EndUser
	if d := diagnose.Diagnose(in, now)[0]; len(d.Evidence) != 0 {
		t.Errorf("end user got evidence: %+v", d.Evidence)
	}
}

// TestReferenceRuleLeavesManagerToD09 checks that an unresolved manager is
// not explained by the generic reference rule.
func TestReferenceRuleLeavesManagerToD09(t *testing.T) {
	healthy := job()
	in := appWith(&healthy, nil, entry(30*time.Minute, action("update"), failed("", ""), withStep(diagnose.Step{
		Name: "EntryReferenceResolution", Type: diagnose.StepReferenceResolution, Status: diagnose.ResultFailure,
		Description: "UnableToResolveReferenceAttributeValue: the manager of Adele Vance was not found in Salesforce",
	})))()
	if d := diagnose.Diagnose(in, now)[0]; d.RuleID == "E17" {
		t.Errorf("manager reference decided by E17; it is D09's")
	}
}

// TestExportRulesStayInTheirLane checks inputs that look like one export
// rule but are another's.
func TestExportRulesStayInTheirLane(t *testing.T) {
	healthy := job()
	for _, tc := range []struct {
		name string
		e    diagnose.Entry
		rule string
	}{
		{"a PATCH refused for a reason other than its shape is not the compatibility problem",
			entry(time.Hour, action("disable"), failed("SystemForCrossDomainIdentityManagementServiceIncompatible",
				"PATCH /Users/42 failed: the user must be Active. This operation was retried 1 times.")), "E29"},
		{"an answer the service could not read, with nothing more said, is the incompatibility",
			entry(time.Hour, action("update"), failed("SystemForCrossDomainIdentityManagementServiceIncompatible",
				"We are not able to deserialize the resource received from your SCIM endpoint because your SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client. Here is the resource we received from your SCIM endpoint:")), "E08"},
		{"a protocol error naming 429 by word is still transient",
			entry(time.Hour, failed("WebExceptionProtocolError", "StatusCode: TooManyRequests Message: slow down.")), "E05"},
		{"a protocol error naming 401 by word is a refusal",
			entry(time.Hour, failed("WebExceptionProtocolError", "StatusCode: Unauthorized Message: bad token.")), "E05b"},
		{"a SCIM error body's 404 status is a rejection",
			entry(time.Hour, failed("WebExceptionProtocolError", `Web Response: {"status": "404", "detail": "Resource 42 not found."}`)), "E05c"},
		{"a SCIM error body's 404 on an update means the linked account is gone",
			entry(time.Hour, action("update"), failed("WebExceptionProtocolError", `Web Response: {"status": "404", "detail": "Resource 42 not found."}`)), "E30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := diagnose.Diagnose(appWith(&healthy, nil, tc.e)(), now)[0]
			if d.RuleID != tc.rule {
				t.Errorf("rule %s, want %s: %s", d.RuleID, tc.rule, d.Explanation)
			}
		})
	}
}
