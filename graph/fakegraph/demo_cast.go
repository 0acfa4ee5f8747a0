package fakegraph

// The roles a cast member plays in the demo.
const (
	// RoleEndUser is someone who asks about their own accounts.
	RoleEndUser = "end-user"
	// RoleHelpDesk is a help-desk agent, a member of the group
	// DemoHelpDeskGroupID, who may ask about anyone.
	RoleHelpDesk = "help-desk"
)

// CastMember is one person of the demo tenant whose story a newcomer can
// try: who they are, the app their story is about, and the verdict the
// diagnosis engine is expected to give for that user and app.
type CastMember struct {
	// DisplayName, UPN and ObjectID identify the user. A deleted user's UPN
	// is the one people knew (Graph prefixes it with the object id once
	// the user is in the recycle bin).
	DisplayName, UPN, ObjectID string
	// Role is RoleEndUser or RoleHelpDesk.
	Role string
	// App is the display name of the enterprise app the story is about, and
	// AppID its service principal object id.
	App, AppID string
	// Category is the verdict category the engine gives, one of the
	// strings of diagnose/category.go.
	Category string
	// RuleID is the provisioning facts rule the engine is expected to
	// decide with (S05, J08, ...).
	RuleID string
	// Story says in one line what is going on.
	Story string
	// Asking is what to type in the chat to see it.
	Asking
	// Signal names what in the data produces the verdict.
	Signal string
}

// Asking is how a newcomer asks about a story in the chat: the one source
// of the demo page's "Try:" questions, the README's cast table and the
// test that asks every one of them through the conversation.
type Asking struct {
	// Question is the suggested question (the demo page's "Try:" chip and
	// the README's "Question to ask").
	Question string
	// Wordings are other ways people ask the same thing; each must get the
	// same answer as Question.
	Wordings []string
	// About is the user principal name of the person the questions are
	// about when it is not the asker (the help desk asks about others).
	About string
}

// Questions returns Question followed by the Wordings.
func (a Asking) Questions() []string {
	if a.Question == "" {
		return a.Wordings
	}
	return append([]string{a.Question}, a.Wordings...)
}

// The service principal object ids of the demo tenant's enterprise apps.
const (
	demoAppServiceNow = "79867c67-c485-5f9f-8ac7-e327ede941e0" // ServiceNow
	demoAppAtlassian  = "ec911979-2263-5029-b2c6-f3c5cd6398b8" // Atlassian Cloud
	demoAppSalesforce = "9b3b5cca-aa65-5025-b8de-f2ac384c6934" // Salesforce
	demoAppSlack      = "c589abf9-8675-5287-bda3-3aed7366014e" // Slack
	demoAppDropbox    = "6f4c46f7-14c7-53f6-aeed-fdce47716c54" // Dropbox Business
	demoAppZoom       = "f28c58f1-784b-5e09-9f87-67efb7d5355d" // Zoom
	demoAppDocuSign   = "6ebe0ec3-75f4-5828-847e-757d167acdf5" // DocuSign
	demoAppGitHub     = "f29c62bd-f50e-50c4-b837-9b06532e4793" // GitHub Enterprise
	demoAppBox        = "b040e996-9f03-5125-bd45-c57018a28425" // Box
	demoAppFabrikam   = "7ef39364-7541-5e2d-a31b-aab9e8c6daf5" // Fabrikam (cross-tenant sync)
	demoAppAdobe      = "be24e96e-4b08-5953-9d84-b120ac8c95cc" // Adobe Creative Cloud
	demoAppTravel     = "755404c0-f7be-54f4-9d4d-0d5efa5d5361" // Contoso Travel
	demoAppZendesk    = "717aa5c7-afa9-5dc7-9d0a-f4fc70d2ee1a" // Zendesk
)

// DemoCast returns the people of the demo tenant a newcomer can ask about,
// one story each, in the order the README presents them.
func DemoCast() []CastMember {
	return []CastMember{
		{
			DisplayName: "Megan Bowen", UPN: "megan.bowen@contoso.com", ObjectID: "851b6430-ce30-52b5-8d93-92d52cd569a3", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "provisioned", RuleID: "J06",
			Story: "healthy: her ServiceNow account exists and her new job title went out three hours ago",
			Asking: Asking{
				Question: "is my ServiceNow account ok?",
				Wordings: []string{"did my new job title reach ServiceNow?", "check my service now account"},
			},
			Signal: "latest entry: update, success",
		},
		{
			DisplayName: "Henrietta Mueller", UPN: "henrietta.mueller@contoso.com", ObjectID: "2a4a35f3-937d-5f4e-81cf-ce360b161ca1", Role: RoleHelpDesk,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "provisioned", RuleID: "J06",
			Story: "help-desk agent (member of Provbot Help Desk) who can ask about anyone; her own ServiceNow account is fine",
			Asking: Asking{
				Question: "why can't Joni get into ServiceNow?",
				About:    "joni.sherman@contoso.com",
				Wordings: []string{"check joni.sherman@contoso.com in ServiceNow", "why is Joni Sherman missing from servicenow?"},
			},
			Signal: "latest entry: update, success",
		},
		{
			DisplayName: "Adele Vance", UPN: "adele.vance@contoso.com", ObjectID: "d6cec848-1c5e-52e2-a673-831e06d639b0", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "matching-conflict", RuleID: "M02",
			Story: "a conflicting account already exists in ServiceNow with her user name, so a second one is refused (HTTP 409)",
			Asking: Asking{
				Question: "why can't I get into ServiceNow?",
				Wordings: []string{"I can't log into servicenow", "why can't I use servicenwo?"},
			},
			Signal: "create failed: errorCode ServiceNowEntryConflict (HTTP 409)",
		},
		{
			DisplayName: "Adele Moreau", UPN: "adele.moreau@contoso.com", ObjectID: "6a7b40bd-f129-55fd-97c7-96990b9c89d0", Role: RoleEndUser,
			App: "Zoom", AppID: demoAppZoom, Category: "license-limit", RuleID: "E14",
			Story: "Zoom has no free licence left for her (the other Adele: ask about \"Adele\" to see the disambiguation)",
			Asking: Asking{
				Question: "why don't I have Zoom?",
				Wordings: []string{"where is my zoom account?", "no Zoom for me?"},
			},
			Signal: "create failed: errorCode LicenseLimitExceeded (job in its initial cycle)",
		},
		{
			DisplayName: "Alex Wilber", UPN: "alex.wilber@contoso.com", ObjectID: "ce84babc-180b-5dca-958c-2c2df46236a6", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "duplicate-match", RuleID: "M03",
			Story: "two ServiceNow accounts carry his email address, so provisioning cannot tell which one is his",
			Asking: Asking{
				Question: "why isn't my ServiceNow account updated?",
				Wordings: []string{"my ServiceNow profile is out of date", "why does ServiceNow still have my old details?"},
			},
			Signal: "matching failed: errorCode DuplicateTargetEntries",
		},
		{
			DisplayName: "Allan Deyoung", UPN: "allan.deyoung@contoso.com", ObjectID: "f87b92a3-4282-55d3-8445-93b7ddb2a70c", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "missing-required-attribute", RuleID: "A01",
			Story: "his last name is empty in the directory and ServiceNow requires one",
			Asking: Asking{
				Question: "why is there no ServiceNow account for me?",
				Wordings: []string{"I have no ServiceNow account", "why was my service-now account not created?"},
			},
			Signal: "create failed: MandatoryFieldsMissing, reason names 'last_name', import surname empty",
		},
		{
			DisplayName: "Pradeep Gupta", UPN: "pradeep.gupta@contoso.com", ObjectID: "2aa54e6c-8f57-55bc-8e6b-85252a75344c", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "matching-attribute-missing", RuleID: "S09",
			Story: "contractor without an email address, the detail ServiceNow uses to find accounts (ImportSkipped)",
			Asking: Asking{
				Question: "why can't I log in to ServiceNow?",
				Wordings: []string{"ServiceNow won't let me in", "why can't I open ServiceNow's portal?"},
			},
			Signal: "skipped: errorCode ImportSkipped (mail is null)",
		},
		{
			DisplayName: "Christie Cline", UPN: "christie.cline@contoso.com", ObjectID: "e1047c35-590a-5875-8764-c5133cfa4477", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "not-assigned", RuleID: "S01",
			Story: "never given ServiceNow: the last check skipped her as not assigned",
			Asking: Asking{
				Question: "why don't I have ServiceNow?",
				Wordings: []string{"do I have ServiceNow?", "I need ServiceNow access"},
			},
			Signal: "skipped: scoping \"Assigned to the application\" = False, not assigned now",
		},
		{
			DisplayName: "Nestor Wilke", UPN: "nestor.wilke@contoso.com", ObjectID: "58f163c9-4e9c-550e-bc9d-c78a91b482a0", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "not-assigned", RuleID: "L09",
			Story: "not assigned to ServiceNow and no log entry at all (he is also Gerhart's manager)",
			Asking: Asking{
				Question: "do I have a ServiceNow account?",
				Wordings: []string{"why is there no ServiceNow for me?", "where's my servicenow login?"},
			},
			Signal: "no entries; not assigned; scope SyncAll=false",
		},
		{
			DisplayName: "Joni Sherman", UPN: "joni.sherman@contoso.com", ObjectID: "24866ddd-c638-5222-9b1d-d6662a638014", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "nested-group-only", RuleID: "L07",
			Story: "only in Facilities Team, a group nested inside ServiceNow Users; provisioning ignores nested members",
			Asking: Asking{
				Question: "my team has ServiceNow, why don't I?",
				Wordings: []string{"ServiceNow works for my colleagues but not for me", "why can't I get into ServiceNow? my team can"},
			},
			Signal: "member of Facilities Team only, nested inside the assigned ServiceNow Users",
		},
		{
			DisplayName: "Emily Braun", UPN: "emily.braun@contoso.com", ObjectID: "009bc394-7e3c-5d0f-b3fc-81fc921b6030", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "pending-next-cycle", RuleID: "S01b",
			Story: "skipped as not assigned at the last cycle, then added to ServiceNow Users nine minutes ago",
			Asking: Asking{
				Question: "why does it say I'm not assigned to ServiceNow?",
				Wordings: []string{"I was added to ServiceNow Users, why is my account not there yet?", "when will my ServiceNow account show up?"},
			},
			Signal: "skipped as not assigned at -13m; \"Add member to group\" ServiceNow Users at -9m",
		},
		{
			DisplayName: "Diego Siciliani", UPN: "diego.siciliani@contoso.com", ObjectID: "b820cfc0-b8f4-560f-9847-82ab1267f1ff", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "pending-next-cycle", RuleID: "T02",
			Story: "given ServiceNow six minutes ago, after the last cycle ran; no log entries yet",
			Asking: Asking{
				Question: "I just got ServiceNow, when can I use it?",
				Wordings: []string{"I was just given ServiceNow, when can I log in?", "when does my servicenow account start working?"},
			},
			Signal: "no entries; direct assignment created -6m, after the last run began (-14m)",
		},
		{
			DisplayName: "Grady Archie", UPN: "grady.archie@contoso.com", ObjectID: "4a5ed23a-bbec-56de-8c01-249076278428", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "provisioned", RuleID: "E16r",
			Story: "failed three times over two days (department missing), then his account was created an hour ago",
			Asking: Asking{
				Question: "is my ServiceNow account working now?",
				Wordings: []string{"does my ServiceNow account work yet?", "is servicenow ok for me now?"},
			},
			Signal: "three MandatoryFieldsMissing failures, then create success at -53m",
		},
		{
			DisplayName: "Irvin Sayers", UPN: "irvin.sayers@contoso.com", ObjectID: "f00298ff-ba2b-5bc9-84d7-3ee4b239706f", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "invalid-anchor", RuleID: "M09",
			Story: "his ServiceNow account was deleted in ServiceNow, so every update to it fails",
			Asking: Asking{
				Question: "my ServiceNow account disappeared, why?",
				Wordings: []string{"where did my ServiceNow account go?", "my servicenow login vanished"},
			},
			Signal: "update failed: errorCode InvalidAnchor",
		},
		{
			DisplayName: "Olivia Chen", UPN: "olivia.chen@contoso.com", ObjectID: "135cd87c-d722-5723-ade0-a4cf081dac74", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "attribute-mapping", RuleID: "E11",
			Story: "the mapping sends a cost-centre field that ServiceNow does not have",
			Asking: Asking{
				Question: "why wasn't my ServiceNow account created?",
				Wordings: []string{"why has ServiceNow not created my account?", "no ServiceNow account for me yet, why?"},
			},
			Signal: "create failed: errorCode SchemaAttributeNotFound",
		},
		{
			DisplayName: "Patti Fernandez", UPN: "patti.fernandez@contoso.com", ObjectID: "7f40c287-8e92-5990-8591-2a92bc76f503", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "target-permission", RuleID: "E01",
			Story: "her ServiceNow record is protected (VIP) and provisioning is not allowed to update it",
			Asking: Asking{
				Question: "why is my title still wrong in ServiceNow?",
				Wordings: []string{"my job title in ServiceNow is old", "why won't ServiceNow update my profile?"},
			},
			Signal: "update failed: errorCode InsufficientRights (HTTP 403)",
		},
		{
			DisplayName: "Gerhart Moller", UPN: "gerhart.moller@contoso.com", ObjectID: "f26b3156-503e-57a2-9233-bc28adff1ee5", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "reference-unresolved", RuleID: "D09b",
			Story: "his account was created, but his manager (Nestor) has no ServiceNow account to link to",
			Asking: Asking{
				Question: "why doesn't ServiceNow show my manager?",
				Wordings: []string{"my manager is missing in ServiceNow", "ServiceNow has no manager for me"},
			},
			Signal: "create success with a referenceResolution step: UnableToResolveReferenceAttributeValue (manager)",
		},
		{
			DisplayName: "Raul Razo", UPN: "raul.razo@contoso.com", ObjectID: "0f3f56fa-617d-52e5-ae0f-7e2cf6b4aba4", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "deprovisioned", RuleID: "D01",
			Story: "removed from ServiceNow Users three days ago, so his ServiceNow account was turned off",
			Asking: Asking{
				Question: "why was my ServiceNow account turned off?",
				Wordings: []string{"why did I lose ServiceNow?", "my servicenow account is disabled, why?"},
			},
			Signal: "disable success; not assigned now (\"Remove member from group\" -3d)",
		},
		{
			DisplayName: "Ben Walters", UPN: "ben.walters@contoso.com", ObjectID: "6cf75131-2ab1-51c0-a564-af1753800a29", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "already-in-sync", RuleID: "S08",
			Story: "his phone number changed, but nothing ServiceNow receives is different (RedundantExport)",
			Asking: Asking{
				Question: "did my ServiceNow profile get my new number?",
				Wordings: []string{"does ServiceNow have my new phone number?", "did my phone number reach servicenow?"},
			},
			Signal: "skipped: SkipReason RedundantExport (EntrySynchronizationSkip)",
		},
		{
			DisplayName: "Tom Kowalski", UPN: "tom.kowalski@contoso.com", ObjectID: "3b5ca463-3f1d-5885-a0e5-b5e8e6fcf1ef", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "unknown-error", RuleID: "X01",
			Story: "ServiceNow refused his new account with an error code provbot does not know",
			Asking: Asking{
				Question: "why can't I get into ServiceNow?",
				Wordings: []string{"I can't log in to ServiceNow", "what's wrong with my ServiceNow account?"},
			},
			Signal: "create failed: errorCode ServiceNowOperationAborted (no rule knows it)",
		},
		{
			DisplayName: "Hannah Fischer", UPN: "hannah.fischer@contoso.com", ObjectID: "a41519d7-8a48-5b17-8ec9-0c6cf00e698d", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "no-logs", RuleID: "L01",
			Story: "assigned months ago; nothing about her in the last 30 days of logs",
			Asking: Asking{
				Question: "is my ServiceNow account set up?",
				Wordings: []string{"is my ServiceNow account ok?", "check my servicenow access"},
			},
			Signal: "no entries in 30 days; direct assignment made -95d",
		},
		{
			DisplayName: "Isaiah Langer", UPN: "isaiah.langer@contoso.com", ObjectID: "7af59591-4bd7-5939-a77c-c63d7c5d4910", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "user-disabled", RuleID: "D02",
			Story: "on leave: his work account is turned off, so his ServiceNow account was turned off too",
			Asking: Asking{
				Question: "why was my ServiceNow account turned off?",
				Wordings: []string{"why can't I use ServiceNow anymore?", "my ServiceNow account stopped working"},
			},
			Signal: "disable success; accountEnabled false",
		},
		{
			DisplayName: "Lee Gu", UPN: "lee.gu@contoso.com", ObjectID: "5811caea-c430-5d5a-9178-c68e0e9ef66e", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "user-deleted", RuleID: "D02c",
			Story: "left the company: deleted from the directory two days ago, so her ServiceNow account was turned off",
			Asking: Asking{
				Question: "what happened to Lee Gu's ServiceNow account?",
				Wordings: []string{"what happened to my ServiceNow account?", "why was my servicenow account turned off?"},
			},
			Signal: "disable success; user in deletedUsers (deleted -2d)",
		},
		{
			DisplayName: "Nadia Haddad", UPN: "nadia.haddad_northwindtraders.com#EXT#@contoso.onmicrosoft.com", ObjectID: "943e7e29-29b4-5fd0-989d-54dcb6ac63b3", Role: RoleEndUser,
			App: "ServiceNow", AppID: demoAppServiceNow, Category: "guest-user-mapping", RuleID: "M10",
			Story: "guest from Northwind Traders: the user name built from her guest sign-in name clashes in ServiceNow",
			Asking: Asking{
				Question: "why can't I sign in to ServiceNow?",
				Wordings: []string{"I can't get into ServiceNow as a guest", "why is there no ServiceNow account for me?"},
			},
			Signal: "guest (#EXT# UPN) create failed: ServiceNowEntryConflict, reason names the user name",
		},
		{
			DisplayName: "Johanna Lorenz", UPN: "johanna.lorenz@contoso.com", ObjectID: "4bde6738-aafa-533e-add7-b50811e2e7eb", Role: RoleEndUser,
			App: "Atlassian Cloud", AppID: demoAppAtlassian, Category: "scoping-filter", RuleID: "S05",
			Story: "her department is misspelt 'Enginering', and Atlassian Cloud is only for Engineering",
			Asking: Asking{
				Question: "why can't I get Atlassian?",
				Wordings: []string{"why don't I have Jira?", "where is my Atlassian account?"},
			},
			Signal: "skipped: \"Scoping filter evaluation passed\" False, ScopeEvaluationResult {...: false}",
		},
		{
			DisplayName: "Debra Berger", UPN: "debra.berger@contoso.com", ObjectID: "37b05c45-d2ed-5d91-9890-431a52e71a55", Role: RoleEndUser,
			App: "Atlassian Cloud", AppID: demoAppAtlassian, Category: "not-effectively-entitled", RuleID: "S03",
			Story: "given Atlassian Cloud with only the Default Access role, so she is skipped",
			Asking: Asking{
				Question: "I was given Atlassian last week, why is nothing there?",
				Wordings: []string{"I got Atlassian Cloud but there is no account", "why is my confluence account missing?"},
			},
			Signal: "skipped: SkipReason NotEffectivelyEntitled; assignment appRoleId 00000000-… (Default Access)",
		},
		{
			DisplayName: "Lucas Silva", UPN: "lucas.silva@contoso.com", ObjectID: "417327fd-8f67-53fa-bc58-e8d950eab147", Role: RoleEndUser,
			App: "Zoom", AppID: demoAppZoom, Category: "invalid-domain", RuleID: "E13",
			Story: "his email address is at research.contoso.com, a domain Zoom does not accept",
			Asking: Asking{
				Question: "why can't I get Zoom?",
				Wordings: []string{"why don't I have a Zoom account?", "zoom isn't working for me"},
			},
			Signal: "create failed: errorCode InvalidDomain (not a guest)",
		},
		{
			DisplayName: "Samuel Okafor", UPN: "samuel.okafor@contoso.com", ObjectID: "ddbe23a8-8e3c-5370-b8af-8314fdc18e1a", Role: RoleEndUser,
			App: "Zoom", AppID: demoAppZoom, Category: "initial-cycle-running", RuleID: "J05",
			Story: "Zoom was set up an hour and a half ago and its first full pass has not reached him yet",
			Asking: Asking{
				Question: "when will I get Zoom?",
				Wordings: []string{"when do I get my Zoom account?", "why no zoom yet?"},
			},
			Signal: "no entries; Zoom job NotRun with progress 37/120",
		},
		{
			DisplayName: "Lynne Robbins", UPN: "lynne.robbins@contoso.com", ObjectID: "20b172df-1383-579e-889a-7de505f29b13", Role: RoleEndUser,
			App: "Salesforce", AppID: demoAppSalesforce, Category: "job-quarantined-credentials", RuleID: "J08",
			Story: "given Salesforce two days ago, but Salesforce no longer accepts provisioning's sign-in",
			Asking: Asking{
				Question: "why don't I have Salesforce yet?",
				Wordings: []string{"where is my Salesforce account?", "why can't I log into salesfroce?"},
			},
			Signal: "Salesforce job Quarantine: EncounteredQuarantineException, SalesforceInvalidCredentials",
		},
		{
			DisplayName: "Brian Johnson", UPN: "brian.johnson@contoso.com", ObjectID: "aa1afb44-1eac-529f-bf28-db461b694c93", Role: RoleEndUser,
			App: "Atlassian Cloud", AppID: demoAppAtlassian, Category: "target-transient", RuleID: "E02",
			Story: "Atlassian throttled the request that creates his account; it is retried on its own at the next cycle",
			Asking: Asking{
				Question: "why isn't my Atlassian account ready?",
				Wordings: []string{"why no Atlassian account for me yet?", "atlassian isn't ready for me"},
			},
			Signal: "create failed: errorCode TooManyRequests (HTTP 429)",
		},
		{
			DisplayName: "Cameron White", UPN: "cameron.white@contoso.com", ObjectID: "7b9f69fd-a996-57da-a5cc-a3341b4c6415", Role: RoleEndUser,
			App: "Atlassian Cloud", AppID: demoAppAtlassian, Category: "target-rejected", RuleID: "E07",
			Story: "Atlassian refused his account: the user name it would get is reserved (HTTP 422)",
			Asking: Asking{
				Question: "why wasn't my Atlassian account created?",
				Wordings: []string{"Atlassian refused my account, why?", "why don't I have Atlassian Cloud?"},
			},
			Signal: "create failed: errorCode UnprocessableEntity (HTTP 422)",
		},
		{
			DisplayName: "Yuki Tanaka", UPN: "yuki.tanaka@contoso.com", ObjectID: "95df28be-b058-5e8c-9970-35ab177a8c60", Role: RoleEndUser,
			App: "GitHub Enterprise", AppID: demoAppGitHub, Category: "job-quarantined-errors", RuleID: "J09",
			Story: "added to GitHub Developers after the last run; GitHub provisioning is on hold because too many accounts failed",
			Asking: Asking{
				Question: "why can't I get into GitHub?",
				Wordings: []string{"no GitHub for me?", "why can't I use github?"},
			},
			Signal: "no entries; GitHub job Quarantine: EncounteredEscrowProportionThreshold",
		},
		{
			DisplayName: "Miriam Graham", UPN: "miriam.graham@contoso.com", ObjectID: "04b44de2-4b86-5576-8c45-4badd2d57638", Role: RoleEndUser,
			App: "Slack", AppID: demoAppSlack, Category: "deletes-held", RuleID: "D07",
			Story: "Marketing lost Slack by mistake; removing her account is on hold with eleven others",
			Asking: Asking{
				Question: "is my Slack account being removed?",
				Wordings: []string{"why is my Slack account being removed?", "am I losing slack?"},
			},
			Signal: "latest entry: provisioningAction stagedDelete",
		},
		{
			DisplayName: "Delia Dennis", UPN: "delia.dennis@contoso.com", ObjectID: "9ec6cdbd-bc72-5a53-9b49-13705ea96ecd", Role: RoleEndUser,
			App: "Slack", AppID: demoAppSlack, Category: "job-quarantined-deletes", RuleID: "J11",
			Story: "given Slack three hours ago, but Slack provisioning is on hold after too many removals",
			Asking: Asking{
				Question: "why don't I have Slack?",
				Wordings: []string{"where is my Slack account?", "why can't I get into slack?"},
			},
			Signal: "no entries; Slack job Quarantine: TooManyDeletes",
		},
		{
			DisplayName: "Marcus Reed", UPN: "marcus.reed@contoso.com", ObjectID: "9ccf17e1-9b0d-514c-8dfe-02c24031665e", Role: RoleEndUser,
			App: "Dropbox Business", AppID: demoAppDropbox, Category: "job-paused", RuleID: "J03",
			Story: "given Dropbox Business three days ago, but its provisioning was paused nine days ago",
			Asking: Asking{
				Question: "where is my Dropbox account?",
				Wordings: []string{"why don't I have Dropbox?", "dropbox business isn't there for me"},
			},
			Signal: "no entries; Dropbox job Paused, schedule Disabled, never interval",
		},
		{
			DisplayName: "Chloe Martin", UPN: "chloe.martin@contoso.com", ObjectID: "18182fed-c8b9-511d-8f00-420ca533b312", Role: RoleEndUser,
			App: "Box", AppID: demoAppBox, Category: "job-not-configured", RuleID: "J02",
			Story: "given Box, but Box provisioning was never configured",
			Asking: Asking{
				Question: "why can't I get into Box?",
				Wordings: []string{"where is my Box account?", "why don't I have box?"},
			},
			Signal: "no entries; Box job NotConfigured, lastExecution null",
		},
		{
			DisplayName: "Priya Nair", UPN: "priya.nair@contoso.com", ObjectID: "52d66aab-d3d1-567d-a843-3c5fdffe6fd8", Role: RoleEndUser,
			App: "DocuSign", AppID: demoAppDocuSign, Category: "job-run-failed", RuleID: "J16",
			Story: "hired this morning; every DocuSign run since has failed as a whole (HTTP 503 from DocuSign)",
			Asking: Asking{
				Question: "why don't I have DocuSign?",
				Wordings: []string{"why can't I get into DocuSign?", "my docusign account is missing"},
			},
			Signal: "no entries; DocuSign lastExecution Failed, countSuccessiveCompleteFailures 4",
		},
		{
			DisplayName: "Jonas Berg", UPN: "jonas.berg@contoso.com", ObjectID: "0fd1da65-2ef7-5bea-8e0f-731de828b5d6", Role: RoleEndUser,
			App: "Contoso Travel", AppID: demoAppTravel, Category: "job-quarantined-other", RuleID: "J12",
			Story: "given Contoso Travel yesterday, but its provisioning is on hold: the app's address answers 404",
			Asking: Asking{
				Question: "why can't I book travel?",
				Wordings: []string{"why can't I get into Contoso Travel?", "where is my travel account?"},
			},
			Signal: "no entries; quarantine EncounteredQuarantineException whose error says HTTP 404",
		},
		{
			DisplayName: "Fatima Khan", UPN: "fatima.khan@contoso.com", ObjectID: "caa0a8b8-f57a-5b56-8e0d-409e5fda24b6", Role: RoleEndUser,
			App: "Zendesk", AppID: demoAppZendesk, Category: "job-disabled-after-quarantine", RuleID: "J14",
			Story: "Zendesk provisioning failed for weeks (bad credentials) and was switched off",
			Asking: Asking{
				Question: "why did my Zendesk access stop updating?",
				Wordings: []string{"why isn't Zendesk updating my account?", "my zendesk profile is out of date"},
			},
			Signal: "no entries; Zendesk Paused + quarantine with \"\" times and ZendeskInvalidCredentials",
		},
		{
			DisplayName: "Sanjay Shah", UPN: "sanjay.shah@contoso.com", ObjectID: "85d4a182-2216-5b5e-95e9-7a609b6053bc", Role: RoleEndUser,
			App: "Fabrikam (cross-tenant sync)", AppID: demoAppFabrikam, Category: "cross-tenant-policy", RuleID: "XT05",
			Story: "his account in Fabrikam's tenant is disabled with a pending invitation, so the cross-tenant copy fails",
			Asking: Asking{
				Question: "why can't I get into Fabrikam's tenant?",
				Wordings: []string{"why can't I get into Fabrikam?", "why don't I have an account in the Fabrikam tenant?"},
			},
			Signal: "create failed: errorCode InvitationCreationFailureUserAccountDisabled",
		},
	}
}
