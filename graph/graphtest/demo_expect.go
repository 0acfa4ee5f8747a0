package graphtest

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
			Signal: "her Salesforce account was created twenty days ago, before the quarantine (the answer notes the quarantine)",
			Asking: Asking{Question: "is my Salesforce account ok?", Wordings: []string{"check my salesforce account"}},
		},
	}
}
