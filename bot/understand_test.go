package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/manifest"
)

// The tenant of the Teams example messages (channelData.tenant.id).
const exampleTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

// gatheredApps lists the app ids of the lookups made so far ("" for
// every app).
func (h *convHarness) gatheredApps() []string {
	h.dir.mu.Lock()
	defer h.dir.mu.Unlock()
	var out []string
	for _, q := range h.dir.queries {
		out = append(out, q.AppID)
	}
	return out
}

func mustContain(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("card lacks %q:\n%s", w, text)
		}
	}
}

func mustNotContain(t *testing.T, text string, leaks ...string) {
	t.Helper()
	for _, l := range leaks {
		if strings.Contains(text, l) {
			t.Errorf("card shows %q:\n%s", l, text)
		}
	}
}

func TestAppsAreTakenAsPeopleNameThem(t *testing.T) {
	h := newConvHarness(t)
	for _, tc := range []struct {
		name, ask string
		lookedUp  []string // the app ids looked up; nil: no lookup
		says      []string
	}{
		{"a unique word of the name is taken without asking", "why can't I get into GitHub?", []string{ghID}, []string{"GitHub Enterprise"}},
		{"a word after a filler word", "no GitHub for me?", []string{ghID}, []string{"GitHub Enterprise"}},
		{"the start of a name", "why is my sales account locked?", []string{sfID}, []string{"Salesforce"}},
		{"a possessive", "why can't I open ServiceNow's portal?", []string{snID}, []string{"ServiceNow"}},
		{"one close misspelling is taken, and the answer says so", "why can't I get into servicenwo?", []string{snID},
			[]string{"Did you mean ServiceNow?", "“servicenwo”"}},
		{"a word of several apps is offered, not guessed", "why can't I get into Contoso?", nil,
			[]string{"“Contoso” fits more than one app", "Contoso HR", "Contoso Travel"}},
		{"an app nobody has gets the list of apps", "why can't I get into Notion?", nil,
			[]string{"I don't know an app called “Notion”", "Contoso HR, Contoso Travel, GitHub Enterprise, Salesforce, ServiceNow"}},
		{"an app without provisioning is answered as such, not as another app", "why don't I have Adobe?", []string{adobeID},
			[]string{"Adobe Creative Cloud"}},
		{"an app that only resembles one is offered, never answered", "why can't I get into Adobe Photoshop?", nil,
			[]string{"I don't know an app called “Adobe Photoshop”", "Adobe Creative Cloud"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(h.gatheredApps())
			text := cardText(h.ask(t, meganID, tc.ask))
			mustContain(t, text, tc.says...)
			if got := h.gatheredApps()[before:]; fmt.Sprint(got) != fmt.Sprint(tc.lookedUp) {
				t.Errorf("looked up apps %v, want %v", got, tc.lookedUp)
			}
		})
	}
}

// Even when a lookup brings other apps' facts, the answer is about the
// app asked or about nothing.
func TestTheAnswerIsNeverAboutAnotherApp(t *testing.T) {
	h := newConvHarness(t)
	h.dir.ignoreApp = true
	text := cardText(h.ask(t, meganID, "why can't I get into GitHub Enterprise?"))
	mustContain(t, text, "I found nothing about GitHub Enterprise")
	mustNotContain(t, text, "ServiceNow", "Salesforce")
}

func TestAnAppWithoutProvisioningGetsTheNotConfiguredAnswer(t *testing.T) {
	h := newConvHarness(t)
	h.ask(t, meganID, "where is my Adobe Creative Cloud account?")
	recs := h.audit.records("lookup")
	if len(recs) != 1 || recs[0]["verdict"] != "Adobe Creative Cloud=job-not-configured" {
		t.Errorf("audit %v, want the Adobe Creative Cloud job-not-configured verdict", recs)
	}
}

func TestHelpDeskGetsTheClosestPeopleForAMisspeltName(t *testing.T) {
	h := newConvHarness(t)
	text := cardText(h.ask(t, hankID, "check Jony Sherman in ServiceNow"))
	mustContain(t, text, "No one is called “Jony Sherman”", "Did you mean", "Joni Sherman", joniID)
	mustNotContain(t, text, "Megan Bowen", "Adele")
	if n := h.dir.gathers.Load(); n != 0 {
		t.Errorf("Gather called %d times before anyone was chosen", n)
	}
	// Bounded: the name as typed, then one search per word typed.
	resolves := 0
	h.dir.resolves.Range(func(k, v any) bool { resolves++; return true })
	if resolves > 3 {
		t.Errorf("%d different directory searches for one misspelt name, want at most 3", resolves)
	}
}

// A subject that cannot be looked up is never replaced by the asker.
func TestAnUnclearSubjectIsNeverTheAsker(t *testing.T) {
	h := newConvHarness(t)
	for _, ask := range []string{
		"check Maria de los Santos Garcia in ServiceNow",
		"check ??? in ServiceNow",
		"why can't Adele/Vance get into Salesforce?",
		"check Adele and Megan in Salesforce",
		"my colleague Adele can't get into ServiceNow",
	} {
		for _, asker := range []string{meganID, hankID} {
			t.Run(ask+" as "+asker[:4], func(t *testing.T) {
				before := h.dir.gathers.Load()
				text := cardText(h.ask(t, asker, ask))
				mustContain(t, text, "I could not tell whom you mean")
				mustNotContain(t, text, "Megan Bowen", "Hank Helpdesk", "✗ Problem", "✓ OK")
				if n := h.dir.gathers.Load() - before; n != 0 {
					t.Errorf("Gather called %d times", n)
				}
			})
		}
	}
}

// The help desk's question about a group is answered about the group: it
// is never looked up as a person.
func TestAGroupIsNotTakenForAPerson(t *testing.T) {
	h := newConvHarness(t)
	text := cardText(h.ask(t, hankID, "why is the Sales group missing from Salesforce?"))
	mustContain(t, text, "the Sales group", "Salesforce")
	if _, looked := h.dir.resolves.Load("Sales"); looked {
		t.Error("the group was looked up as a person")
	}
	h.dir.mu.Lock()
	defer h.dir.mu.Unlock()
	if len(h.dir.queries) != 1 || h.dir.queries[0].GroupID != salesID || h.dir.queries[0].UserID != "" {
		t.Errorf("lookups %+v, want one about the Sales group", h.dir.queries)
	}
}

func TestAHelpDeskAgentWhoseCheckFailedIsToldSo(t *testing.T) {
	h := newConvHarness(t)
	h.dir.helpDeskErr = fmt.Errorf("check member groups: %w", diagnose.ErrUnavailable)
	text := cardText(h.ask(t, hankID, "check adele.vance@contoso.com in ServiceNow"))
	mustContain(t, text, "I couldn't check that you're on the help desk", "did not answer", "ask again in a minute")
	mustNotContain(t, text, "I can only check your own account", "Adele")
	if _, looked := h.dir.resolves.Load("adele.vance@contoso.com"); looked {
		t.Error("the other person was looked up although the check failed")
	}
	// Nor is a group looked up; the agent is told the check failed.
	text = cardText(h.ask(t, hankID, "why is the Sales group missing from Salesforce?"))
	mustContain(t, text, "I couldn't check that you're on the help desk")
	mustNotContain(t, text, "Questions about a group are for the help desk")
	if n := h.dir.gathers.Load(); n != 0 {
		t.Errorf("Gather called %d times although the check failed", n)
	}
	// Their own account still answers.
	mustContain(t, cardText(h.ask(t, hankID, "check my accounts")), "2 apps")
}

// The asker's own lookup does not wait for the help-desk check: here the
// check answers only once the lookup has started, so waiting for it first
// would never answer.
func TestTheOwnLookupDoesNotWaitForTheHelpDeskCheck(t *testing.T) {
	h := newConvHarness(t, func(c *bot.ConversationConfig) { c.LookupTimeout = 5 * time.Second })
	h.dir.helpDeskGate = make(chan struct{})
	go func() {
		<-h.dir.gatherStarted
		close(h.dir.helpDeskGate)
	}()
	text := cardText(h.ask(t, hankID, "why can't I get into ServiceNow?"))
	// The check's answer still decides how it is written: the help desk
	// sees the evidence.
	mustContain(t, text, "Hank Helpdesk", "Evidence", "ServiceNowEntryConflict")
	mustNotContain(t, text, "took too long")
}

func TestAppStatusForEndUsersIsPlain(t *testing.T) {
	h := newConvHarness(t)
	for _, ask := range []string{"status of GitHub", "is GitHub down?", "how is github doing"} {
		text := cardText(h.ask(t, meganID, ask))
		mustContain(t, text, "GitHub Enterprise updates are on hold until an admin fixes them", "help@contoso.com")
		mustNotContain(t, text, "act-1234", "GitHubInvalidCredentials", "grady", "Job ID", "quarantined", "Activity ID")
	}
	mustContain(t, cardText(h.ask(t, meganID, "how is Salesforce doing?")), "Salesforce is working normally")
	apps := cardText(h.ask(t, meganID, "which apps"))
	mustContain(t, apps, "on hold", "working")
	mustNotContain(t, apps, "quarantined", "running")
	// The help desk sees the Current Status panel.
	mustContain(t, cardText(h.ask(t, hankID, "status of GitHub")), "Job ID", "GitHubInvalidCredentials", "quarantined")
}

func TestPeopleFromAnotherTenantGetNothingAboutThisOne(t *testing.T) {
	h := newConvHarness(t, func(c *bot.ConversationConfig) { c.TenantID = "0b5b4a3c-1111-4222-8333-944445555666" })
	for _, ask := range []string{"why can't I get into ServiceNow?", "which apps", "status of GitHub", "check adele@contoso.com", "help"} {
		text := cardText(h.ask(t, meganID, ask))
		mustContain(t, text, "I answer for another organization")
		mustNotContain(t, text, "ServiceNow", "GitHub", "Salesforce", "help@contoso.com", "Adele")
	}
	// Nor does adding the bot in a conversation of another tenant.
	before := len(h.replies())
	if status, _ := h.postSigned(h.activity("teams/teams-conversationupdate-bot-added-personal.json")); status != 200 {
		t.Fatal(status)
	}
	mustContain(t, cardText(h.waitReply(t, before)), "I answer for another organization")
	if n := h.dir.calls.Load(); n != 0 {
		t.Errorf("%d directory calls for people of another tenant", n)
	}
	if n := h.dir.catalogCalls.Load(); n != 0 {
		t.Errorf("the app catalogue was read %d times for people of another tenant", n)
	}
	// The configured tenant itself is answered.
	h2 := newConvHarness(t, func(c *bot.ConversationConfig) { c.TenantID = exampleTenant })
	mustContain(t, cardText(h2.ask(t, meganID, "why can't I get into ServiceNow?")), "✗ Problem")
}

func TestThanksAndEveryCommandOfTheMenu(t *testing.T) {
	h := newConvHarness(t)
	mustContain(t, cardText(h.ask(t, meganID, "thanks!")), "You're welcome")
	for _, c := range manifest.DefaultCommands() {
		text := cardText(h.ask(t, meganID, c.Title))
		mustNotContain(t, text, "I didn't understand", "Sorry")
	}
}

func TestCheckMyAccountsWithNothingAssignedSaysHowToAskForAccess(t *testing.T) {
	h := newConvHarness(t)
	h.dir.unassigned = true
	mustContain(t, cardText(h.ask(t, meganID, "check my accounts")),
		"You have no apps that get accounts automatically", "ask the IT help desk (help@contoso.com) for access")
	mustContain(t, cardText(h.ask(t, hankID, "check adele.vance@contoso.com")), "Adele Vance gets no accounts", "assign them")
}

// TestATimeInTheQuestionReachesTheLookup: the lookup is asked from the
// time the question names, so a source with older history (a Log
// Analytics workspace) is read back to it; a question without a time
// asks from no time.
func TestATimeInTheQuestionReachesTheLookup(t *testing.T) {
	h := newConvHarness(t)
	h.ask(t, meganID, "what happened to my ServiceNow account in March 2026?")
	h.ask(t, meganID, "why can't I get into ServiceNow?")
	h.dir.mu.Lock()
	defer h.dir.mu.Unlock()
	if len(h.dir.queries) != 2 {
		t.Fatalf("lookups %+v, want two", h.dir.queries)
	}
	// From the start of 1 March in the asker's time zone (the example
	// activity's local timezone).
	if got := h.dir.queries[0].Since; got.Format("2006-01-02 15:04") != "2026-03-01 00:00" || got.Location().String() == "UTC" {
		t.Errorf("a question about March 2026 asks from %v, want the start of 1 March in the asker's zone", got)
	}
	if got := h.dir.queries[1].Since; !got.IsZero() {
		t.Errorf("a question without a time asks from %v", got)
	}
}
