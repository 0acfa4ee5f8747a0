package bot

import "testing"

var knownApps = []string{"Salesforce", "ServiceNow", "Dropbox Business", "Slack", "Zoom", "GitHub Enterprise", "Workday", "Box", "Contoso HR"}

func TestParseQuestion(t *testing.T) {
	const guid = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8"
	for _, tc := range []struct {
		text string
		want question
	}{
		// The asker's own account.
		{"why can't I get into Salesforce?", question{intentDiagnose, subjectSelf, "", "Salesforce"}},
		{"is my ServiceNow account ready", question{intentDiagnose, subjectSelf, "", "ServiceNow"}},
		{"is my service now account ready?", question{intentDiagnose, subjectSelf, "", "ServiceNow"}},
		{"I can't log in to Slack", question{intentDiagnose, subjectSelf, "", "Slack"}},
		{"Why don't I have Zoom yet?", question{intentDiagnose, subjectSelf, "", "Zoom"}},
		{"where is my dropbox business account", question{intentDiagnose, subjectSelf, "", "Dropbox Business"}},
		{"my github enterprise access is missing", question{intentDiagnose, subjectSelf, "", "GitHub Enterprise"}},
		{"do I have a Workday account?", question{intentDiagnose, subjectSelf, "", "Workday"}},
		{"what happened to my Box account", question{intentDiagnose, subjectSelf, "", "Box"}},
		{"Salesforce doesn't work for me", question{intentDiagnose, subjectSelf, "", "Salesforce"}},
		{"why am I missing from Slack", question{intentDiagnose, subjectSelf, "", "Slack"}},
		{"check my accounts", question{intentDiagnose, subjectSelf, "", ""}},
		{"what's wrong with my access?", question{intentDiagnose, subjectSelf, "", ""}},
		{"why can't I sign in to contoso hr", question{intentDiagnose, subjectSelf, "", "Contoso HR"}},
		{"me in servicenow", question{intentDiagnose, subjectSelf, "", "ServiceNow"}},
		{"is Salesforce working?", question{intentDiagnose, subjectSelf, "", "Salesforce"}},
		{"Zoom", question{intentDiagnose, subjectSelf, "", "Zoom"}},
		{"my apps", question{intentDiagnose, subjectSelf, "", ""}},
		{"which apps do I have?", question{intentDiagnose, subjectSelf, "", ""}},
		{"I still can't get into Service-Now!!", question{intentDiagnose, subjectSelf, "", "ServiceNow"}},
		{"why&nbsp;can't&nbsp;I get into Salesforce?", question{intentDiagnose, subjectSelf, "", "Salesforce"}},

		// Someone else, by UPN or email.
		{"check adele@contoso.com in ServiceNow", question{intentDiagnose, subjectUPN, "adele@contoso.com", "ServiceNow"}},
		{"adele@contoso.com servicenow", question{intentDiagnose, subjectUPN, "adele@contoso.com", "ServiceNow"}},
		{"why can't adele@contoso.com get into Salesforce?", question{intentDiagnose, subjectUPN, "adele@contoso.com", "Salesforce"}},
		{"check Adele.Vance@Contoso.com", question{intentDiagnose, subjectUPN, "Adele.Vance@Contoso.com", ""}},
		{"is megan.bowen@contoso.com in Slack yet", question{intentDiagnose, subjectUPN, "megan.bowen@contoso.com", "Slack"}},
		{"look up o'brien@contoso.com in zoom", question{intentDiagnose, subjectUPN, "o'brien@contoso.com", "Zoom"}},
		{"guest_fabrikam.com#EXT#@contoso.onmicrosoft.com in Box", question{intentDiagnose, subjectUPN, "guest_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Box"}},
		{"what happened to adele@contoso.com?", question{intentDiagnose, subjectUPN, "adele@contoso.com", ""}},
		{"check adele@contoso.com.", question{intentDiagnose, subjectUPN, "adele@contoso.com", ""}},

		// By object id.
		{"what happened to " + guid, question{intentDiagnose, subjectObjectID, guid, ""}},
		{"check 7FAF8AB2-3D56-4244-B585-20C8A42ED2B8 in Workday", question{intentDiagnose, subjectObjectID, guid, "Workday"}},
		{guid, question{intentDiagnose, subjectObjectID, guid, ""}},
		{"why is " + guid + " missing from Salesforce", question{intentDiagnose, subjectObjectID, guid, "Salesforce"}},

		// By name.
		{"why is Adele Vance missing from Dropbox Business", question{intentDiagnose, subjectName, "Adele Vance", "Dropbox Business"}},
		{"check Adele in ServiceNow", question{intentDiagnose, subjectName, "Adele", "ServiceNow"}},
		{"Adele Vance's Salesforce account", question{intentDiagnose, subjectName, "Adele Vance", "Salesforce"}},
		{"what happened to Megan Bowen", question{intentDiagnose, subjectName, "Megan Bowen", ""}},
		{"why doesn't Patti have Slack", question{intentDiagnose, subjectName, "Patti", "Slack"}},
		{"check alex wilber", question{intentDiagnose, subjectName, "alex wilber", ""}},
		{"has Lidia Holloway been provisioned to Zoom?", question{intentDiagnose, subjectName, "Lidia Holloway", "Zoom"}},
		{"is Diego Siciliani in Workday", question{intentDiagnose, subjectName, "Diego Siciliani", "Workday"}},
		{"Isaiah Langer salesforce", question{intentDiagnose, subjectName, "Isaiah Langer", "Salesforce"}},
		{"new hire Grady Archie can't get into box", question{intentDiagnose, subjectName, "Grady Archie", "Box"}},
		{"why can't Johanna Lorenz log in to github enterprise?", question{intentDiagnose, subjectName, "Johanna Lorenz", "GitHub Enterprise"}},
		{"please check Nestor Wilke's access to Contoso HR", question{intentDiagnose, subjectName, "Nestor Wilke", "Contoso HR"}},
		{"Pradeep Gupta", question{intentDiagnose, subjectName, "Pradeep Gupta", ""}},
		{"what about O'Brien in Slack", question{intentDiagnose, subjectName, "O'Brien", "Slack"}},
		{"Zoë Åkesson in Zoom", question{intentDiagnose, subjectName, "Zoë Åkesson", "Zoom"}},

		// A group (the help desk's question about a group's own provisioning).
		{"why is the Sales group missing from Slack?", question{intentDiagnose, subjectGroup, "Sales", "Slack"}},
		{"check group Marketing in Salesforce", question{intentDiagnose, subjectGroup, "Marketing", "Salesforce"}},
		{"what happened to the Facilities Team group", question{intentDiagnose, subjectGroup, "Facilities Team", ""}},
		{"my team has ServiceNow, why don't I?", question{intentDiagnose, subjectSelf, "", "ServiceNow"}},

		// App status.
		{"status of Salesforce", question{intentStatus, subjectNone, "", "Salesforce"}},
		{"Salesforce status", question{intentStatus, subjectNone, "", "Salesforce"}},
		{"what's the status of service now?", question{intentStatus, subjectNone, "", "ServiceNow"}},
		{"is Slack provisioning healthy?", question{intentStatus, subjectNone, "", "Slack"}},
		{"is Workday quarantined", question{intentStatus, subjectNone, "", "Workday"}},
		{"how is Zoom doing", question{intentStatus, subjectNone, "", "Zoom"}},
		{"status", question{intentStatus, subjectNone, "", ""}},
		{"provisioning status for Dropbox Business", question{intentStatus, subjectNone, "", "Dropbox Business"}},
		{"status of Fabrikam Portal", question{intentStatus, subjectNone, "", "Fabrikam Portal"}},

		// Which apps.
		{"which apps", question{Intent: intentApps}},
		{"which apps do you know?", question{Intent: intentApps}},
		{"list apps", question{Intent: intentApps}},
		{"apps", question{Intent: intentApps}},
		{"what applications are provisioned?", question{Intent: intentApps}},
		{"show all apps", question{Intent: intentApps}},

		// Help.
		{"help", question{Intent: intentHelp}},
		{"Help!", question{Intent: intentHelp}},
		{"hi", question{Intent: intentHelp}},
		{"what can you do?", question{Intent: intentHelp}},
		{"", question{Intent: intentHelp}},
		{"   ", question{Intent: intentHelp}},
		{"help me", question{Intent: intentHelp}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := parseQuestion(tc.text, knownApps); got != tc.want {
				t.Errorf("parseQuestion(%q)\n got %+v\nwant %+v", tc.text, got, tc.want)
			}
		})
	}
}

// Without a list of known apps, the app is found from how people phrase it.
func TestParseQuestionWithoutKnownApps(t *testing.T) {
	for _, tc := range []struct {
		text string
		want question
	}{
		{"why can't I get into Salesforce?", question{intentDiagnose, subjectSelf, "", "Salesforce"}},
		{"is my ServiceNow account ready", question{intentDiagnose, subjectSelf, "", "ServiceNow"}},
		{"check adele@contoso.com in ServiceNow", question{intentDiagnose, subjectUPN, "adele@contoso.com", "ServiceNow"}},
		{"why is Adele Vance missing from Dropbox", question{intentDiagnose, subjectName, "Adele Vance", "Dropbox"}},
		{"status of Salesforce", question{intentStatus, subjectNone, "", "Salesforce"}},
		{"what happened to adele@contoso.com", question{intentDiagnose, subjectUPN, "adele@contoso.com", ""}},
		{"check Adele in Fabrikam Expenses", question{intentDiagnose, subjectName, "Adele", "Fabrikam Expenses"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := parseQuestion(tc.text, nil); got != tc.want {
				t.Errorf("parseQuestion(%q)\n got %+v\nwant %+v", tc.text, got, tc.want)
			}
		})
	}
}

func TestParseQuestionLeavesGibberishUnknown(t *testing.T) {
	for _, text := range []string{"blorp", "asdf qwer?", "ok", "thanks"} {
		if got := parseQuestion(text, knownApps); got.Intent != intentUnknown {
			t.Errorf("parseQuestion(%q) = %+v, want unknown", text, got)
		}
	}
}
