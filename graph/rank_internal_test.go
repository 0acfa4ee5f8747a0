package graph

import (
	"slices"
	"testing"
)

func TestRankAppsReadsLikeAPersonAsking(t *testing.T) {
	apps := []appInfo{
		{id: "1", name: "ServiceNow"}, {id: "2", name: "ServiceNow Dev"}, {id: "3", name: "Salesforce"},
		{id: "4", name: "Salesforce Sandbox"}, {id: "5", name: "Box"}, {id: "6", name: "Dropbox"},
		{id: "7", name: "Contoso SCIM App"}, {id: "8", name: "Slack"}, {id: "9", name: "Workday to Entra"},
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"service now", []string{"ServiceNow"}},
		{"SERVICENOW", []string{"ServiceNow"}},
		{"Service-Now dev", []string{"ServiceNow Dev"}},
		{"box", []string{"Box"}},
		{"service", []string{"ServiceNow", "ServiceNow Dev"}},
		{"now", []string{"ServiceNow", "ServiceNow Dev"}},
		{"bo", []string{"Box", "Dropbox", "Salesforce Sandbox"}},
		{"sales", []string{"Salesforce", "Salesforce Sandbox"}},
		{"sandbox", []string{"Salesforce Sandbox", "Box"}},
		{"scim", []string{"Contoso SCIM App"}},
		{"salesforce production", []string{"Salesforce", "Salesforce Sandbox"}},
		{"sevicenow", []string{"ServiceNow", "ServiceNow Dev"}},
		{"salesfroce", []string{"Salesforce", "Salesforce Sandbox"}},
		{"workday", []string{"Workday to Entra"}},
		{"slak", []string{"Slack"}},
		{"zzzzzz", nil},
		{"!!!", nil},
	} {
		var got []string
		for _, a := range rankApps(tc.query, apps) {
			got = append(got, a.name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("rankApps(%q) = %q, want %q", tc.query, got, tc.want)
		}
	}
}

func TestRankAppsReturnsEveryExactMatchAndAtMostFiveSuggestions(t *testing.T) {
	apps := []appInfo{{id: "1", name: "Slack"}, {id: "2", name: "slack"}, {id: "3", name: "Slack Grid"}}
	if got := rankApps("SLACK", apps); len(got) != 2 {
		t.Errorf("two apps named Slack: got %v", got)
	}
	many := []appInfo{}
	for _, n := range []string{"App One", "App Two", "App Three", "App Four", "App Five", "App Six", "App Seven"} {
		many = append(many, appInfo{id: n, name: n})
	}
	if got := rankApps("app", many); len(got) != maxSuggestions {
		t.Errorf("got %d suggestions, want %d", len(got), maxSuggestions)
	}
}

func TestWordsSplitsCamelCaseAndPunctuation(t *testing.T) {
	for in, want := range map[string][]string{
		"ServiceNow Dev":   {"service", "now", "dev"},
		"Contoso-SCIM App": {"contoso", "scim", "app"},
		"Box2Go":           {"box2", "go"},
		"Zoë's 🚀 App":      {"zoë", "s", "app"},
	} {
		if got := words(in); !slices.Equal(got, want) {
			t.Errorf("words(%q) = %q, want %q", in, got, want)
		}
	}
}
