package diagnose

// The tables the layered reading of a failed entry uses (classify.go):
// which code names, scimTypes, app phrases and HTTP statuses name which
// problem. RULES.md gives the source of each row.

import (
	"regexp"
	"strings"
)

// codeWords are the words at the end of an error code that name the
// problem. The catalogue's own codes are matched by its rules; these are
// for the many connector-prefixed codes it does not list
// (SalesforceDuplicateUserName, HybridSynchronizationActiveDirectory…).
// Longer words are tried first.
//
// Sources: Salesforce provisioning tutorial (SalesforceDuplicateUserName,
// SalesforceRequiredFieldMissing, SalesforceLicenseLimitExceeded),
// https://learn.microsoft.com/entra/identity/saas-apps/salesforce-provisioning-tutorial;
// insufficient access rights,
// https://learn.microsoft.com/entra/identity/app-provisioning/insufficient-access-rights-error-troubleshooting;
// HR user update issues (CannotFindAttribute),
// https://learn.microsoft.com/entra/identity/app-provisioning/hr-user-update-issues;
// Workday inbound tutorial (UserPrincipalNameNotUnique, EndpointUnavailable),
// https://learn.microsoft.com/entra/identity/saas-apps/workday-inbound-tutorial;
// API-driven inbound issues (AzureActiveDirectoryInvalidUserPrincipalName),
// https://learn.microsoft.com/entra/identity/app-provisioning/inbound-provisioning-api-issues;
// ServiceNow provisioning tutorial (InvalidLookupReference,
// EntryJoiningPropertyValueIsMissing),
// https://learn.microsoft.com/entra/identity/saas-apps/servicenow-provisioning-tutorial.
// The LDAP result names (NoSuchObject, EntryAlreadyExists, Referral, …)
// are RFC 4511's, which the agent's codes follow.
var codeWords = []struct {
	word    string
	problem Problem
}{
	{"JoiningPropertyValueIsMissing", ProblemMatchingValue},
	{"B2BManagementPolicyCheckFailure", ProblemTenantPolicy},
	{"UserPrincipalNameNotUnique", ProblemConflict},
	{"SamAccountNameNotUnique", ProblemConflict},
	{"InsufficientAccessRights", ProblemPermission},
	{"InvalidUserPrincipalName", ProblemBadValue},
	{"InvalidAttributeSyntax", ProblemBadValue},
	{"InvalidLookupReference", ProblemBadValue},
	{"RequiredFieldMissing", ProblemRequired},
	{"RequiredAttributeMissing", ProblemRequired},
	{"CannotFindAttribute", ProblemUnknownAttribute},
	{"AttributeNotFound", ProblemUnknownAttribute},
	{"ConstraintViolation", ProblemBadValue},
	{"EntryAlreadyExists", ProblemConflict},
	{"ObjectAlreadyExists", ProblemConflict},
	{"EndpointUnavailable", ProblemTransient},
	{"DuplicateUserName", ProblemConflict},
	{"DuplicateUsername", ProblemConflict},
	{"LicenseLimitExceeded", ProblemLicense},
	{"InsufficientLicenses", ProblemLicense},
	{"AlreadyExists", ProblemConflict},
	{"NoSuchObject", ProblemNotFound},
	{"ObjectNotFound", ProblemNotFound},
	{"NotUnique", ProblemConflict},
	{"Referral", ProblemContainer},
}

// codeProblem names the problem a code's own words name, if any.
func codeProblem(code string) (Problem, bool) {
	if code == "" {
		return "", false
	}
	lc := strings.ToLower(code)
	for _, w := range codeWords {
		if strings.HasSuffix(lc, strings.ToLower(w.word)) {
			return w.problem, true
		}
	}
	return "", false
}

// scimTypeProblem maps RFC 7644 §3.12's scimType values (Table 9) to
// problems. "immutability" is not in the RFC but apps send it (Pulumi's
// SCIM FAQ, https://www.pulumi.com/docs/pulumi-cloud/access-management/scim/faq/).
func scimTypeProblem(t string) (Problem, bool) {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "uniqueness":
		return ProblemConflict, true
	case "invalidvalue", "invalidsyntax":
		return ProblemBadValue, true
	case "mutability", "immutability", "immutable":
		return ProblemImmutable, true
	case "invalidpath":
		return ProblemUnknownAttribute, true
	case "invalidfilter", "toomany":
		return ProblemFilter, true
	case "notarget":
		return ProblemRefused, true
	case "sensitive", "invalidvers":
		return ProblemProtocol, true
	}
	return "", false
}

// vendorPhrase is one problem the app's message can name; adjust refines
// it from the rest of the entry (an LDAP "no such object" on a create is
// about the container, on an update about the account).
type vendorPhrase struct {
	problem Problem
	adjust  func(r *reading, marker string) Problem
}

// vendorPhrases are tried in this order: the more specific first.
var vendorPhrases = []vendorPhrase{
	// Before credentials: the cross-tenant test connection wraps the policy
	// error in "You appear to have entered invalid credentials".
	{problem: ProblemTenantPolicy},
	{problem: ProblemCredentials},
	{problem: ProblemLicense},
	{problem: ProblemDomain},
	{problem: ProblemConflict},
	{problem: ProblemRequired},
	{problem: ProblemImmutable},
	{problem: ProblemUnknownAttribute},
	{problem: ProblemReference},
	{problem: ProblemContainer},
	{problem: ProblemNotFound, adjust: func(r *reading, _ string) Problem {
		if r.ad && r.e.Action == ActionCreate {
			return ProblemContainer
		}
		return ProblemNotFound
	}},
	{problem: ProblemPermission},
	{problem: ProblemRefused},
	{problem: ProblemBadValue},
	{problem: ProblemFilter},
	{problem: ProblemTransient},
}

// phraseREs are the words that name each problem in an app's message.
// Sources per group in RULES.md; the LDAP texts are Active Directory's
// (Workday inbound tutorial, HR troubleshooting articles).
var phraseREs = map[Problem][]*regexp.Regexp{
	// Configure cross-tenant synchronization, Troubleshooting tips
	// (https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure).
	ProblemTenantPolicy: res(
		`(?i)\bauto-?redemption of invitations\b|\bautomatically redeem invitations\b`,
		`(?i)\bGuest invitations not allowed\b`,
		`\bB2BManagementPolicyCheckFailure\b`,
	),
	ProblemCredentials: res(
		`(?i)\b(?:invalid|expired|revoked|wrong)\s+(?:credentials?|token|api[ _-]?key|password|secret)\b`,
		`(?i)\btoken (?:has |is )?(?:expired|invalid|revoked)\b`,
		`\bINVALID_LOGIN\b|\binvalid_auth\b|\bnot_authed\b|\bInvalidAuthenticationToken\b`,
		`(?i)\bauthentication (?:failed|required)\b`,
	),
	ProblemLicense: res(
		`\bLICENSE_LIMIT_EXCEEDED\b`,
		`(?i)\blicen[cs]es?\b(?:[^.\n]|\.\S){0,60}\b(?:limit|exceed\w*|insufficient|ran out|used up|exhausted)\b`,
		`(?i)\bno (?:more |free |available )?(?:licen[cs]es?|seats?)\b`,
		`(?i)\b(?:licen[cs]es?|seats?) (?:are |is )?(?:not )?available\b`,
	),
	ProblemDomain: res(
		`(?i)\bdomain\b(?:[^.\n]|\.\S){0,40}\b(?:does not exist|doesn't exist|not verified|unverified|not allowed|not permitted|not accepted|is invalid|not valid)\b`,
		`(?i)\b(?:invalid|unverified|unknown) domain\b`,
	),
	ProblemConflict: res(
		`(?i)\bnot unique forest-wide\b`,
		`(?i)\balready (?:exists?|in use|taken|been taken|registered|owns|provisioned|used)\b`,
		`(?i)\bduplicated?\b`,
		`\bDUPLICATE_[A-Z_]+\b|\bENTRY_EXISTS\b|\bEntryAlreadyExists\b|\bemail_taken\b|\busername_taken\b`,
		`(?i)\b(?:not unique|must be unique|uniqueness)\b`,
		`(?i)\bconflicts? with (?:an )?existing\b`,
	),
	ProblemRequired: res(
		`\bREQUIRED_FIELD_MISSING\b`,
		`(?i)\b(?:is|are) required\b|\brequired (?:field|attribute|value|property)s?\b`,
		`(?i)\bmissing (?:required )?(?:\w+ )?(?:field|attribute|value|property)\b`,
		`(?i)\bmust (?:not be|never be) (?:empty|null|blank)\b|\b(?:cannot|can't|may not) be (?:empty|null|blank)\b`,
		`(?i)\byou must provide\b|\bmust be provided\b|\bmust have a value\b`,
	),
	ProblemImmutable: res(
		`(?i)\bimmutab(?:le|ility)\b`,
		`(?i)\bread-?only\b`,
		`(?i)\b(?:cannot|can't|may not) be (?:changed|modified|updated)\b`,
	),
	ProblemUnknownAttribute: res(
		`(?i)\bnot found in the (?:[^.\n]|\.\S){0,40}schema\b`,
		`(?i)\bunknown (?:attribute|path|field|property)\b`,
		`(?i)\bno such attribute\b|\bProperty definition not found\b|\bUNRECOGNIZED_(?:CUSTOM|STANDARD)_FIELD\b`,
		`(?i)\b(?:attribute|property|field) (?:[^.\n]|\.\S){0,60}\b(?:does not exist|doesn't exist|is not (?:defined|supported|recognized))\b`,
		`(?i)\bunrecognized (?:attribute|field|property)\b`,
	),
	ProblemReference: res(
		`(?i)\binvalid members?\b`,
		`(?i)\bmembers? (?:[^.\n]|\.\S){0,40}\b(?:not found|do(?:es)? not exist|not provisioned)\b`,
		`(?i)\bmanager\b(?:[^.\n]|\.\S){0,60}\b(?:not found|do(?:es)? not exist|doesn't exist)\b`,
		`(?i)\breferenced (?:[^.\n]|\.\S){0,40}\b(?:not found|do(?:es)? not exist)\b`,
	),
	ProblemContainer: res(
		`(?i)\bNo superior reference\b|\bissue referrals\b`,
		`\bReferral\b`,
	),
	ProblemNotFound: res(
		`\bNoSuchObject\b|\bNO_OBJECT\b`,
		`(?i)\bno such (?:object|user|resource|entry)\b`,
		`(?i)\b(?:was |is )?not found\b|\bcould not be found\b|\bcannot be found\b`,
		`(?i)\b(?:does not|doesn't) exist\b`,
	),
	ProblemPermission: res(
		`(?i)\binsufficient (?:access|privileges|permissions|rights)\b`,
		`\bINSUFF_ACCESS_RIGHTS\b|\bInsufficientAccessRights\b|\bINSUFFICIENT_ACCESS\w*`,
		`(?i)\baccess (?:is )?denied\b|\bpermission denied\b|\bnot authori[sz]ed\b`,
		`(?i)\b(?:do|does|did) not have (?:the )?(?:permission|rights?|access)\b`,
		`(?i)\bnot permitted\b|\bnot allowed to\b`,
	),
	ProblemRefused: res(
		`(?i)\bmust be active\b`,
		`(?i)\b(?:user|account|member) is (?:inactive|deactivated|suspended|disabled|locked|archived)\b`,
		`(?i)\bis reserved\b|\breserved (?:word|name|username|login)\b`,
	),
	ProblemBadValue: res(
		`\bConstraintViolation\b|\bCONSTRAINT_ATT_TYPE\b|\bInvalidAttributeSyntax\b|\bINVALID_OR_NULL_FOR_RESTRICTED_PICKLIST\b`,
		`(?i)\bnot in the acceptable range\b|\bsyntax is invalid\b`,
		`(?i)\bValue not supported\b|\binvalid value\b|\bis not a valid\b|\bnot a valid (?:value|choice)\b`,
		`(?i)\b(?:too long|exceeds? (?:the )?(?:maximum|max) (?:length|size)|maximum length)\b`,
		`(?i)\binvalid (?:format|email|phone|date)\b|\bwrong format\b|\bmalformed\b`,
		`(?i)\bunparsable\b|\bsyntactically incorrect\b|\bviolates (?:the )?schema\b`,
	),
	ProblemFilter: res(
		`(?i)\binvalid filter\b|\bunsupported filter\b|\bfilter(?:[^.\n]|\.\S){0,40}not supported\b|\bcannot filter\b`,
	),
	ProblemTransient: res(
		`(?i)\brate limit\w*\b|\btoo many requests\b|\bthrottl\w*`,
		`(?i)\b(?:temporarily|service) unavailable\b|\btimed out\b|\btry again later\b|\bserver is busy\b`,
	),
}

func res(patterns ...string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		out[i] = regexp.MustCompile(p)
	}
	return out
}

// requiredWordsRE finds a detail that says a value is required or missing
// (RFC 7644's invalidValue covers both a missing and a bad value).
var requiredWordsRE = regexp.MustCompile(`(?i)\brequired\b|\bmissing\b|\bmust not be (?:empty|null|blank)\b|\bcannot be (?:empty|null|blank)\b`)

// statusProblem maps an HTTP status to a problem; a 404 on an update,
// disable or delete means the linked account is gone, on a create that
// the app does not know the address or object asked for.
func statusProblem(status int, a Action) (Problem, bool) {
	switch status {
	case 401:
		return ProblemCredentials, true
	case 403, 405:
		return ProblemPermission, true
	case 404:
		return ProblemNotFound, true
	case 409:
		return ProblemConflict, true
	case 415, 501, 505:
		return ProblemProtocol, true
	case 408, 429, 500, 502, 503, 504:
		return ProblemTransient, true
	case 400, 412, 413, 422:
		return ProblemRefused, true
	}
	// Other statuses (418, 451, …) say nothing a rule can act on.
	return "", false
}

// statusWordIn reads a status named by word ("StatusCode: Conflict") or
// in .NET's "(403) Forbidden" form; 0 when none.
func statusWordIn(s string) int {
	m := statusWordRE.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	if m[2] != "" {
		n := 0
		for _, c := range m[2] {
			n = n*10 + int(c-'0')
		}
		return validStatus(n)
	}
	return statusByName(m[1])
}

// statusByName maps an HTTP status name ("Conflict", "BadRequest",
// "Service Unavailable") to its number; 0 when unknown.
func statusByName(name string) int {
	want := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	if want == "" {
		return 0
	}
	for n, s := range httpStatusNames {
		if strings.ToLower(strings.ReplaceAll(s, " ", "")) == want {
			return n
		}
	}
	if want == "requestentitytoolarge" {
		return 413
	}
	return 0
}

// scimCodePrefix starts the codes the provisioning service gives a SCIM
// app's answer: SystemForCrossDomainIdentityManagement followed by the
// HTTP status's .NET name (BadRequest, Conflict, NotFound, Unauthorized,
// Forbidden, ServiceUnavailable, …) or by what went wrong with the answer
// (ServiceIncompatible, BadResponse, MultipleEntriesInResponse, …).
const scimCodePrefix = "systemforcrossdomainidentitymanagement"

// statusFromCodeName reads the HTTP status a SCIM-family code is named
// after; 0 when the code names none.
func statusFromCodeName(code string) int {
	lc := strings.ToLower(code)
	i := strings.Index(lc, scimCodePrefix)
	if i < 0 {
		return 0
	}
	return statusByName(code[i+len(scimCodePrefix):])
}

// genericCode reports whether a code says only that the app answered
// with an error, or which HTTP status: the SCIM family's status and
// answer codes, the protocol error, an empty code. The app's own words
// then say more than the code does.
func genericCode(code string) bool {
	lc := strings.ToLower(strings.TrimSpace(code))
	if lc == "" || strings.Contains(lc, scimCodePrefix) {
		return true
	}
	for _, g := range []string{"webexceptionprotocolerror", "unprocessableentity", "notimplemented", "badrequest", "badresponse"} {
		if strings.HasSuffix(lc, g) {
			return true
		}
	}
	return false
}
