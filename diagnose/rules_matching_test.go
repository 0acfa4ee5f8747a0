package diagnose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// mtSent records an attribute the entry sent (a modified property).
func mtSent(name, value string) mod {
	return func(e *diagnose.Entry) {
		e.Modified = append(e.Modified, diagnose.ModifiedProperty{Name: name, NewValue: value})
	}
}

// mtTarget gives the entry the id of the app account it acted on.
func mtTarget(id string) mod {
	return func(e *diagnose.Entry) { e.Target.ID = id }
}

// mtSourceUPN sets the UPN the entry carries for its source user.
func mtSourceUPN(upn string) mod {
	return func(e *diagnose.Entry) {
		e.Source.Details = map[string]string{"UserPrincipalName": upn}
		for i := range e.Steps {
			if e.Steps[i].Type == diagnose.StepImport {
				e.Steps[i].Details["userPrincipalName"] = upn
			}
		}
	}
}

// guestAdele is Adele as a B2B guest from Fabrikam.
func guestAdele() *diagnose.User {
	u := adele()
	u.Guest = true
	u.UPN = "adele_fabrikam.com#EXT#@contoso.onmicrosoft.com"
	u.Mail = "adele@fabrikam.com"
	return u
}

// otherOwnerReason is a conflict reason that names the other account's
// owner, which end users must never see.
const otherOwnerReason = "StatusCode: 409 Message: Salesforce returned an error response with the HTTP status code 409. " +
	"A user with the same userName already exists: 'Alex Wilber' (alexw@contoso.com, id 005Dn000009AbC2)."

func TestMatchingRules(t *testing.T) {
	h := time.Hour
	healthy := job()
	conflict409 := "StatusCode: 409 Message: Salesforce returned an error response with the HTTP status code 409. " +
		"This response indicates that a user already exists with the same userName."
	runRuleCases(t, []ruleCase{
		{
			name: "conflict with an existing account of the same name",
			in: appWith(&healthy, nil, entry(2*h, failed("Conflict", conflict409),
				mtSent("userName", adeleUPN), mtSent("displayName", "Adele Vance"))),
			wantRule: "M02", wantCategory: diagnose.MatchingConflict, wantSeverity: diagnose.SeverityError, code: "Conflict",
			wantHelpDesk: []string{"failed at 12:00 UTC with Conflict", "The app answered with HTTP status 409.",
				"The reason points at the userName value; this entry sent userName = “adele@contoso.com”."},
			wantEndUser: []string{"already has an account that uses one of your details", "sort out which account is yours"},
		},
		{
			name: "connector-prefixed SalesforceEntryConflict is a conflict too",
			in: appWith(&healthy, nil, entry(2*h, failed("SalesforceEntryConflict",
				"StatusCode: 409 DUPLICATE_USERNAME: Duplicate Username. The username already exists in this or another Salesforce organization."),
				mtSent("userName", adeleUPN))),
			wantRule: "M02", wantCategory: diagnose.MatchingConflict, code: "EntryConflict",
			wantHelpDesk: []string{"with SalesforceEntryConflict", "DUPLICATE_USERNAME", "userName = “adele@contoso.com”"},
		},
		{
			name: "conflict where the reason names the other account's owner: only the help desk sees it",
			in: appWith(&healthy, nil, entry(2*h, failed("SalesforceEntryConflict", otherOwnerReason),
				mtSent("userName", adeleUPN))),
			wantRule: "M02", wantCategory: diagnose.MatchingConflict,
			wantHelpDesk: []string{"'Alex Wilber' (alexw@contoso.com", "userName = “adele@contoso.com”"},
			wantEndUser:  []string{"already has an account that uses one of your details"},
		},
		{
			name:     "conflict whose reason names no attribute",
			in:       appWith(&healthy, nil, entry(2*h, failed("EntryConflict", "The object could not be created."))),
			wantRule: "M02", wantCategory: diagnose.MatchingConflict,
			wantHelpDesk: []string{"Neither the reason nor the modified properties say which unique value clashes."},
		},
		{
			name: "guest's sign-in name, stripped of #EXT#, clashes with an existing account",
			in: func() diagnose.Input {
				return diagnose.Input{User: guestAdele(), Apps: []diagnose.App{salesforce(&healthy, nil)}, Entries: []diagnose.Entry{
					entry(2*h, mtSourceUPN("adele_fabrikam.com#EXT#@contoso.onmicrosoft.com"), failed("SalesforceEntryConflict",
						"StatusCode: 409 A user with userName adele@fabrikam.com already exists."), mtSent("userName", "adele@fabrikam.com")),
				}}
			},
			wantRule: "M10", wantCategory: diagnose.GuestUserMapping,
			wantHelpDesk: []string{"B2B guest (userType Guest; UPN adele_fabrikam.com#EXT#@contoso.onmicrosoft.com)", "strips #EXT#", "adele@fabrikam.com already exists"},
			wantEndUser:  []string{"You are a guest in this company's directory"},
		},
		{
			name: "guest's home domain is not accepted by the app (known only from the log's UPN)",
			in: func() diagnose.Input {
				return diagnose.Input{Apps: []diagnose.App{salesforce(&healthy, nil)}, Entries: []diagnose.Entry{
					entry(2*h, mtSourceUPN("adele_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
						failed("SalesforceInvalidDomain", "StatusCode: 400 The domain fabrikam.com is not a verified domain.")),
				}}
			},
			wantRule: "M10", wantCategory: diagnose.GuestUserMapping,
			wantHelpDesk: []string{"UPN adele_fabrikam.com#EXT#@contoso.onmicrosoft.com", "SalesforceInvalidDomain"},
		},
		{
			name: "a member (not a guest) with a conflict stays a plain conflict",
			in: appWith(&healthy, nil, entry(2*h, failed("EntryConflict", "409 userName already exists"),
				mtSent("userName", adeleUPN))),
			wantRule: "M02", wantCategory: diagnose.MatchingConflict,
		},
		{
			name: "two accounts in the app match her, so it cannot tell which is hers",
			in: appWith(&healthy, nil, entry(2*h, action("Update"), failedAt(diagnose.StepMatching, "DuplicateTargetEntries",
				"More than one entry in Salesforce matches userName 'adele@contoso.com'."))),
			wantRule: "M03", wantCategory: diagnose.DuplicateMatch, code: "DuplicateTargetEntries",
			wantHelpDesk: []string{"more than one Salesforce account", "userPrincipalName = “adele@contoso.com”", "DuplicateTargetEntries"},
			wantEndUser:  []string{"more than one account that looks like yours"},
		},
		{
			name: "two directory users share her matching value",
			in: appWith(&healthy, nil, entry(2*h, failedAt(diagnose.StepMatching, "DuplicateSourceEntries",
				"More than one source entry has mail 'adele@contoso.com'."))),
			wantRule: "M04", wantCategory: diagnose.DuplicateMatch, code: "DuplicateSourceEntries",
			wantHelpDesk: []string{"more than one Entra user has the same value", "DuplicateSourceEntries"},
			wantEndUser:  []string{"Another account in the company directory shares a detail with yours"},
		},
		{
			name: "the linked account was deleted in the app: the stale link must be repaired",
			in: appWith(&healthy, nil, entry(2*h, action("Update"), failed("SalesforceInvalidAnchor",
				"The anchor 005Dn000003XyZ1 no longer exists in Salesforce."), mtTarget("005Dn000003XyZ1"))),
			wantRule: "M09", wantCategory: diagnose.InvalidAnchor, code: "InvalidAnchor",
			wantHelpDesk: []string{"(target id 005Dn000003XyZ1) no longer exists", "object connection", "The update request for Adele Vance failed at 12:00 UTC with SalesforceInvalidAnchor"},
			wantEndUser:  []string{"seems to be gone now"},
		},
		{
			name: "the app returns several accounts for a lookup meant to return one",
			in: appWith(&healthy, nil, entry(2*h, failedAt(diagnose.StepMatching,
				"SystemForCrossDomainIdentityManagementMultipleEntriesInResponse", "The SCIM endpoint returned 2 resources for a filter on userName."))),
			wantRule: "M12", wantCategory: diagnose.TargetRejected, code: "SystemForCrossDomainIdentityManagementMultipleEntriesInResponse",
			wantHelpDesk: []string{"returned several", "excludedAttributes=members"},
			wantEndUser:  []string{"sent back more than one answer"},
		},
		{
			name: "an apostrophe in her sign-in name breaks the lookup",
			in: appWith(&healthy, nil, entry(2*h, mtSourceUPN("adele.o'neil@contoso.com"),
				failedAt(diagnose.StepMatching, "SystemForCrossDomainIdentityManagementBadRequest",
					"StatusCode: 400 Message: Invalid filter: userName eq \"adele.o'neil@contoso.com\""))),
			wantRule: "M07", wantCategory: diagnose.MatchingConflict,
			wantHelpDesk: []string{"userPrincipalName “adele.o'neil@contoso.com” contains special characters (')", "cannot run filter queries"},
			wantEndUser:  []string{"such as an apostrophe"},
		},
		{
			name: "the app refuses to filter on the attribute used to find her",
			in: appWith(&healthy, nil, entry(2*h, failedAt(diagnose.StepMatching, "SystemForCrossDomainIdentityManagementBadRequest",
				"StatusCode: 400 Message: Filtering on attribute employeeNumber is not supported."))),
			wantRule: "M06", wantCategory: diagnose.TargetRejected,
			wantHelpDesk: []string{"The app answered with HTTP status 400.", "rejected the filter query", "Filtering on attribute employeeNumber"},
			wantEndUser:  []string{"refused that search at 12:00 UTC"},
		},
		{
			name: "Graph's own EntryConflict example, made about a user: a conflict on the name",
			in: func() diagnose.Input {
				es := decodeEntries(t, readExample(t, "provisioningObjectSummary-list-v1-example2-failure-entryconflict.json"))
				for i := range es {
					es[i].Source.Type = "User" // the example is about a group, which the engine ignores for users
					es[i].Target.Type = "User"
				}
				return diagnose.Input{Entries: es}
			},
			wantRule: "M02", wantCategory: diagnose.MatchingConflict, code: "EntryConflict",
			wantHelpDesk: []string{"with ContosoEntryConflict", "The app answered with HTTP status 409.",
				"The reason points at the name value; this entry sent Name = “Self-service Pilot”.", "eaad2f8b-e6e3-409b-83bd-e4e2e57177d5"},
			wantEndUser: []string{"Contoso already has an account that uses one of your details"},
		},
	})
}

// TestConflictKeepsTheOtherOwnerPrivate checks every text an end user
// gets for a conflict whose reason names another person.
func TestConflictKeepsTheOtherOwnerPrivate(t *testing.T) {
	in := diagnose.Input{User: adele(), Apps: []diagnose.App{salesforce(ptr(job()), nil)},
		Entries: []diagnose.Entry{entry(2*time.Hour, failed("SalesforceEntryConflict", otherOwnerReason), mtSent("userName", adeleUPN))}}
	for _, aud := range []diagnose.Audience{diagnose.EndUser, diagnose.HelpDesk} {
		in.Audience = aud
		d := diagnose.Diagnose(in, now)[0]
		texts := []string{d.Headline, d.Explanation}
		for _, r := range d.Recommendations {
			texts = append(texts, r.Text)
		}
		for _, n := range d.Notes {
			texts = append(texts, n.Text)
		}
		if d.Estimate != nil {
			texts = append(texts, d.Estimate.Text)
		}
		all := strings.Join(texts, "\n")
		leaked := strings.Contains(all, "Alex") || strings.Contains(all, "alexw") || strings.Contains(all, "005Dn000009AbC2")
		if aud == diagnose.EndUser && leaked {
			t.Errorf("end-user text reveals the other account's owner:\n%s", all)
		}
		if aud == diagnose.HelpDesk && !strings.Contains(d.Explanation, "'Alex Wilber' (alexw@contoso.com") {
			t.Errorf("help-desk text does not quote the reason:\n%s", d.Explanation)
		}
	}
}

// TestInvalidAnchorAdviceRepairsTheLink checks that M09's advice walks
// the help desk through the object-connections repair.
func TestInvalidAnchorAdviceRepairsTheLink(t *testing.T) {
	in := diagnose.Input{User: adele(), Audience: diagnose.HelpDesk, Apps: []diagnose.App{salesforce(ptr(job()), nil)},
		Entries: []diagnose.Entry{entry(time.Hour, action("Update"), failed("InvalidAnchor", "Anchor not found."), mtTarget("005Dn000003XyZ1"))}}
	d := diagnose.Diagnose(in, now)[0]
	var advice strings.Builder
	for _, r := range d.Recommendations {
		advice.WriteString(r.Text + "\n")
	}
	for _, want := range []string{
		"/beta/servicePrincipals/" + spID + "/synchronization/jobs/" + jobIDSF + "/objectConnections('" + adeleID + "')",
		"pause the job", "DELETE that object connection", "provision Adele Vance on demand", "start the job again",
		"restore it",
	} {
		if !strings.Contains(advice.String(), want) {
			t.Errorf("advice lacks %q:\n%s", want, advice.String())
		}
	}
}

// TestFailedLookupNeedsEvidenceOfFiltering checks that M06 and M07 do not
// claim a failed lookup that shows neither a rejected filter nor special
// characters (the scoping step always mentions filters).
func TestFailedLookupNeedsEvidenceOfFiltering(t *testing.T) {
	in := diagnose.Input{User: adele(), Audience: diagnose.HelpDesk, Apps: []diagnose.App{salesforce(ptr(job()), nil)},
		Entries: []diagnose.Entry{entry(time.Hour, failedAt(diagnose.StepMatching, "SystemForCrossDomainIdentityManagementBadRequest",
			"StatusCode: 503 Message: Service unavailable."))}}
	if d := diagnose.Diagnose(in, now)[0]; d.RuleID == "M06" || d.RuleID == "M07" {
		t.Errorf("rule %s claims a lookup failure without evidence:\n%s", d.RuleID, d.Explanation)
	}
}
