package lafake

import (
	"time"

	"github.com/provbot/provbot/diagnose"
)

// DemoWorkspaceID is the demo's Log Analytics workspace id.
const DemoWorkspaceID = "5d2f5c4e-2b7a-4f0e-9a51-6c1d3e8b7a90"

// The demo tenant's Entra tenant id and two people of its cast, by the
// ids and UPNs the demo tenant gives them (graph/fakegraph's demo data).
const (
	demoTenantID = "82e407ec-31bc-56ce-aed5-375dddebdfd3"
	hannahID     = "a41519d7-8a48-5b17-8ec9-0c6cf00e698d"
	fatimaID     = "caa0a8b8-f57a-5b56-8e0d-409e5fda24b6"
)

// The demo tenant's apps whose history the workspace holds.
var (
	demoServiceNow = App{ID: "79867c67-c485-5f9f-8ac7-e327ede941e0", AppID: "0250aab7-45b1-582b-88fb-da510ada5557", Name: "ServiceNow",
		JobID: "ServiceNowOutDelta.82e407ec31bc56ceaed5375dddebdfd3.0250aab7-45b1-582b-88fb-da510ada5557", TargetSystemID: "c78656e9-b42f-58db-84ff-e232ebfc944f"}
	demoZendesk = App{ID: "717aa5c7-afa9-5dc7-9d0a-f4fc70d2ee1a", AppID: "f8b06967-fbab-536c-8ef4-047fd790bd1b", Name: "Zendesk",
		JobID: "ZendeskOutDelta.82e407ec31bc56ceaed5375dddebdfd3.f8b06967-fbab-536c-8ef4-047fd790bd1b", TargetSystemID: "0b7d3a51-5e1c-5a8e-9f62-7c1e4b2d9a13"}
	demoSalesforce = App{ID: "9b3b5cca-aa65-5025-b8de-f2ac384c6934", AppID: "aef16669-920f-540b-99e6-1e2714f3f273", Name: "Salesforce",
		JobID: "SalesforceOutDelta.82e407ec31bc56ceaed5375dddebdfd3.aef16669-920f-540b-99e6-1e2714f3f273", TargetSystemID: "265ada74-4936-5b4a-9ed4-294a2c71b642"}
	demoSlack = App{ID: "c589abf9-8675-5287-bda3-3aed7366014e", AppID: "d34c4158-12e4-5905-96a4-2d37b7f4159f", Name: "Slack",
		JobID: "SlackOutDelta.82e407ec31bc56ceaed5375dddebdfd3.d34c4158-12e4-5905-96a4-2d37b7f4159f", TargetSystemID: "27b8b053-f5c4-537f-822d-9d445eda0cb0"}
	demoGitHub = App{ID: "f29c62bd-f50e-50c4-b837-9b06532e4793", AppID: "72fc3ec0-25ec-54d7-9793-385e95a7038c", Name: "GitHub Enterprise",
		JobID: "GitHubEnterpriseManagedUserOutDelta.82e407ec31bc56ceaed5375dddebdfd3.72fc3ec0-25ec-54d7-9793-385e95a7038c", TargetSystemID: "d77c629f-3b13-5ab6-af26-ea593d9c2d2d"}
)

// Story is a person of the demo cast whose answer the workspace's older
// history changes, and what to ask.
type Story struct {
	// Name, UPN and ObjectID identify the person in the demo tenant.
	Name, UPN, ObjectID string
	// App and AppID are the app the story is about.
	App, AppID string
	// Category and RuleID are the verdict with the workspace wired in.
	Category, RuleID string
	// Story says what you will see; Question what to ask.
	Story, Question string
}

// DemoStories returns the cast members the demo workspace has older
// history for.
func DemoStories() []Story {
	return []Story{
		{
			Name: "Hannah Fischer", UPN: "hannah.fischer@contoso.com", ObjectID: hannahID,
			App: "ServiceNow", AppID: demoServiceNow.ID, Category: "provisioned", RuleID: "M01",
			Story: "assigned three months ago; Graph's 30 days say nothing about her, but the Log Analytics workspace shows " +
				"her ServiceNow account was made three months ago (the answer says so)",
			Question: "is my ServiceNow account set up?",
		},
		{
			Name: "Fatima Khan", UPN: "fatima.khan@contoso.com", ObjectID: fatimaID,
			App: "Zendesk", AppID: demoZendesk.ID, Category: "job-disabled-after-quarantine", RuleID: "J14",
			Story: "Zendesk provisioning failed for weeks (bad credentials) and was switched off; the Log Analytics workspace " +
				"shows her account was made ten months ago and its last update failed two months ago",
			Question: "why did my Zendesk access stop updating?",
		},
	}
}

// DemoWorkspace returns the demo's workspace, its times relative to now:
// a year of background history for made-up former and current staff, and
// the older history of Hannah Fischer and Fatima Khan (see DemoStories).
// The demo adds Graph's own recent entries to it, as the real streaming
// does.
func DemoWorkspace(now time.Time) *Workspace {
	people := BackgroundPeople("contoso.com", 28)
	apps := []App{demoServiceNow, demoSalesforce, demoSlack, demoGitHub, demoZendesk}
	rows := Background(now, demoTenantID, DemoWorkspaceID, people, apps, 13)
	for _, e := range demoStoryEntries(now) {
		rows = append(rows, RowFromEntry(e, DemoWorkspaceID, Style{}))
	}
	return &Workspace{ID: DemoWorkspaceID, Rows: rows}
}

// demoStoryEntries are the cast members' older entries.
func demoStoryEntries(now time.Time) []diagnose.Entry {
	day := 24 * time.Hour
	hannah := Person{ObjectID: hannahID, UPN: "hannah.fischer@contoso.com", Name: "Hannah Fischer"}
	fatima := Person{ObjectID: fatimaID, UPN: "fatima.khan@contoso.com", Name: "Fatima Khan"}
	at := func(d time.Duration) time.Time {
		return now.Add(-d).Truncate(time.Minute).Add(1234567 * time.Microsecond)
	}
	return []diagnose.Entry{
		// Assigned 95 days ago (the demo tenant says so); made at the next cycle.
		entryFor(demoTenantID, hannah, demoServiceNow, event{at: at(94*day + 22*time.Hour), action: "create", status: "success",
			target: accountID(hannah, demoServiceNow),
			mods:   []diagnose.ModifiedProperty{{Name: "user_name", NewValue: hannah.UPN}, {Name: "active", NewValue: "True"}}}),
		entryFor(demoTenantID, fatima, demoZendesk, event{at: at(300 * day), action: "create", status: "success",
			target: accountID(fatima, demoZendesk),
			mods:   []diagnose.ModifiedProperty{{Name: "email", NewValue: fatima.UPN}, {Name: "role", NewValue: "agent"}}}),
		entryFor(demoTenantID, fatima, demoZendesk, event{at: at(180 * day), action: "update", status: "success",
			target: accountID(fatima, demoZendesk),
			mods:   []diagnose.ModifiedProperty{{Name: "organization", OldValue: "Support EMEA", NewValue: "Support"}}}),
		entryFor(demoTenantID, fatima, demoZendesk, event{at: at(64 * day), action: "update", status: "failure",
			target: accountID(fatima, demoZendesk), code: "ZendeskUnauthorized", stepErr: diagnose.StepExport,
			reason: "StatusCode: Unauthorized\r\nMessage: Processing of the HTTP request resulted in an exception. HTTP status code 401: " +
				"Couldn't authenticate you. This operation was retried 3 times. It will be retried again after this date: " +
				now.Add(-63*day).UTC().Format("2006-01-02T15:04:05Z") + " UTC"}),
	}
}
