package diagnose_test

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// TestSignalRules covers the rules that decide from what the entry says
// when no rule knows its code: each layer (a code's words, a scimType,
// the app's message, the HTTP status) and each verdict they give.
func TestSignalRules(t *testing.T) {
	runRuleCases(t, signalCases())
}

// signalCases are TestSignalRules' table; groups' failures are read
// against it too (TestGroupFailuresReadLikeUsers).
func signalCases() []ruleCase {
	m := time.Minute
	healthy := job()
	return []ruleCase{
		{
			name: "a generic code whose SCIM body says uniqueness is a conflict, quoting the app's detail verbatim",
			in: appWith(&healthy, nil, entry(20*m, failed("SystemForCrossDomainIdentityManagementServiceIncompatibleFiltering",
				"StatusCode: Conflict\r\nMessage: Processing of the HTTP request resulted in an exception. Please see the HTTP response returned by the 'Response' property of this exception for details.\r\nWeb Response: \r\n"+
					`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"unclaimed user already exists for that email address.  Please claim user instead of provisioning them.","status":409,"scimType":"uniqueness"}. This operation was retried 1 times.`))),
			wantRule: "E20", wantCategory: diagnose.MatchingConflict,
			wantHelpDesk: []string{"SCIM error type uniqueness (HTTP 409)", "“unclaimed user already exists for that email address.  Please claim user instead of provisioning them.”"},
			wantEndUser:  []string{"already has an account that uses one of your details"},
		},
		{
			name: "an unknown connector code that says the user name is a duplicate is a conflict",
			in: appWith(&healthy, nil, entry(20*m, failed("SalesforceDuplicateUserName",
				"The user cannot be provisioned because it has a Salesforce.com 'Username' that is duplicated in another Salesforce.com tenant."))),
			wantRule: "E20", wantCategory: diagnose.MatchingConflict,
			wantHelpDesk: []string{"the error code SalesforceDuplicateUserName", "“The user cannot be provisioned because it has a Salesforce.com 'Username' that is duplicated in another Salesforce.com tenant.”"},
		},
		{
			name: "an unknown code saying a required field is missing, with the app's text",
			in: appWith(&healthy, nil, entry(20*m, failed("SalesforceRequiredFieldMissing",
				"Salesforce returned REQUIRED_FIELD_MISSING: Required fields are missing: [Alias]"))),
			wantRule: "E21", wantCategory: diagnose.MissingRequiredAttribute,
			wantHelpDesk: []string{"SalesforceRequiredFieldMissing", "REQUIRED_FIELD_MISSING"},
			wantEndUser:  []string{"needs some details about you that are missing"},
		},
		{
			name: "a message with no code that says an email must be provided is a missing value",
			in: appWith(&healthy, nil, entry(20*m, failed("",
				"ERROR: Missing Email field: You must provide an email Error returned from Facebook: Processing of the HTTP request resulted in an exception."))),
			wantRule: "E21", wantCategory: diagnose.MissingRequiredAttribute,
			wantHelpDesk: []string{"(no error code was logged)", "(attribute Email)", "“ERROR: Missing Email field: You must provide an email Error returned from Facebook: Processing of the HTTP request resulted in an exception.”"},
		},
		{
			name: "a licence text in a generic answer is a licence limit",
			in: appWith(&healthy, nil, entry(20*m, failed("SystemForCrossDomainIdentityManagementBadRequest",
				`StatusCode: BadRequest Message: Web Response: {"detail":"No licenses available for this plan.","status":"400"}`))),
			wantRule: "E22", wantCategory: diagnose.LicenseLimit,
			wantHelpDesk: []string{"“No licenses available for this plan.”"},
		},
		{
			name:     "a 403 named only by the code is a permission problem",
			in:       appWith(&healthy, nil, entry(20*m, action("update"), failed("SystemForCrossDomainIdentityManagementForbidden", "StatusCode: Forbidden"))),
			wantRule: "E23", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"HTTP 403 (Forbidden)", "may not update this account"},
		},
		{
			name: "an unauthorized code whose body says the token expired is a credentials problem",
			in: appWith(&healthy, nil, entry(20*m, failed("SystemForCrossDomainIdentityManagementUnauthorized",
				`StatusCode: Unauthorized Message: Web Response: {"detail":"The bearer token has expired.","status":"401"}`))),
			wantRule: "E24", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"“The bearer token has expired.”", "Admin Credentials"},
		},
		{
			name: "a service-unavailable code is retried on its own",
			in: appWith(&healthy, nil, entry(20*m, failed("SystemForCrossDomainIdentityManagementServiceUnavailable",
				"StatusCode: ServiceUnavailable Message: Processing of the HTTP request resulted in an exception. This operation was retried 0 times. It will be retried again after this date: 2026-11-25T14:20:00.0000000Z UTC"))),
			wantRule: "E25", wantCategory: diagnose.TargetTransient, wantEstimate: diagnose.EstimateRetry,
			wantHelpDesk: []string{"HTTP 503 (Service Unavailable)", "after 14:20 UTC"},
		},
		{
			name: "scimType invalidPath is a mapping to an attribute the app lacks",
			in: appWith(&healthy, nil, entry(20*m, action("update"), failed("SystemForCrossDomainIdentityManagementBadRequest",
				`StatusCode: BadRequest Message: Web Response: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":400,"scimType":"invalidPath","detail":"Unknown path: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter."}`))),
			wantRule: "E26", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"SCIM error type invalidPath", "Unknown path"},
		},
		{
			name: "scimType mutability (spelled immutability by the app) is a mapping that should apply on create only",
			in: appWith(&healthy, nil, entry(20*m, action("update"), failed("SystemForCrossDomainIdentityManagementBadRequest",
				`StatusCode: BadRequest Message: Web Response: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":400,"scimType":"immutability","detail":"Attribute 'userName' is immutable."}`))),
			wantRule: "E27", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"“Attribute 'userName' is immutable.”", "(attribute userName)"},
		},
		{
			name: "a value the app does not support for a named attribute is a mapping to fix",
			in: appWith(&healthy, nil, entry(20*m, action("update"), failed("SystemForCrossDomainIdentityManagementBadRequest",
				"StatusCode: BadRequest Message: Processing of the HTTP request resulted in an exception. Please see the HTTP response returned by the 'Response' property of this exception for details. Web Response: Value not supported for attribute department. For more information about supported values, see Identity Authentication Documentation. This operation was retried 0 times."))),
			wantRule: "E28", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"(attribute department)", "“Value not supported for attribute department.”"},
		},
		{
			name: "a bare 400 is the app refusing the request",
			in: appWith(&healthy, nil, entry(20*m, failed("SystemForCrossDomainIdentityManagementBadRequest",
				"Failed to create User 'x@contoso.com' in customappsso; Error: The SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client. Please refer to the Azure Active Directory SCIM provisioning documentation and adapt the SCIM endpoint to be able to process provisioning requests from Azure Active Directory.\nStatusCode: BadRequest\nMessage: Processing of the HTTP request resulted in an exception. Please see the HTTP response returned by the 'Response' property of this exception for details.\nWeb Response: Bad Request . This operation was retried 0 times."))),
			wantRule: "E29", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"HTTP 400 (Bad Request)", "“Bad Request”"},
		},
		{
			name:     "a 404 on an update means the linked account is gone",
			in:       appWith(&healthy, nil, entry(20*m, action("update"), failed("SystemForCrossDomainIdentityManagementNotFound", "StatusCode: NotFound Message: Web Response: User 005Dn000003XyZ1 not found"))),
			wantRule: "E30", wantCategory: diagnose.InvalidAnchor,
			wantHelpDesk: []string{"(“not found”)", "HTTP status 404", "“User 005Dn000003XyZ1 not found”", "object connection"},
		},
		{
			name:     "a domain the app does not accept, said in words",
			in:       appWith(&healthy, nil, entry(20*m, failed("SystemForCrossDomainIdentityManagementBadRequest", `StatusCode: BadRequest Message: Web Response: {"detail":"The domain contoso.io is not verified for this account."}`))),
			wantRule: "E31", wantCategory: diagnose.InvalidDomain,
			wantHelpDesk: []string{"does not accept (contoso.io)", "“The domain contoso.io is not verified for this account.”"},
		},
		{
			name: "scimType invalidFilter: the app cannot run the lookup, for the vendor to fix",
			in: appWith(&healthy, nil, entry(20*m, failed("SystemForCrossDomainIdentityManagementBadRequest",
				`StatusCode: BadRequest Message: Web Response: {"status":"400","scimType":"invalidFilter","detail":"Filtering on externalId is not supported"}`))),
			wantRule: "E32", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"invalidFilter", "“Filtering on externalId is not supported”"},
		},
		{
			name: "a member the app does not have is an unresolved reference",
			in: appWith(&healthy, nil, entry(20*m, action("update"), failed("SystemForCrossDomainIdentityManagementBadRequest",
				"StatusCode: BadRequest Message: Web Response: Bad Request: Cannot add invalid members to team. Invalid member ids: [4d2c]"))),
			wantRule: "E33", wantCategory: diagnose.ReferenceUnresolved,
			wantHelpDesk: []string{"“Bad Request: Cannot add invalid members to team.”", "(“invalid members”)"},
		},
		{
			name:     "a user without the matching value cannot be looked up",
			in:       appWith(&healthy, nil, entry(20*m, failed("EntryJoiningPropertyValueIsMissing", ""))),
			wantRule: "E34", wantCategory: diagnose.MatchingAttributeMissing,
			wantHelpDesk: []string{"the error code EntryJoiningPropertyValueIsMissing", "no value for the matching attribute"},
		},
	}
}

// TestSignalsDoNotOverrideSpecificCodes: a code that names the problem
// keeps deciding, whatever the app's words; generic codes with nothing
// more to say keep their own rules; an unknown code with nothing to read
// stays unknown.
func TestSignalsDoNotOverrideSpecificCodes(t *testing.T) {
	healthy := job()
	for _, tc := range []struct {
		name string
		e    diagnose.Entry
		rule string
	}{
		{"a documented conflict code stays the matching rule's",
			entry(time.Hour, failed("ContosoEntryConflict", `Web Response: {"detail":"must be active"}`)), "M02"},
		{"a licence code stays the licence rule's",
			entry(time.Hour, failed("LicenseLimitExceeded", "User already exists")), "E14"},
		{"a PATCH shape problem stays the compatibility rule's",
			entry(time.Hour, action("disable"), failed("SystemForCrossDomainIdentityManagementServiceIncompatible",
				`StatusCode: BadRequest Message: Web Response: {"detail":{"Operations":{"op":["\"add\" is not a valid choice"],"value":["value must be a boolean or object"]}}}`)), "E09"},
		{"an unknown code with an unknown status and no words stays unknown",
			entry(time.Hour, failed("ContosoFluxCapacitorOverload", "The flux capacitor overloaded (HTTP 418).")), "X01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := diagnose.Diagnose(appWith(&healthy, nil, tc.e)(), now)[0]
			if d.RuleID != tc.rule {
				t.Errorf("rule %s, want %s: %s", d.RuleID, tc.rule, d.Explanation)
			}
		})
	}
}
