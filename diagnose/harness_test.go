package diagnose_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/provbot/provbot/diagnose"
)

// coverage records which rules, categories and error codes the table
// tests exercised; TestMain fails the run if any is missing.
var coverage = struct {
	sync.Mutex
	rules      map[string]bool
	categories map[diagnose.Category]bool
	codes      map[string]bool
}{rules: map[string]bool{}, categories: map[diagnose.Category]bool{}, codes: map[string]bool{}}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && !testing.Short() && runAll() {
		if msg := missingCoverage(); msg != "" {
			fmt.Fprintln(os.Stderr, msg)
			code = 1
		}
	}
	os.Exit(code)
}

// runAll reports whether the whole package's tests ran (no -run filter),
// so that coverage can be checked.
func runAll() bool {
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-test.run") || strings.HasPrefix(a, "-test.bench") {
			return false
		}
	}
	return true
}

func missingCoverage() string {
	coverage.Lock()
	defer coverage.Unlock()
	var missing []string
	for _, c := range diagnose.Categories() {
		if !coverage.categories[c] {
			missing = append(missing, "category "+string(c))
		}
	}
	for _, r := range diagnose.Catalog() {
		if !coverage.rules[r.ID] {
			missing = append(missing, "rule "+r.ID)
		}
	}
	for _, n := range diagnose.Notes() {
		if !coverage.rules[n.ID] {
			missing = append(missing, "note "+n.ID)
		}
	}
	for _, c := range documentedCodes {
		if !coverage.codes[c] {
			missing = append(missing, "error code "+c)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	slices.Sort(missing)
	return "no table test produces: " + strings.Join(missing, ", ")
}

// documentedCodes are the error codes of provisioning facts §3.2.1 and
// §3.2.2; each must have a test.
var documentedCodes = []string{
	"Conflict", "EntryConflict", "TooManyRequests", "InternalServerError", "InsufficientRights",
	"MethodNotAllowed", "NotPermitted", "Unauthorized", "UnprocessableEntity", "WebExceptionProtocolError",
	"InvalidAnchor", "NotImplemented", "MandatoryFieldsMissing", "MissingValues", "SchemaAttributeNotFound",
	"InternalError", "InvalidDomain", "Timeout", "LicenseLimitExceeded", "DuplicateTargetEntries",
	"DuplicateSourceEntries", "ImportSkipped", "EntrySynchronizationSkipped",
	"SystemForCrossDomainIdentityManagementMultipleEntriesInResponse",
	"SystemForCrossDomainIdentityManagementServiceIncompatible", "SchemaPropertyCanOnlyAcceptValue",
	"AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService",
	"AzureDirectoryB2BManagementPolicyCheckFailure", "AzureActiveDirectoryQuotaLimitExceeded",
	"InvitationCreationFailure", "InvitationCreationFailureUserAccountDisabled", "AzureActiveDirectoryForbidden",
	"InvitationCreationFailureInvalidPropertyValue", "InvitationCreationFailureAmbiguousUser",
	"AzureActiveDirectoryCannotUpdateObjectsMasteredOnPremises", "EntityTypeNotSupported",
	"AzureActiveDirectoryInsufficientRights",
}

// ruleCase is one row of a rule family's table test.
type ruleCase struct {
	// name reads like the explanation.
	name string
	// in builds the input; Audience is set by the harness.
	in func() diagnose.Input
	// wantRule and wantCategory are the deciding rule and the verdict of
	// the first (worst) diagnosis.
	wantRule     string
	wantCategory diagnose.Category
	// wantSeverity is checked when set.
	wantSeverity diagnose.Severity
	// wantHelpDesk and wantEndUser are substrings of the explanations.
	wantHelpDesk, wantEndUser []string
	// wantNotes are note rule ids that must be present.
	wantNotes []string
	// wantEstimate is checked when set.
	wantEstimate diagnose.EstimateKind
	// code is the documented error code this case covers, if any.
	code string
}

// runRuleCases runs a family's table: each case for both audiences, with
// the checks every diagnosis must pass.
func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, aud := range []diagnose.Audience{diagnose.HelpDesk, diagnose.EndUser} {
				in := tc.in()
				in.Audience = aud
				ds := diagnose.Diagnose(in, now)
				if len(ds) == 0 {
					t.Fatalf("%s: no diagnosis", aud)
				}
				d := ds[0]
				if d.RuleID != tc.wantRule || d.Category != tc.wantCategory {
					t.Fatalf("%s: rule %s / %s, want %s / %s\nexplanation: %s", aud, d.RuleID, d.Category, tc.wantRule, tc.wantCategory, d.Explanation)
				}
				if tc.wantSeverity != "" && d.Severity != tc.wantSeverity {
					t.Errorf("%s: severity %s, want %s", aud, d.Severity, tc.wantSeverity)
				}
				if tc.wantEstimate != "" && (d.Estimate == nil || d.Estimate.Kind != tc.wantEstimate) {
					t.Errorf("%s: estimate %+v, want kind %s", aud, d.Estimate, tc.wantEstimate)
				}
				want := tc.wantHelpDesk
				if aud == diagnose.EndUser {
					want = tc.wantEndUser
				}
				for _, w := range want {
					if !strings.Contains(d.Explanation, w) {
						t.Errorf("%s: explanation lacks %q:\n%s", aud, w, d.Explanation)
					}
				}
				for _, id := range tc.wantNotes {
					if aud == diagnose.EndUser {
						break // notes for help desk only have no end-user text
					}
					if !slices.ContainsFunc(d.Notes, func(n diagnose.Note) bool { return n.RuleID == id }) {
						t.Errorf("%s: note %s missing; notes: %+v", aud, id, d.Notes)
					}
				}
				checkDiagnosis(t, d)
				checkInvariants(t, in, ds)
				checkUnderEveryJobState(t, tc.in, aud)
				coverage.Lock()
				coverage.rules[d.RuleID] = true
				coverage.categories[d.Category] = true
				for _, n := range d.Notes {
					coverage.rules[n.RuleID] = true
				}
				if tc.code != "" {
					coverage.codes[tc.code] = true
				}
				coverage.Unlock()
			}
		})
	}
}

// checkUnderEveryJobState replays a case's input under every job state of
// the generated matrix (healthy, paused, each quarantine, failing runs,
// the first pass, no job, a job provbot could not read), as it is and as
// saved files would hold it (the user's state and assignment unread), and
// checks every answer's invariants: whatever rule a table reaches, its
// sentences must hold beside any job, known or not.
func checkUnderEveryJobState(t *testing.T, build func() diagnose.Input, aud diagnose.Audience) {
	t.Helper()
	for _, jb := range matrixJobs() {
		for _, offline := range []bool{false, true} {
			in := build()
			in.Audience = aud
			for i := range in.Apps {
				jb.apply(&in.Apps[i])
				if offline {
					in.Apps[i].Assignment = nil
					in.Apps[i].Unknown = in.Apps[i].Unknown.Set(diagnose.FactAssignment, diagnose.UnreadOffline)
				}
			}
			if offline {
				in.Unknown = in.Unknown.Set(diagnose.FactUserState, diagnose.UnreadOffline)
			}
			for _, d := range diagnose.Diagnose(in, now) {
				for _, v := range diagnose.CheckInvariants(in, d, now) {
					t.Errorf("%s, job %s, offline %v (rule %s, %s): %s", aud, jb.name, offline, d.RuleID, d.App.Name, v)
				}
			}
		}
	}
}

// checkDiagnosis holds the checks every diagnosis must pass: no unfilled
// placeholder, a headline naming the user and the app, readable end-user
// text without jargon, and no evidence for end users.
func checkDiagnosis(t *testing.T, d diagnose.Diagnosis) {
	t.Helper()
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
	for _, s := range texts {
		if m := placeholderRE.FindString(s); m != "" {
			t.Errorf("unfilled placeholder %s in %q", m, s)
		}
		if strings.Contains(s, "(unknown)") {
			t.Errorf("unknown value shown in %q", s)
		}
	}
	if d.App.Name != "" && !strings.Contains(d.Headline, d.App.Name) {
		t.Errorf("headline does not name the app %q: %s", d.App.Name, d.Headline)
	}
	if name := d.User.DisplayName; name != "" && !strings.Contains(d.Headline, name) {
		t.Errorf("headline does not name the user %q: %s", name, d.Headline)
	}
	if d.Audience == diagnose.EndUser {
		if len(d.Evidence) != 0 {
			t.Errorf("end-user diagnosis carries evidence: %+v", d.Evidence)
		}
		for _, s := range texts[1:] {
			checkPlain(t, s)
		}
	}
}

// checkInvariants fails the test with every invariant a diagnosis of in
// breaks, naming the app, the audience and the text.
func checkInvariants(t *testing.T, in diagnose.Input, ds []diagnose.Diagnosis) {
	t.Helper()
	for _, d := range ds {
		for _, v := range diagnose.CheckInvariants(in, d, now) {
			t.Errorf("invariant broken for %s (%s, rule %s): %s", d.App.Name, d.Audience, d.RuleID, v)
		}
	}
}

// placeholderRE finds a template placeholder left unfilled ({user},
// {qreason}); JSON quoted from a service's reason does not look like one.
var placeholderRE = regexp.MustCompile(`\{[a-z]{2,16}\}`)

// checkPlain fails when end-user text is too hard to read or uses jargon.
func checkPlain(t *testing.T, s string) {
	t.Helper()
	if g := gradeLevel(s); g > maxGrade {
		t.Errorf("end-user text reads at grade %.1f (max %d): %q", g, maxGrade, s)
	}
	if w := jargonIn(s); w != "" {
		t.Errorf("end-user text uses %q: %q", w, s)
	}
}
