package diagnose_test

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// modified adds a modified property to the entry.
func modified(name, oldValue, newValue string) mod {
	return func(e *diagnose.Entry) {
		e.Modified = append(e.Modified, diagnose.ModifiedProperty{Name: name, OldValue: oldValue, NewValue: newValue})
	}
}

// adeleWithoutMail is Adele with no mail address in the directory.
func adeleWithoutMail() *diagnose.User {
	u := adele()
	u.Mail = ""
	return u
}

func TestMappingRules(t *testing.T) {
	m := time.Minute
	healthy := job()
	runRuleCases(t, []ruleCase{
		// A01: the required value is known to be empty.
		{
			name: "app needs a last name, and the user's last name is empty in the directory, so nothing was sent",
			in: appWith(&healthy, nil, entry(30*m, detail(diagnose.StepImport, "surname", ""), modified("displayName", "", "Adele Vance"),
				failed("SalesforceMandatoryFieldsMissing", "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]"))),
			wantRule: "A01", wantCategory: diagnose.MissingRequiredAttribute, wantSeverity: diagnose.SeverityError,
			wantHelpDesk: []string{"requires LastName (Entra: surname)", "has an empty value for it in Entra", "never sends empty (null) values", "SalesforceMandatoryFieldsMissing", "chg-133000"},
			wantEndUser:  []string{"one of them is empty in your profile", "Empty details are not sent"},
		},
		{
			name: "app rejects a user with no email, and the directory says the user has none",
			in: func() diagnose.Input {
				in := appWith(&healthy, nil, entry(30*m, failed("UnprocessableEntity", `StatusCode: 422 Message: Web Response: {"status":"422","detail":"email is required"}`)))()
				in.User = adeleWithoutMail()
				return in
			},
			wantRule: "A01", wantCategory: diagnose.MissingRequiredAttribute,
			wantHelpDesk: []string{"email (Entra: mail)", "HTTP status 422"},
		},
		// A02: the required value was not read or sent at all.
		{
			name: "app needs a last name and an alias that were never sent: empty, or not mapped",
			in: appWith(&healthy, nil, entry(30*m,
				failed("SalesforceMandatoryFieldsMissing", "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName, Alias]"))),
			wantRule: "A02", wantCategory: diagnose.MissingRequiredAttribute,
			wantHelpDesk: []string{"LastName (Entra: surname) and Alias (Entra: mailNickname)", "no attribute mapping sends them"},
			wantEndUser:  []string{"was not sent to it", "not set up to get it"},
		},
		{
			name: "SCIM app answers 400 'name.familyName is required' to a protocol request: a missing value, not a blip",
			in: appWith(&healthy, nil, entry(30*m, failed("WebExceptionProtocolError",
				`StatusCode: BadRequest Message: Web Response: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","detail":"name.familyName is required."}`))),
			wantRule: "A02", wantCategory: diagnose.MissingRequiredAttribute,
			wantHelpDesk: []string{"name.familyName (Entra: surname)", "HTTP status 400"},
		},
		// E11, E12: schema problems in the mappings.
		{
			name: "a mapping writes to an attribute the app does not have",
			code: "SchemaAttributeNotFound",
			in: appWith(&healthy, nil, entry(30*m, failed("SchemaAttributeNotFound",
				"The attribute 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter' was not found in the schema of the target system."))),
			wantRule: "E11", wantCategory: diagnose.AttributeMapping, wantSeverity: diagnose.SeverityError,
			wantHelpDesk: []string{"writes to urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter", "SchemaAttributeNotFound", "chg-133000"},
			wantEndUser:  []string{"a detail that Salesforce does not know", "setup problem"},
		},
		{
			name:     "a single-valued app property gets several values from the user",
			code:     "SchemaPropertyCanOnlyAcceptValue",
			in:       appWith(&healthy, nil, entry(30*m, action("update"), failed("SchemaPropertyCanOnlyAcceptValue", "The property title can only accept one value."))),
			wantRule: "E12", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"target property title accepts a single value", "SchemaPropertyCanOnlyAcceptValue"},
			wantEndUser:  []string{"only one value"},
		},
		// A04: an expression fails.
		{
			name: "an expression in the mappings fails on this user's data",
			in: appWith(&healthy, nil, entry(30*m, failed("ContosoExpressionEvaluationFailed",
				"Error while evaluating the expression Join(\",\", [proxyAddresses]) for target attribute emails: value cannot be null."))),
			wantRule: "A04", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"attribute-mapping expression could not be evaluated", "error code ContosoExpressionEvaluationFailed", "10,000 characters"},
			wantEndUser:  []string{"rules that turn your details into your Salesforce account has a mistake"},
		},
		{
			name:     "a role expression fails, with no error code",
			in:       appWith(&healthy, nil, entry(30*m, failed("", "SingleAppRoleAssignment([appRoleAssignments]) returned more than one value."))),
			wantRule: "A04", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"no error code", "SingleAppRoleAssignment"},
		},
	})
}

// TestMappingRulesStayInTheirLane checks inputs that look like mapping
// problems but are not.
func TestMappingRulesStayInTheirLane(t *testing.T) {
	healthy := job()
	for _, tc := range []struct {
		name    string
		e       diagnose.Entry
		notRule string
		rule    string
	}{
		{"an app's value check with a regular expression is not a mapping expression",
			entry(time.Hour, failed("ContosoValidationFailed", "The value of phone does not match the regular expression ^[0-9+ ]+$.")), "A04", "X01"},
		{"a required attribute the user has is not reported missing",
			entry(time.Hour, detail(diagnose.StepImport, "surname", "Vance"), failed("MandatoryFieldsMissing", "Required field LastName is missing.")), "A02", "E10"},
		{"a reason that names an attribute only outside the 'required' clause does not count",
			entry(time.Hour, failed("MandatoryFieldsMissing", "Required field CustomField__c is missing. Sent: LastName, Email.")), "A02", "E10"},
		{"a 500 whose reason says 'required' and 'service unavailable' stays transient",
			entry(time.Hour, failed("WebExceptionProtocolError", "HTTP status code 500: required service unavailable; LastName is required by the backend.")), "A02", "E05"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := diagnose.Diagnose(appWith(&healthy, nil, tc.e)(), now)[0]
			if d.RuleID == tc.notRule || d.RuleID != tc.rule {
				t.Errorf("rule %s, want %s (not %s): %s", d.RuleID, tc.rule, tc.notRule, d.Explanation)
			}
		})
	}
}
