package bot

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseQuestion reads arbitrary text as a question. Whatever it is,
// the parser must not fail, must name only known apps as known, must
// never take a question that names someone by address or id for the
// asker's own, and must say why a subject is unclear. The seed corpus is
// the phrasings of the parser's tests (and testdata/fuzz).
func FuzzParseQuestion(f *testing.F) {
	for _, s := range []string{
		"why can't I get into Salesforce?", "check adele@contoso.com in ServiceNow", "servicenwo", "no GitHub for me?",
		"why can't I get into Fabrikam's tenant?", "check ??? in ServiceNow", "check Maria de los Santos Garcia in Slack",
		"why is the Sales group missing from Slack?", "is ServiceNow down?", "how is Slack doing", "thanks", "check",
		"what happened to 7faf8ab2-3d56-4244-b585-20c8a42ed2b8", "&lt;at&gt;provbot&lt;/at&gt; status of Zoom",
		"why&nbsp;can't&nbsp;I get into Salesforce?", "my colleague Adele can't get into Slack", "Zoë Åkesson in Zoom 😭",
		"check Adele, Megan in Slack", "why don't I have Jira?", "check Adele in Fabrikam Expenses", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q := parseQuestion(text, knownApps)
		if again := parseQuestion(text, knownApps); again.Intent != q.Intent || again.Subject != q.Subject || again.Who != q.Who ||
			again.App.Said != q.App.Said || !slices.Equal(again.App.Known, q.App.Known) {
			t.Fatalf("two readings of %q differ: %+v, %+v", text, q, again)
		}
		switch q.Intent {
		case intentDiagnose, intentStatus, intentApps, intentHelp, intentThanks, intentUnknown:
		default:
			t.Fatalf("%q: intent %q", text, q.Intent)
		}
		for _, k := range q.App.Known {
			if !slices.Contains(knownApps, k) {
				t.Fatalf("%q: names %q as a known app", text, k)
			}
		}
		if (q.App.How == appUnnamed) != (q.App.Said == "") || len(q.App.Known) > 0 && (q.App.How == appUnknown || q.App.How == appUnnamed) {
			t.Fatalf("%q: app %+v", text, q.App)
		}
		if (q.Subject == subjectUnclear) != (q.Unclear != unclearNone) {
			t.Fatalf("%q: subject %q with reason %q", text, q.Subject, q.Unclear)
		}
		if (q.Subject == subjectSelf || q.Subject == subjectNone) && q.Who != "" {
			t.Fatalf("%q: subject %q names %q", text, q.Subject, q.Who)
		}
		if q.Intent == intentDiagnose && q.Subject == subjectSelf {
			norm := normalizeText(text)
			if upnRE.MatchString(norm) || guidRE.MatchString(norm) {
				t.Fatalf("%q names someone by address or id but was read as the asker's own question", text)
			}
		}
		if utf8.ValidString(text) && (!utf8.ValidString(q.Who) || !utf8.ValidString(q.App.Said)) {
			t.Fatalf("%q: invalid UTF-8 in %+v", text, q)
		}
		if strings.ContainsAny(q.Who+q.App.Said, "\n\r\t") {
			t.Fatalf("%q: whitespace controls in %+v", text, q)
		}
	})
}
