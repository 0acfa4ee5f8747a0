package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/bot/card/cardtest"
	"github.com/provbot/provbot/diagnose"
)

// evil is what a person could type, or a directory, a log or an app could
// hold: a link, emphasis, a list and a heading on their own lines.
const evil = "[Reset](https://evil.example) **now** _x_\n1. list\n# heading\n- item"

// hostileDiagnosis has evil in every text the engine, the directory and
// the logs give a card.
func hostileDiagnosis(aud diagnose.Audience) diagnose.Diagnosis {
	d := conflictDiagnosis(aud)
	d.User = diagnose.UserRef{ObjectID: "u1", DisplayName: evil, UPN: evil}
	d.App = diagnose.AppRef{ServicePrincipalID: "sp", Name: evil}
	d.Headline, d.Explanation = evil, evil
	d.Recommendations = []diagnose.Recommendation{{Who: diagnose.PartyHelpDesk, Text: evil}}
	d.Estimate = &diagnose.Estimate{Kind: diagnose.EstimateUnknown, Text: evil}
	d.Notes = []diagnose.Note{{Text: evil}}
	st := *d.Status
	st.State, st.Verdict, st.CycleKind, st.QuarantineReason, st.Quarantined = evil, evil, evil, evil, true
	st.LastRunError = &diagnose.SyncError{Code: evil, Message: evil}
	d.Status = &st
	for i := range d.Timeline {
		d.Timeline[i].Description, d.Timeline[i].Name = evil, evil
	}
	d.Ticket.ErrorCode, d.Ticket.ChangeID = evil, evil
	d.Evidence = []diagnose.Evidence{{Field: evil, Value: evil}}
	return d
}

// No text we did not write becomes Markdown in any card: rendered as
// CommonMark, every Markdown field of every card shows text only (our own
// templates use no formatting either).
func TestTextWeDidNotWriteNeverBecomesMarkdown(t *testing.T) {
	opts := cardOptions{Now: cardNow, Loc: time.UTC}
	st := hostileDiagnosis(diagnose.HelpDesk).Status
	apps := []appInfo{{ID: "sp", Name: evil, Status: st}, {ID: "sp2", Name: evil}}
	cards := map[string]card.AdaptiveCard{
		"diagnosis (help desk)": diagnosisCard(hostileDiagnosis(diagnose.HelpDesk), opts),
		"diagnosis (end user)":  diagnosisCard(hostileDiagnosis(diagnose.EndUser), opts),
		"all steps":             diagnosisCard(hostileDiagnosis(diagnose.HelpDesk), cardOptions{Now: cardNow, Loc: time.UTC, AllSteps: true}),
		"summary":               summaryCard([]diagnose.Diagnosis{hostileDiagnosis(diagnose.EndUser), hostileDiagnosis(diagnose.EndUser)}, opts),
		"status":                statusCard(apps[0], opts),
		"apps":                  appsCard(apps, diagnose.HelpDesk),
		"apps (end user)":       appsCard(apps, diagnose.EndUser),
		"status (end user)":     plainStatusCard(apps[0], evil),
		"pick user":             pickUserCard(evil, evil, []diagnose.User{{ObjectID: "u1", DisplayName: evil, UPN: evil}, {ObjectID: "u2", DisplayName: evil}}),
		"pick app":              pickAppCard(evil, "u1", apps, VerbPickApp),
		"message":               messageCard(evil, evil),
		"apology":               apologyCard(evil),
		"unclear subject":       unclearSubjectCard(evil, unclearPunctuation),
		"did you mean (person)": didYouMeanPersonCard(evil, evil, []diagnose.User{{ObjectID: "u1", DisplayName: evil, UPN: evil}}),
		"which app":             whichAppCard(evil, "u1", apps, VerbPickApp),
		"unknown app":           unknownAppCard(evil, []string{evil, "Slack"}),
		"no apps":               noAppsCard(evil, false, false, evil),
		"misspelt app note":     withNote(messageCard("ServiceNow", "x"), spellingNote(appRef{Said: evil, Known: []string{evil}, How: appSpelling}, evil)),
		"private note":          privateNoteCard(evil),
		"private answer failed": privateFailedCard(evil),
	}
	for name, c := range cards {
		t.Run(name, func(t *testing.T) {
			if err := c.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			fields, err := cardtest.MarkdownFields(c)
			if err != nil {
				t.Fatal(err)
			}
			sawEvil := false
			for path, md := range fields {
				r := cardtest.Render(md)
				if len(r.Formatting) > 0 {
					t.Errorf("%s renders as Markdown %v: %q", path, r.Formatting, md)
				}
				sawEvil = sawEvil || strings.Contains(r.Shown, "[Reset](https://evil.example) **now** _x_")
			}
			if !sawEvil {
				t.Error("the hostile text is not shown verbatim anywhere")
			}
		})
	}
}
