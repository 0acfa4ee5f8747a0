package bot

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

func TestCommandsOfWatchesAndAlertsAreReadAndQuestionsAreLeftAlone(t *testing.T) {
	catalog := []diagnose.App{{ID: "sp-sf", Name: "Salesforce"}, {ID: "sp-sn", Name: "ServiceNow"}, {ID: "sp-gh", Name: "GitHub Enterprise"}}
	for _, tc := range []struct {
		text    string
		verb    string // "" for not a command
		app     string // the app named, if any
		subject subjectKind
		who     string
		muteFor time.Duration
		ref     string
	}{
		{text: "my watches", verb: VerbWatches},
		{text: "Show my watches.", verb: VerbWatches},
		{text: "what am I watching?", verb: VerbWatches},
		{text: "stop watching", verb: VerbUnwatch},
		{text: "stop watching ServiceNow", verb: VerbUnwatch, ref: "ServiceNow"},
		{text: "cancel watching Adele", verb: VerbUnwatch, ref: "Adele"},
		{text: "send alerts here", verb: VerbAlertsHere},
		{text: "please post alerts in this channel", verb: VerbAlertsHere},
		{text: "stop alerts here", verb: VerbAlertsOff},
		{text: "mute Salesforce for 1 day", verb: VerbMute, app: "Salesforce", muteFor: 24 * time.Hour},
		{text: "mute GitHub for 3 hours", verb: VerbMute, app: "GitHub Enterprise", muteFor: 3 * time.Hour},
		{text: "mute alerts for Salesforce for a week", verb: VerbMute, app: "Salesforce", muteFor: 7 * 24 * time.Hour},
		{text: "mute Salesforce", verb: VerbMute, app: "Salesforce"},
		{text: "mute Salesforce for 90 days", verb: VerbMute, app: "Salesforce"},
		{text: "mute Salesforce for a few months", verb: VerbMute, app: "Salesforce"},
		{text: "unmute Salesforce", verb: VerbUnmute, app: "Salesforce"},
		{text: "tell me when my ServiceNow account is ready", verb: VerbWatch, app: "ServiceNow", subject: subjectSelf},
		{text: "let me know once my Salesforce account exists", verb: VerbWatch, app: "Salesforce", subject: subjectSelf},
		{text: "tell me when Adele's ServiceNow account exists", verb: VerbWatch, app: "ServiceNow", subject: subjectName, who: "Adele"},
		{text: "notify me when adele@contoso.com is in ServiceNow", verb: VerbWatch, app: "ServiceNow", subject: subjectUPN, who: "adele@contoso.com"},
		{text: "why can't I get into Salesforce?"},
		{text: "is my ServiceNow account ready"},
		{text: "status of Salesforce"},
		{text: "why are my watches not in Salesforce?"},
		{text: "check adele@contoso.com in ServiceNow"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			r, ok := parseCommand(tc.text, catalog)
			if tc.verb == "" {
				if ok {
					t.Fatalf("a question read as the command %q", r.verb)
				}
				return
			}
			if !ok || r.verb != tc.verb {
				t.Fatalf("read as %q (%v), want %q", r.verb, ok, tc.verb)
			}
			if tc.app != "" {
				if name, one := r.named.one(); !one || name != tc.app {
					t.Errorf("app %+v, want %s", r.named, tc.app)
				}
			}
			if tc.subject != "" && (r.subject.kind != tc.subject || r.subject.who != tc.who) {
				t.Errorf("subject %+v, want %s %q", r.subject, tc.subject, tc.who)
			}
			if r.muteFor != tc.muteFor {
				t.Errorf("mute for %v, want %v", r.muteFor, tc.muteFor)
			}
			if r.watchRef != tc.ref {
				t.Errorf("watch %q, want %q", r.watchRef, tc.ref)
			}
		})
	}
}
