package bot

import (
	"strings"
	"testing"

	"github.com/provbot/provbot/manifest"
)

// knownApps are the provisioning apps the parser tests read questions with.
var knownApps = []string{"Salesforce", "ServiceNow", "Dropbox Business", "Slack", "Zoom", "GitHub Enterprise", "Workday", "Box",
	"Contoso HR", "Atlassian Cloud", "Fabrikam (cross-tenant sync)", "Contoso Travel", "DocuSign", "Adobe Creative Cloud"}

// want is what a question should be read as. app is the known app it
// names ("" for none); "?words" are words standing for an app the list
// does not have; "~App" an app taken from a misspelling; "A|B" several.
type want struct {
	intent  intent
	subject subjectKind
	who     string
	app     string
	unclear unclearReason
}

func self(app string) want { return want{intent: intentDiagnose, subject: subjectSelf, app: app} }
func byUPN(who, app string) want {
	return want{intent: intentDiagnose, subject: subjectUPN, who: who, app: app}
}
func byObjectID(who, app string) want {
	return want{intent: intentDiagnose, subject: subjectObjectID, who: who, app: app}
}
func person(who, app string) want {
	return want{intent: intentDiagnose, subject: subjectName, who: who, app: app}
}
func byGroup(who, app string) want {
	return want{intent: intentDiagnose, subject: subjectGroup, who: who, app: app}
}
func statusOf(app string) want { return want{intent: intentStatus, app: app} }
func only(i intent) want       { return want{intent: i} }
func unclear(r unclearReason, who, app string) want {
	return want{intent: intentDiagnose, subject: subjectUnclear, who: who, app: app, unclear: r}
}

// appString writes an appRef the way want.app does.
func appString(r appRef) string {
	switch r.How {
	case appUnnamed:
		return ""
	case appUnknown:
		return "?" + r.Said
	case appSpelling:
		return "~" + strings.Join(r.Known, "|")
	}
	return strings.Join(r.Known, "|")
}

func checkParse(t *testing.T, text string, apps []string, w want) {
	t.Helper()
	q := parseQuestion(text, apps)
	got := want{intent: q.Intent, subject: q.Subject, who: q.Who, app: appString(q.App), unclear: q.Unclear}
	if got != w {
		t.Errorf("parseQuestion(%q)\n got %+v\nwant %+v", text, got, w)
	}
}

type parseCase struct {
	text string
	want want
}

func runParse(t *testing.T, apps []string, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) { checkParse(t, tc.text, apps, tc.want) })
	}
}

func TestQuestionsAboutTheAskersOwnAccount(t *testing.T) {
	runParse(t, knownApps, []parseCase{
		{"why can't I get into Salesforce?", self("Salesforce")},
		{"is my ServiceNow account ready", self("ServiceNow")},
		{"is my service now account ready?", self("ServiceNow")},
		{"I can't log in to Slack", self("Slack")},
		{"Why don't I have Zoom yet?", self("Zoom")},
		{"where is my dropbox business account", self("Dropbox Business")},
		{"my github enterprise access is missing", self("GitHub Enterprise")},
		{"do I have a Workday account?", self("Workday")},
		{"what happened to my Box account", self("Box")},
		{"Salesforce doesn't work for me", self("Salesforce")},
		{"why am I missing from Slack", self("Slack")},
		{"check my accounts", self("")},
		{"what's wrong with my access?", self("")},
		{"why can't I sign in to contoso hr", self("Contoso HR")},
		{"me in servicenow", self("ServiceNow")},
		{"is Salesforce working?", self("Salesforce")},
		{"Zoom", self("Zoom")},
		{"my apps", self("")},
		{"which apps do I have?", self("")},
		{"I still can't get into Service-Now!!", self("ServiceNow")},
		{"why&nbsp;can't&nbsp;I get into Salesforce?", self("Salesforce")},
		{"why can't I get into ServiceNow :(", self("ServiceNow")},
		{"why can't I get into Slack 😭", self("Slack")},
		{"ServiceNow - why can't I log in?", self("ServiceNow")},
		{"Adele and I can't get into Slack", self("Slack")},
		{"I was added to ServiceNow Users, why is my account not there yet?", self("ServiceNow")},
		{"servicenow keeps flaking out", self("ServiceNow")},
		{"slack is asking for a password", self("Slack")},
		{"ServiceNow works for my colleagues but not for me", self("ServiceNow")},
		{"I'm a contractor and can't get into Slack", self("Slack")},
		{"I told her I'd check my Slack", self("Slack")},
		{"my manager is missing in ServiceNow", self("ServiceNow")},
		{"Why can't I log into Salesforce on Monday", self("Salesforce")},
		{"I'm in the Marketing department and can't get Slack", self("Slack")},
		{"I can't open Slack in Teams", self("Slack")},
	})
}

func TestQuestionsAboutSomeoneElse(t *testing.T) {
	const guid = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8"
	runParse(t, knownApps, []parseCase{
		// By user principal name or email address.
		{"check adele@contoso.com in ServiceNow", byUPN("adele@contoso.com", "ServiceNow")},
		{"adele@contoso.com servicenow", byUPN("adele@contoso.com", "ServiceNow")},
		{"why can't adele@contoso.com get into Salesforce?", byUPN("adele@contoso.com", "Salesforce")},
		{"check Adele.Vance@Contoso.com", byUPN("Adele.Vance@Contoso.com", "")},
		{"is megan.bowen@contoso.com in Slack yet", byUPN("megan.bowen@contoso.com", "Slack")},
		{"look up o'brien@contoso.com in zoom", byUPN("o'brien@contoso.com", "Zoom")},
		{"guest_fabrikam.com#EXT#@contoso.onmicrosoft.com in Box", byUPN("guest_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Box")},
		{"what happened to adele@contoso.com?", byUPN("adele@contoso.com", "")},
		{"check adele@contoso.com.", byUPN("adele@contoso.com", "")},
		{"check &lt;adele@contoso.com&gt; in Contoso Travel", byUPN("adele@contoso.com", "Contoso Travel")},
		// By object id.
		{"what happened to " + guid, byObjectID(guid, "")},
		{"check 7FAF8AB2-3D56-4244-B585-20C8A42ED2B8 in Workday", byObjectID(guid, "Workday")},
		{guid, byObjectID(guid, "")},
		{"why is " + guid + " missing from Salesforce", byObjectID(guid, "Salesforce")},
		// By name.
		{"why is Adele Vance missing from Dropbox Business", person("Adele Vance", "Dropbox Business")},
		{"check Adele in ServiceNow", person("Adele", "ServiceNow")},
		{"Adele Vance's Salesforce account", person("Adele Vance", "Salesforce")},
		{"what happened to Megan Bowen", person("Megan Bowen", "")},
		{"why doesn't Patti have Slack", person("Patti", "Slack")},
		{"check alex wilber", person("alex wilber", "")},
		{"has Lidia Holloway been provisioned to Zoom?", person("Lidia Holloway", "Zoom")},
		{"is Diego Siciliani in Workday", person("Diego Siciliani", "Workday")},
		{"Isaiah Langer salesforce", person("Isaiah Langer", "Salesforce")},
		{"new hire Grady Archie can't get into box", person("Grady Archie", "Box")},
		{"why can't Johanna Lorenz log in to github enterprise?", person("Johanna Lorenz", "GitHub Enterprise")},
		{"please check Nestor Wilke's access to Contoso HR", person("Nestor Wilke", "Contoso HR")},
		{"Pradeep Gupta", person("Pradeep Gupta", "")},
		{"what about O'Brien in Slack", person("O'Brien", "Slack")},
		{"Zoë Åkesson in Zoom", person("Zoë Åkesson", "Zoom")},
		{"what happened to Lee Gu's ServiceNow account?", person("Lee Gu", "ServiceNow")},
		{"why can't Joni get into ServiceNow?", person("Joni", "ServiceNow")},
		{"check Maria de la Cruz in Slack", person("Maria de la Cruz", "Slack")},
	})
}

func TestAppsNamedTheWayPeopleSayThem(t *testing.T) {
	runParse(t, knownApps, []parseCase{
		// A unique word of the name, or its start.
		{"why can't I get into GitHub?", self("GitHub Enterprise")},
		{"where is my Dropbox account?", self("Dropbox Business")},
		{"why can't I get Atlassian?", self("Atlassian Cloud")},
		{"why can't I book travel?", self("Contoso Travel")},
		{"is my Adobe account ready?", self("Adobe Creative Cloud")},
		{"I need Creative Cloud", self("Adobe Creative Cloud")},
		{"why is my Sales account locked", self("Salesforce")},
		{"check adele@contoso.com in docu", byUPN("adele@contoso.com", "DocuSign")},
		// Filler words and possessives around it.
		{"no GitHub for me?", self("GitHub Enterprise")},
		{"why can't I get into Fabrikam's tenant?", self("Fabrikam (cross-tenant sync)")},
		{"why don't I have an account in the Fabrikam tenant?", self("Fabrikam (cross-tenant sync)")},
		{"why can't I open ServiceNow's portal?", self("ServiceNow")},
		{"is Adele's Slack account gone?", person("Adele", "Slack")},
		// Products people say instead of the app.
		{"why don't I have Jira?", self("Atlassian Cloud")},
		{"my confluence account is missing", self("Atlassian Cloud")},
		{"check SFDC for adele@contoso.com", byUPN("adele@contoso.com", "Salesforce")},
		// Misspellings: taken, and said so in the answer.
		{"servicenwo", self("~ServiceNow")},
		{"why can't I get into servicenwo?", self("~ServiceNow")},
		{"why can't I log into salesfroce?", self("~Salesforce")},
		{"check adele@contoso.com in Slakc", byUPN("adele@contoso.com", "~Slack")},
		{"why can't Joni get into servicenwo", person("Joni", "~ServiceNow")},
		// A word of several apps: offered, not guessed.
		{"why can't I get into Contoso?", self("Contoso HR|Contoso Travel")},
		// Words in an app's place that name no known app: the directory
		// decides (single sign-on only apps, or the list of apps).
		{"why can't I get into Fabrikam Expenses?", self("?Fabrikam Expenses")},
		{"check Adele in Fabrikam Expenses", person("Adele", "?Fabrikam Expenses")},
		{"why can't I get into Notion?", self("?Notion")},
		{"why don't I have Figma?", self("?Figma")},
		// Common words that are not misspelt app names.
		{"why can't I book a flight", self("")},
	})
}

func TestAppsWithoutAKnownList(t *testing.T) {
	runParse(t, nil, []parseCase{
		{"why can't I get into Salesforce?", self("?Salesforce")},
		{"is my ServiceNow account ready", self("?ServiceNow")},
		{"check adele@contoso.com in ServiceNow", byUPN("adele@contoso.com", "?ServiceNow")},
		{"why is Adele Vance missing from Dropbox", person("Adele Vance", "?Dropbox")},
		{"status of Salesforce", statusOf("?Salesforce")},
		{"what happened to adele@contoso.com", byUPN("adele@contoso.com", "")},
		{"check Adele in Fabrikam Expenses", person("Adele", "?Fabrikam Expenses")},
	})
}

// A subject that cannot be looked up is never taken for the asker.
func TestUnclearSubjectsAreNeverTheAsker(t *testing.T) {
	runParse(t, knownApps, []parseCase{
		{"why can't Maria de los Santos Garcia get into Slack", unclear(unclearTooLong, "Maria de los Santos Garcia", "Slack")},
		{"check Anna Maria Louisa von Habsburg in ServiceNow", unclear(unclearTooLong, "Anna Maria Louisa von Habsburg", "ServiceNow")},
		{"check ??? in ServiceNow", unclear(unclearPunctuation, "???", "ServiceNow")},
		{"check -- in ServiceNow", unclear(unclearPunctuation, "--", "ServiceNow")},
		{"why can't Adele/Vance get into Slack", unclear(unclearPunctuation, "Adele/Vance", "Slack")},
		{"check @Adele in ServiceNow", unclear(unclearPunctuation, "@Adele", "ServiceNow")},
		{"check <b>Adele</b>!! in Zoom", person("Adele", "Zoom")},
		{"check Adele* in Zoom", unclear(unclearPunctuation, "Adele*", "Zoom")},
		{"check Adele = Vance in Zoom", unclear(unclearPunctuation, "Adele = Vance", "Zoom")},
		{"check Adele and Megan in Slack", unclear(unclearSeveral, "Adele Megan", "Slack")},
		{"check Adele, Megan in Slack", unclear(unclearSeveral, "Adele Megan", "Slack")},
		{"check adele@contoso.com and megan@contoso.com in Slack", unclear(unclearSeveral, "adele@contoso.com, megan@contoso.com", "Slack")},
		{"my colleague Adele can't get into Slack", unclear(unclearSelfAndName, "Adele", "Slack")},
		{"I need to check Adele Vance in Zoom", unclear(unclearSelfAndName, "Adele Vance", "Zoom")},
		{"joni servicenow", unclear(unclearNotAName, "joni", "ServiceNow")},
		{"why can't the new intern get into Slack", unclear(unclearUnnamed, "intern", "Slack")},
		{"why can't she get into Zoom?", unclear(unclearUnnamed, "she", "Zoom")},
		{"my colleague can't get into Slack", unclear(unclearUnnamed, "colleague", "Slack")},
	})
}

func TestQuestionsAboutAGroup(t *testing.T) {
	runParse(t, knownApps, []parseCase{
		{"why is the Sales group missing from Slack?", byGroup("Sales", "Slack")},
		{"check group Marketing Team in Zoom", byGroup("Marketing", "Zoom")},
		{"why can't the Finance team get into ServiceNow", byGroup("Finance", "ServiceNow")},
		{"check group Marketing in Salesforce", byGroup("Marketing", "Salesforce")},
		{"what happened to the Facilities Team group", byGroup("Facilities Team", "")},
		{"check the sales team group in Slack", byGroup("sales", "Slack")},
		{"my team has ServiceNow, why don't I?", self("ServiceNow")},
	})
}

func TestQuestionsAboutAnApp(t *testing.T) {
	runParse(t, knownApps, []parseCase{
		{"status of Salesforce", statusOf("Salesforce")},
		{"Salesforce status", statusOf("Salesforce")},
		{"what's the status of service now?", statusOf("ServiceNow")},
		{"is Slack provisioning healthy?", statusOf("Slack")},
		{"is Workday quarantined", statusOf("Workday")},
		{"how is Zoom doing", statusOf("Zoom")},
		{"how is Slack doing?", statusOf("Slack")},
		{"is ServiceNow down?", statusOf("ServiceNow")},
		{"is github down", statusOf("GitHub Enterprise")},
		{"status", statusOf("")},
		{"provisioning status for Dropbox Business", statusOf("Dropbox Business")},
		{"status of Fabrikam Portal", statusOf("?Fabrikam Portal")},
		{"is ServiceNow down for me?", self("ServiceNow")},
		{"which apps", only(intentApps)},
		{"which apps do you know?", only(intentApps)},
		{"list apps", only(intentApps)},
		{"apps", only(intentApps)},
		{"what applications are provisioned?", only(intentApps)},
		{"show all apps", only(intentApps)},
	})
}

func TestHelpThanksAndGibberish(t *testing.T) {
	runParse(t, knownApps, []parseCase{
		{"help", only(intentHelp)},
		{"Help!", only(intentHelp)},
		{"hi", only(intentHelp)},
		{"what can you do?", only(intentHelp)},
		{"", only(intentHelp)},
		{"   ", only(intentHelp)},
		{"?", only(intentHelp)},
		{"help me", only(intentHelp)},
		{"thanks", only(intentThanks)},
		{"Thank you so much!", only(intentThanks)},
		{"ok thx", only(intentThanks)},
		{"thanks, why can't I get into Zoom?", self("Zoom")},
		{"blorp", only(intentUnknown)},
		{"asdf qwer?", only(intentUnknown)},
		{"ok", only(intentUnknown)},
	})
}

// Every command of the bot's menu in the Teams manifest, sent on its own
// as Teams inserts it, is understood.
func TestBareCommandTitlesFromTheManifest(t *testing.T) {
	wants := map[string]want{
		"check": self(""), "why": self(""), "status": statusOf(""), "apps": only(intentApps), "help": only(intentHelp),
	}
	for _, c := range manifest.DefaultCommands() {
		w, ok := wants[c.Title]
		if !ok {
			t.Errorf("the manifest's command %q has no expected reading here: add it", c.Title)
			continue
		}
		checkParse(t, c.Title, knownApps, w)
		checkParse(t, " "+strings.ToUpper(c.Title[:1])+c.Title[1:]+" ", knownApps, w)
	}
}
