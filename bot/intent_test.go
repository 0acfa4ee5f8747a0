package bot

import "testing"

var knownApps = []string{"Salesforce", "ServiceNow", "Dropbox Business", "Slack", "Zoom", "GitHub Enterprise", "Workday", "Box", "Contoso HR"}

func TestParseQuestion(t *testing.T) {
	const guid = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8"
	for _, tc := range []struct {
		text string
		want Question
	}{
		// The asker's own account.
		{"why can't I get into Salesforce?", Question{IntentDiagnose, SubjectSelf, "", "Salesforce"}},
		{"is my ServiceNow account ready", Question{IntentDiagnose, SubjectSelf, "", "ServiceNow"}},
		{"is my service now account ready?", Question{IntentDiagnose, SubjectSelf, "", "ServiceNow"}},
		{"I can't log in to Slack", Question{IntentDiagnose, SubjectSelf, "", "Slack"}},
		{"Why don't I have Zoom yet?", Question{IntentDiagnose, SubjectSelf, "", "Zoom"}},
		{"where is my dropbox business account", Question{IntentDiagnose, SubjectSelf, "", "Dropbox Business"}},
		{"my github enterprise access is missing", Question{IntentDiagnose, SubjectSelf, "", "GitHub Enterprise"}},
		{"do I have a Workday account?", Question{IntentDiagnose, SubjectSelf, "", "Workday"}},
		{"what happened to my Box account", Question{IntentDiagnose, SubjectSelf, "", "Box"}},
		{"Salesforce doesn't work for me", Question{IntentDiagnose, SubjectSelf, "", "Salesforce"}},
		{"why am I missing from Slack", Question{IntentDiagnose, SubjectSelf, "", "Slack"}},
		{"check my accounts", Question{IntentDiagnose, SubjectSelf, "", ""}},
		{"what's wrong with my access?", Question{IntentDiagnose, SubjectSelf, "", ""}},
		{"why can't I sign in to contoso hr", Question{IntentDiagnose, SubjectSelf, "", "Contoso HR"}},
		{"me in servicenow", Question{IntentDiagnose, SubjectSelf, "", "ServiceNow"}},
		{"is Salesforce working?", Question{IntentDiagnose, SubjectSelf, "", "Salesforce"}},
		{"Zoom", Question{IntentDiagnose, SubjectSelf, "", "Zoom"}},
		{"my apps", Question{IntentDiagnose, SubjectSelf, "", ""}},
		{"which apps do I have?", Question{IntentDiagnose, SubjectSelf, "", ""}},
		{"I still can't get into Service-Now!!", Question{IntentDiagnose, SubjectSelf, "", "ServiceNow"}},
		{"why&nbsp;can't&nbsp;I get into Salesforce?", Question{IntentDiagnose, SubjectSelf, "", "Salesforce"}},

		// Someone else, by UPN or email.
		{"check adele@contoso.com in ServiceNow", Question{IntentDiagnose, SubjectUPN, "adele@contoso.com", "ServiceNow"}},
		{"adele@contoso.com servicenow", Question{IntentDiagnose, SubjectUPN, "adele@contoso.com", "ServiceNow"}},
		{"why can't adele@contoso.com get into Salesforce?", Question{IntentDiagnose, SubjectUPN, "adele@contoso.com", "Salesforce"}},
		{"check Adele.Vance@Contoso.com", Question{IntentDiagnose, SubjectUPN, "Adele.Vance@Contoso.com", ""}},
		{"is megan.bowen@contoso.com in Slack yet", Question{IntentDiagnose, SubjectUPN, "megan.bowen@contoso.com", "Slack"}},
		{"look up o'brien@contoso.com in zoom", Question{IntentDiagnose, SubjectUPN, "o'brien@contoso.com", "Zoom"}},
		{"guest_fabrikam.com#EXT#@contoso.onmicrosoft.com in Box", Question{IntentDiagnose, SubjectUPN, "guest_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Box"}},
		{"what happened to adele@contoso.com?", Question{IntentDiagnose, SubjectUPN, "adele@contoso.com", ""}},
		{"check adele@contoso.com.", Question{IntentDiagnose, SubjectUPN, "adele@contoso.com", ""}},

		// By object id.
		{"what happened to " + guid, Question{IntentDiagnose, SubjectObjectID, guid, ""}},
		{"check 7FAF8AB2-3D56-4244-B585-20C8A42ED2B8 in Workday", Question{IntentDiagnose, SubjectObjectID, guid, "Workday"}},
		{guid, Question{IntentDiagnose, SubjectObjectID, guid, ""}},
		{"why is " + guid + " missing from Salesforce", Question{IntentDiagnose, SubjectObjectID, guid, "Salesforce"}},

		// By name.
		{"why is Adele Vance missing from Dropbox Business", Question{IntentDiagnose, SubjectName, "Adele Vance", "Dropbox Business"}},
		{"check Adele in ServiceNow", Question{IntentDiagnose, SubjectName, "Adele", "ServiceNow"}},
		{"Adele Vance's Salesforce account", Question{IntentDiagnose, SubjectName, "Adele Vance", "Salesforce"}},
		{"what happened to Megan Bowen", Question{IntentDiagnose, SubjectName, "Megan Bowen", ""}},
		{"why doesn't Patti have Slack", Question{IntentDiagnose, SubjectName, "Patti", "Slack"}},
		{"check alex wilber", Question{IntentDiagnose, SubjectName, "alex wilber", ""}},
		{"has Lidia Holloway been provisioned to Zoom?", Question{IntentDiagnose, SubjectName, "Lidia Holloway", "Zoom"}},
		{"is Diego Siciliani in Workday", Question{IntentDiagnose, SubjectName, "Diego Siciliani", "Workday"}},
		{"Isaiah Langer salesforce", Question{IntentDiagnose, SubjectName, "Isaiah Langer", "Salesforce"}},
		{"new hire Grady Archie can't get into box", Question{IntentDiagnose, SubjectName, "Grady Archie", "Box"}},
		{"why can't Johanna Lorenz log in to github enterprise?", Question{IntentDiagnose, SubjectName, "Johanna Lorenz", "GitHub Enterprise"}},
		{"please check Nestor Wilke's access to Contoso HR", Question{IntentDiagnose, SubjectName, "Nestor Wilke", "Contoso HR"}},
		{"Pradeep Gupta", Question{IntentDiagnose, SubjectName, "Pradeep Gupta", ""}},
		{"what about O'Brien in Slack", Question{IntentDiagnose, SubjectName, "O'Brien", "Slack"}},
		{"Zoë Åkesson in Zoom", Question{IntentDiagnose, SubjectName, "Zoë Åkesson", "Zoom"}},

		// A group (the help desk's question about a group's own provisioning).
		{"why is the Sales group missing from Slack?", Question{IntentDiagnose, SubjectGroup, "Sales", "Slack"}},
		{"check group Marketing in Salesforce", Question{IntentDiagnose, SubjectGroup, "Marketing", "Salesforce"}},
		{"what happened to the Facilities Team group", Question{IntentDiagnose, SubjectGroup, "Facilities Team", ""}},
		{"my team has ServiceNow, why don't I?", Question{IntentDiagnose, SubjectSelf, "", "ServiceNow"}},

		// App status.
		{"status of Salesforce", Question{IntentStatus, SubjectNone, "", "Salesforce"}},
		{"Salesforce status", Question{IntentStatus, SubjectNone, "", "Salesforce"}},
		{"what's the status of service now?", Question{IntentStatus, SubjectNone, "", "ServiceNow"}},
		{"is Slack provisioning healthy?", Question{IntentStatus, SubjectNone, "", "Slack"}},
		{"is Workday quarantined", Question{IntentStatus, SubjectNone, "", "Workday"}},
		{"how is Zoom doing", Question{IntentStatus, SubjectNone, "", "Zoom"}},
		{"status", Question{IntentStatus, SubjectNone, "", ""}},
		{"provisioning status for Dropbox Business", Question{IntentStatus, SubjectNone, "", "Dropbox Business"}},
		{"status of Fabrikam Portal", Question{IntentStatus, SubjectNone, "", "Fabrikam Portal"}},

		// Which apps.
		{"which apps", Question{Intent: IntentApps}},
		{"which apps do you know?", Question{Intent: IntentApps}},
		{"list apps", Question{Intent: IntentApps}},
		{"apps", Question{Intent: IntentApps}},
		{"what applications are provisioned?", Question{Intent: IntentApps}},
		{"show all apps", Question{Intent: IntentApps}},

		// Help.
		{"help", Question{Intent: IntentHelp}},
		{"Help!", Question{Intent: IntentHelp}},
		{"hi", Question{Intent: IntentHelp}},
		{"what can you do?", Question{Intent: IntentHelp}},
		{"", Question{Intent: IntentHelp}},
		{"   ", Question{Intent: IntentHelp}},
		{"help me", Question{Intent: IntentHelp}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := ParseQuestion(tc.text, knownApps); got != tc.want {
				t.Errorf("ParseQuestion(%q)\n got %+v\nwant %+v", tc.text, got, tc.want)
			}
		})
	}
}

// Without a list of known apps, the app is found from how people phrase it.
func TestParseQuestionWithoutKnownApps(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Question
	}{
		{"why can't I get into Salesforce?", Question{IntentDiagnose, SubjectSelf, "", "Salesforce"}},
		{"is my ServiceNow account ready", Question{IntentDiagnose, SubjectSelf, "", "ServiceNow"}},
		{"check adele@contoso.com in ServiceNow", Question{IntentDiagnose, SubjectUPN, "adele@contoso.com", "ServiceNow"}},
		{"why is Adele Vance missing from Dropbox", Question{IntentDiagnose, SubjectName, "Adele Vance", "Dropbox"}},
		{"status of Salesforce", Question{IntentStatus, SubjectNone, "", "Salesforce"}},
		{"what happened to adele@contoso.com", Question{IntentDiagnose, SubjectUPN, "adele@contoso.com", ""}},
		{"check Adele in Fabrikam Expenses", Question{IntentDiagnose, SubjectName, "Adele", "Fabrikam Expenses"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := ParseQuestion(tc.text, nil); got != tc.want {
				t.Errorf("ParseQuestion(%q)\n got %+v\nwant %+v", tc.text, got, tc.want)
			}
		})
	}
}

func TestParseQuestionLeavesGibberishUnknown(t *testing.T) {
	for _, text := range []string{"blorp", "asdf qwer?", "ok", "thanks"} {
		if got := ParseQuestion(text, knownApps); got.Intent != IntentUnknown {
			t.Errorf("ParseQuestion(%q) = %+v, want unknown", text, got)
		}
	}
}
