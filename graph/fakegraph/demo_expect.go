package fakegraph

// Expectation is one verdict the diagnosis engine is expected to give for
// a user of the demo tenant and an app: together the expectations cover
// every verdict category.
type Expectation struct {
	// UserID, UPN and DisplayName identify the user.
	UserID, UPN, DisplayName string
	// AppID is the app's service principal object id, App its display name.
	AppID, App string
	// Category is the expected verdict category (diagnose/category.go).
	Category string
	// RuleID is the provisioning facts rule expected to decide.
	RuleID string
	// Signal names what in the data produces the verdict.
	Signal string
	// Asking is how to ask about it in the chat, as the user.
	Asking
}

// DemoExpectations returns the verdicts the demo tenant is built to
// produce: each cast member's main story (in DemoCast order), then further
// (user, app) pairs. Every one of the engine's 36 categories appears at
// least once.
func DemoExpectations() []Expectation {
	cast := DemoCast()
	extra := demoExtraExpectations()
	out := make([]Expectation, 0, len(cast)+len(extra))
	for _, c := range cast {
		out = append(out, Expectation{
			UserID: c.ObjectID, UPN: c.UPN, DisplayName: c.DisplayName,
			AppID: c.AppID, App: c.App, Category: c.Category, RuleID: c.RuleID, Signal: c.Signal, Asking: c.Asking,
		})
	}
	return append(out, extra...)
}

// GroupStory is a group of the demo tenant whose own provisioning the help
// desk can ask about ("why is the Sales group missing from Slack?").
type GroupStory struct {
	// GroupID and Name identify the group.
	GroupID, Name string
	// AppID is the app's service principal object id, App its display name.
	AppID, App string
	// Category and RuleID are the verdict the engine gives.
	Category, RuleID string
	// Story says in one line what is going on.
	Story string
	// Asking is what the help desk types in the chat to see it (About is
	// unused: the questions are about the group).
	Asking
}

// DemoGroupStories returns the demo tenant's group stories.
func DemoGroupStories() []GroupStory {
	return []GroupStory{
		{
			GroupID: DemoSalesGroupID, Name: "Sales", AppID: demoAppSlack, App: "Slack",
			Category: "job-quarantined-deletes", RuleID: "J11",
			Story: "given Slack yesterday, but never created there: Slack provisioning is on hold after too many removals",
			Asking: Asking{
				Question: "why is the Sales group missing from Slack?",
				Wordings: []string{"check group Sales in Slack", "why isn't the Sales group in slack?"},
			},
		},
	}
}

// DemoSalesGroupID is the object id of the demo tenant's Sales group.
const DemoSalesGroupID = "00f87c74-ae40-58a8-b46a-6b4e95c91ed3"

// demoExtraExpectations are verdicts beyond the cast's main stories.
func demoExtraExpectations() []Expectation {
	return []Expectation{
		{
			UserID: "7af59591-4bd7-5939-a77c-c63d7c5d4910", UPN: "isaiah.langer@contoso.com", DisplayName: "Isaiah Langer",
			AppID: demoAppAtlassian, App: "Atlassian Cloud", Category: "user-disabled", RuleID: "S04",
			Signal: "Atlassian skipped him: \"Active in the source system\" is False (assigned after his account was turned off)",
			Asking: Asking{Question: "why can't I get into Atlassian?", Wordings: []string{"where is my Atlassian Cloud account?"}},
		},
		{
			UserID: "18182fed-c8b9-511d-8f00-420ca533b312", UPN: "chloe.martin@contoso.com", DisplayName: "Chloe Martin",
			AppID: demoAppAdobe, App: "Adobe Creative Cloud", Category: "job-not-configured", RuleID: "J01",
			Signal: "Adobe Creative Cloud is used for single sign-on only: it has no provisioning job",
			Asking: Asking{Question: "why don't I have Adobe?", Wordings: []string{"where is my Adobe Creative Cloud account?"}},
		},
		{
			UserID: "851b6430-ce30-52b5-8d93-92d52cd569a3", UPN: "megan.bowen@contoso.com", DisplayName: "Megan Bowen",
			AppID: demoAppSalesforce, App: "Salesforce", Category: "provisioned", RuleID: "M01",
			Signal: "her Salesforce account was created twenty days ago, before the quarantine; nothing of hers is held back, so her own state leads, but never as \"ok\": the quarantine is a warning and its fix is the action",
			Asking: Asking{Question: "is my Salesforce account ok?", Wordings: []string{"check my salesforce account"}},
		},
	}
}
