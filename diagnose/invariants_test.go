package diagnose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// TestCheckInvariantsCatchesBrokenAnswers: the checker is the oracle of
// every corpus, so it is tested too. Hand-written answers that break one
// invariant each are caught, naming the invariant; sound sentences that
// only look alike are not.
func TestCheckInvariantsCatchesBrokenAnswers(t *testing.T) {
	unread := func() diagnose.App {
		a := salesforce(nil, nil)
		a.Unknown = a.Unknown.Set(diagnose.FactJobs, diagnose.UnreadOffline)
		return a
	}
	quarantinedJob := job(quarantined("EncounteredQuarantineException", "SalesforceInvalidCredentials", "Your Salesforce.com credentials are invalid.", 3*time.Hour))
	failedEntry := entry(time.Hour, failed("SalesforceDuplicateUserName", "The user name is a duplicate."))
	base := func(aud diagnose.Audience, text string) diagnose.Diagnosis {
		return diagnose.Diagnosis{App: diagnose.AppRef{ServicePrincipalID: spID, Name: appNameSF}, Audience: aud,
			Severity: diagnose.SeverityError, Headline: "Adele Vance in Salesforce.", Explanation: text}
	}
	for _, tc := range []struct {
		name string
		app  diagnose.App
		es   []diagnose.Entry
		d    diagnose.Diagnosis
		want diagnose.Invariant // "" when the answer is sound
	}{
		{"a next cycle promised for a job that was not read", unread(), []diagnose.Entry{failedEntry},
			base(diagnose.HelpDesk, "Fill in the value; the next cycle retries."), diagnose.InvariantKnownFacts},
		{"the same promise, saying what it depends on", unread(), []diagnose.Entry{failedEntry},
			base(diagnose.HelpDesk, "Fill in the value; the next cycle retries if provisioning for Salesforce runs normally."), ""},
		{"provisioning said to be off when the job was not read", unread(), nil,
			base(diagnose.HelpDesk, "Provisioning into Salesforce is turned off, so nothing arrives."), diagnose.InvariantKnownFacts},
		{"a sign-in method to be turned off is no job fact", unread(), nil,
			base(diagnose.HelpDesk, "Nothing will change until text-message sign-in is turned off for the account."), ""},
		{"nothing to do beside a failed newest entry", salesforce(ptr(job()), nil), []diagnose.Entry{failedEntry},
			base(diagnose.HelpDesk, "No provisioning action needed."), diagnose.InvariantNoAllClear},
		{"a next cycle beside a quarantine", salesforce(&quarantinedJob, nil), nil,
			func() diagnose.Diagnosis {
				d := base(diagnose.HelpDesk, "Adele waits.")
				d.Estimate = &diagnose.Estimate{Kind: diagnose.EstimateNextCycle, Text: "The next cycle picks this up."}
				return d
			}(), diagnose.InvariantEstimateAgreesWithJob},
		{"an error code in end-user text", salesforce(ptr(job()), nil), []diagnose.Entry{failedEntry},
			base(diagnose.EndUser, "Salesforce said SalesforceDuplicateUserName."), diagnose.InvariantPlainEndUser},
		{"a quote the input does not hold", salesforce(ptr(job()), nil), []diagnose.Entry{failedEntry},
			base(diagnose.HelpDesk, "Salesforce said: “the user name is taken”."), diagnose.InvariantVerbatimQuotes},
		{"a verbatim quote", salesforce(ptr(job()), nil), []diagnose.Entry{failedEntry},
			base(diagnose.HelpDesk, "Salesforce said: “The user name is a duplicate.”"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := diagnose.Input{User: adele(), Entries: tc.es, Apps: []diagnose.App{tc.app}, Audience: tc.d.Audience}
			vs := diagnose.CheckInvariants(in, tc.d, now)
			if tc.want == "" {
				for _, v := range vs {
					t.Errorf("sound answer flagged: %s", v)
				}
				return
			}
			var got []string
			for _, v := range vs {
				if v.Invariant == tc.want {
					return
				}
				got = append(got, v.String())
			}
			t.Errorf("want a %s violation, got: %s", tc.want, strings.Join(got, "; "))
		})
	}
}
