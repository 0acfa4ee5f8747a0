package diagnose_test

import (
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

const (
	wdSPID  = "3f1e0a52-8c1d-4a47-9d6e-0b8f2c4d5e61"
	wdApp   = "Workday to Active Directory User Provisioning"
	wdJobID = "Workday2AD.7928d5b574424a97ne2d66f9j9972ecn.3f1e0a528c1d4a479d6e0b8f2c4d5e61"
)

// workdayAD moves an entry to Workday-to-AD inbound provisioning: the
// target is on-premises Active Directory, written through the agent.
func workdayAD() mod {
	return func(e *diagnose.Entry) {
		e.JobID = wdJobID
		e.ServicePrincipal = diagnose.ServicePrincipal{ID: wdSPID, Name: wdApp}
		e.SourceSystem = diagnose.System{DisplayName: "Workday"}
		e.TargetSystem = diagnose.System{DisplayName: "Active Directory", Details: map[string]string{"ServicePrincipalId": wdSPID, "ServicePrincipalDisplayName": wdApp}}
	}
}

// hrApp returns an input with an HR inbound app (by name and job id) in
// steady state and the given entries.
func hrApp(name, jobID string, entries ...diagnose.Entry) func() diagnose.Input {
	return func() diagnose.Input {
		j := job(func(j *diagnose.Job) { j.ID, j.TemplateID = jobID, "" })
		app := diagnose.App{ID: wdSPID, Name: name, JobsKnown: true, Jobs: []diagnose.Job{j}}
		for i := range entries {
			entries[i].ServicePrincipal = diagnose.ServicePrincipal{ID: wdSPID, Name: name}
			entries[i].JobID = jobID
		}
		return diagnose.Input{User: adele(), Entries: entries, Apps: []diagnose.App{app}}
	}
}

func wdFailed(ago time.Duration, code, reason string, mods ...mod) diagnose.Entry {
	return entry(ago, append([]mod{workdayAD(), failed(code, reason)}, mods...)...)
}

// TestHRInboundRules covers HR-driven provisioning into on-premises AD
// (the agent's codes and LDAP texts), into Entra ID, and HR writeback,
// with the documented fix and owner for each.
func TestHRInboundRules(t *testing.T) {
	m := time.Minute
	wd := func(entries ...diagnose.Entry) func() diagnose.Input { return hrApp(wdApp, wdJobID, entries...) }
	runRuleCases(t, []ruleCase{
		{
			name: "AD refuses the agent's account on a protected user: gMSA rights and AdminSDHolder",
			in: wd(wdFailed(20*m, "HybridSynchronizationActiveDirectoryInsufficientAccessRights",
				"ERROR: InsufficientAccessRights-SecErr: The user has insufficient access rights.. Access is denied. \\nError Details: Problem 4003 - INSUFF_ACCESS_RIGHTS.", action("update"))),
			wantRule: "H01", wantCategory: diagnose.TargetPermission,
			wantHelpDesk: []string{"provAgentgMSA$", "AdminSDHolder", "“ERROR: InsufficientAccessRights-SecErr: The user has insufficient access rights."},
			wantEndUser:  []string{"not allowed to change your account"},
		},
		{
			name: "the UPN built for a new hire is taken in the forest",
			in: wd(wdFailed(20*m, "HybridSynchronizationActiveDirectoryUserPrincipalNameNotUnique",
				"The operation failed because UPN value provided for addition/modification is not unique forest-wide. Error Details: CONSTRAINT_ATT_TYPE - userPrincipalName")),
			wantRule: "H02", wantCategory: diagnose.MatchingConflict,
			wantHelpDesk: []string{"not unique in the forest", "“The operation failed because UPN value provided for addition/modification is not unique forest-wide.”"},
		},
		{
			name: "an object with the same name already exists in the OU",
			in: wd(wdFailed(20*m, "",
				"EntryAlreadyExists-UpdErr: The object already exists. 00002071: UpdErr: DSID-031B0D96, problem 6005 (ENTRY_EXISTS), data 0")),
			wantRule: "H03", wantCategory: diagnose.MatchingConflict,
			wantHelpDesk: []string{"the sAMAccountName", "“EntryAlreadyExists-UpdErr: The object already exists.”"},
		},
		{
			name: "a value too long for company breaks AD's constraint (code only says the answer was bad)",
			in: wd(wdFailed(20*m, "SystemForCrossDomainIdentityManagementBadResponse",
				"Error: ConstraintViolation-AtrErr: A value in the request is invalid. A value for the attribute was not in the acceptable range of values. \\nError Details: CONSTRAINT_ATT_TYPE - company")),
			wantRule: "H04", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"(attribute company)", "64 characters", "“Error: ConstraintViolation-AtrErr: A value in the request is invalid.”"},
		},
		{
			name: "an empty HR value fails AD's syntax check; the entry shows which attribute was sent empty",
			in: wd(wdFailed(20*m, "HybridSynchronizationActiveDirectoryInvalidAttributeSyntax",
				"InvalidAttributeSyntax-LdapErr: The syntax is invalid. The parameter is incorrect. Error in attribute conversion operation, data 0, v3839", modified("title", "Analyst", ""))),
			wantRule: "H05", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"cannot set empty values", "sent an empty value for title", "“InvalidAttributeSyntax-LdapErr: The syntax is invalid.”"},
		},
		{
			name: "the container is outside the forest: no superior reference",
			in: wd(wdFailed(20*m, "",
				"Error: OperationsError-SvcErr: An operation error occurred. No superior reference has been configured for the directory service. The directory service is therefore unable to issue referrals to objects outside this forest.")),
			wantRule: "H06", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"parentDistinguishedName", "“No superior reference has been configured for the directory service.”"},
		},
		{
			name: "the linked AD account is gone on an update",
			in: wd(wdFailed(20*m, "HybridSynchronizationActiveDirectoryNoSuchObject",
				"NoSuchObject-NameErr: There is no such object on the server. 0000208D: NameErr: DSID-03100241, problem 2001 (NO_OBJECT), data 0", action("update"))),
			wantRule: "H07", wantCategory: diagnose.InvalidAnchor,
			wantHelpDesk: []string{"deleted, or moved", "“NoSuchObject-NameErr: There is no such object on the server.”"},
		},
		{
			name: "an attribute added to AD after the agent started is unknown until it restarts",
			in: wd(wdFailed(20*m, "HybridSynchronizationActiveDirectoryCannotFindAttribute",
				"This attribute name was not found in the Active Directory schema: employeeHireDate", action("update"))),
			wantRule: "H08", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"caches the schema", "“This attribute name was not found in the Active Directory schema: employeeHireDate”"},
		},
		{
			name:     "the agent could not read AD: retried, and the agent's log says why",
			in:       wd(wdFailed(20*m, "EndpointUnavailable", "EventName = EntrySynchronizationError and ErrorCode = EndpointUnavailable", action("update"))),
			wantRule: "H09", wantCategory: diagnose.TargetTransient,
			wantHelpDesk: []string{"through the on-premises agent", "“EventName = EntrySynchronizationError and ErrorCode = EndpointUnavailable”"},
		},
		{
			name: "API-driven inbound to Entra: the UPN built is not valid",
			in: hrApp("API-driven provisioning to Microsoft Entra ID", "API2AAD.7928d5b5",
				entry(20*m, func(e *diagnose.Entry) { e.TargetSystem = diagnose.System{DisplayName: "Azure Active Directory"} },
					failed("AzureActiveDirectoryInvalidUserPrincipalName", "The specified user principal name is invalid."))),
			wantRule: "H10", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"AzureActiveDirectoryInvalidUserPrincipalName", "not a valid UPN"},
		},
		{
			name: "API-driven inbound to Entra: the UPN's domain does not exist in the tenant",
			in: hrApp("API-driven provisioning to Microsoft Entra ID", "API2AAD.7928d5b5",
				entry(20*m, func(e *diagnose.Entry) { e.TargetSystem = diagnose.System{DisplayName: "Azure Active Directory"} },
					failed("", "The domain portion of the userPrincipalName property is invalid. The domain does not exist."))),
			wantRule: "H11", wantCategory: diagnose.InvalidDomain,
			wantHelpDesk: []string{"not a verified domain", "“The domain does not exist.”"},
		},
		{
			name: "Workday writeback refuses an empty phone number",
			in: hrApp("Workday Writeback", "WorkdayWriteback.7928d5b5",
				entry(20*m, action("update"), modified("WorkphoneLandlineNumber", "4255550100", ""),
					failed("", "Validation error occurred. Invalid value for Phone_Number: value is required"))),
			wantRule: "H12", wantCategory: diagnose.AttributeMapping,
			wantHelpDesk: []string{"cannot process an empty email or phone number", "Type_IDs", "sent an empty value for WorkphoneLandlineNumber"},
			wantEndUser:  []string{"Your accounts still work"},
		},
	})
}
