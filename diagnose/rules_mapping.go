package diagnose

import (
	"regexp"
	"strings"
)

// mappingRules explain attribute-mapping and data problems (facts §3.1 F,
// and E11/E12 of §3.1 E). The other F situations (A03, A05–A10) leave no
// trace in the provisioning logs.
var mappingRules = []Rule{
	{
		// A01: the app requires an attribute whose value is empty for the
		// user; the service never sends null values [known-issues], [attr-map].
		ID: "A01", Family: FamilyMapping, Category: MissingRequiredAttribute, Severity: SeverityError, Tier: TierEntry,
		Codes: requiredAttrCodes,
		When: func(c *Case) bool {
			for _, f := range requiredAttrFindings(c) {
				if f.empty {
					return true
				}
			}
			return false
		},
		Headline: "{app} needs {user}'s {attrlabel}, which is empty in the directory, so the account was not {opdone}.",
		EndUser: "{app} needs some details about you, and one of them is empty in your profile in the company directory. " +
			"Empty details are not sent, so your {app} account could not be set up or changed. " +
			"The help desk can fill in the missing detail.",
		HelpDesk: "{app} refused the {action} for {user} at {time} with {code}: it requires {attrs}, and {user} has an empty value for {itthem} in Entra. " +
			"The provisioning service never sends empty (null) values, so the app's required field stays blank. {httpnote}" +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to fill in the missing detail in your profile. Your {app} account is then made on its own."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Fill in {attrsentra} on {user}'s account in Entra; the next cycle retries the {action}{ifruns}."},
			{PartyAppAdmin, "If many users lack it, give the mapping a fallback: an expression such as IIF(IsPresent([{attrentra}]), [{attrentra}], \"value\"), or a default value if null (it applies only on create)."},
		},
		Vars:     withFailureVars(requiredAttrVars),
		Evidence: failureEvidence,
		Article:  articleAttrMap,
	},
	{
		// A02: the app requires an attribute the service did not read or
		// send for the user: no value, or no mapping [on-demand], [attr-map].
		ID: "A02", Family: FamilyMapping, Category: MissingRequiredAttribute, Severity: SeverityError, Tier: TierEntry,
		Codes:    requiredAttrCodes,
		When:     func(c *Case) bool { return len(requiredAttrFindings(c)) > 0 },
		Headline: "{app} needs {user}'s {attrlabel}, which provisioning did not send, so the account was not {opdone}.",
		EndUser: "{app} needs a detail about you that was not sent to it. " +
			"Either that detail is empty in your profile in the company directory, or {app} is not set up to get it. " +
			"So your {app} account could not be set up or changed. The help desk can check which.",
		HelpDesk: "{app} refused the {action} for {user} at {time} with {code}: it requires {attrs}, and no value was sent. " +
			"Neither the values the import step read for {user} nor the modified properties hold {itthem}, " +
			"so either {user} has no value (null values are never sent) or no attribute mapping sends {itthem}. {httpnote}" +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check which detail {app} needs, and to add it to your profile if it is empty."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Check {attrsentra} on {user}'s account in Entra and fill it in if it is empty; the next cycle retries{ifruns}."},
			{PartyAppAdmin, "If {user} has a value, add an attribute mapping that sends it (the {app} Provisioning page → Mappings → users), then use Provision on demand for {user} to check."},
		},
		Vars:     withFailureVars(requiredAttrVars),
		Evidence: failureEvidence,
		Article:  articleAttrMap,
	},
	{
		// E11: a mapping targets an attribute the app does not have.
		ID: "E11", Family: FamilyMapping, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"SchemaAttributeNotFound"},
		Headline: "Provisioning sends {app} an attribute it does not have, so {user}'s account was not {opdone}.",
		EndUser: "The link to {app} is set up to send a detail that {app} does not know. " +
			"So your {app} account could not be set up or changed. " +
			"This is a setup problem, not a problem with your account. An admin has to fix it.",
		HelpDesk: "{app} refused the {action} for {user} at {time} with {code}: an attribute mapping writes to {attrname}, " +
			"which does not exist in {app}'s schema. {httpnote}This fails for every user the mapping applies to. " +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk. The {app} admin has to fix how details are sent to {app}."}},
		Do: []Recommendation{
			{PartyAppAdmin, "On the {app} Provisioning page → Mappings, remove or correct the mapping to {attrname}; if {app} has the attribute under another name, fix the target attribute list (Show advanced options → Edit attribute list)."},
			{PartyHelpDesk, "Then use Provision on demand for {user} to check the fix."},
		},
		Vars:     withFailureVars(attrNameVars),
		Evidence: failureEvidence,
		Article:  articleAttrMap,
	},
	{
		// E12: a single-valued target property gets several values.
		ID: "E12", Family: FamilyMapping, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"SchemaPropertyCanOnlyAcceptValue"},
		Headline: "{app} accepts one value where {user} has several, so the account was not {opdone}.",
		EndUser: "{app} can take only one value for one of your details, but your profile has more than one. " +
			"So your {app} account could not be set up or changed. An admin has to change how that detail is sent.",
		HelpDesk: "{app} refused the {action} for {user} at {time} with {code}: the target property {attrname} accepts a single value, " +
			"but the mapped source attribute has several for {user}. {httpnote}" +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk. The {app} admin has to change how this detail is sent."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Map a single-valued source attribute to {attrname}, or pick one value with an expression (for roles, SingleAppRoleAssignment), or remove the mapping."},
			{PartyHelpDesk, "Or reduce {user}'s source value to a single one, if that is what {app} should get."},
		},
		Vars:     withFailureVars(attrNameVars),
		Evidence: failureEvidence,
		Article:  articleAttrMap,
	},
	{
		// A04: an attribute-mapping expression failed to evaluate (or is
		// over the 10,000-character limit) [known-issues], [on-demand].
		ID: "A04", Family: FamilyMapping, Category: AttributeMapping, Severity: SeverityError, Tier: TierEntry,
		When: func(c *Case) bool {
			return c.Latest != nil && (c.Latest.Status == ResultFailure || c.Latest.Status == ResultWarning) && expressionProblem(c)
		},
		Headline: "An expression in the {app} attribute mappings fails for {user}, so the account was not {opdone}.",
		EndUser: "One of the rules that turn your details into your {app} account has a mistake. " +
			"So your {app} account could not be set up or changed. " +
			"This is a setup problem, not a problem with your account. An admin has to fix it.",
		HelpDesk: "The {action} for {user} in {app} failed at {time} because an attribute-mapping expression could not be evaluated ({codeword}). " +
			"Expressions are limited to 10,000 characters, and a function can fail on {user}'s data, for example on an empty value. {httpnote}" +
			"Failed step: {step}. The service said: {reason} (change {change}, cycle {cycle}).",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk. The {app} admin has to fix a setup rule."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Find the expression named in the reason on the {app} Provisioning page → Mappings, fix it (guard empty values with IsPresent or IgnoreFlowIfNullOrEmpty), and test it with Provision on demand for {user}."},
		},
		Vars: withFailureVars(func(c *Case) map[string]string {
			w := "no error code"
			if code := c.Code(); code != "" {
				w = "error code " + code
			}
			return map[string]string{"codeword": w}
		}),
		Evidence: failureEvidence,
		Article:  articleAttrMap,
	},
}

// requiredAttrCodes are the codes with which an app reports a missing
// required value: the documented ones, and the rejections whose reason
// can say so (checked by requiredAttrFindings).
var requiredAttrCodes = append(append([]string{}, requiredCodes...),
	"UnprocessableEntity", "WebExceptionProtocolError", scimIncompatible, scimIncompatibleFiltering)

// attrGroup is one user attribute under the names Entra and apps give it.
type attrGroup struct {
	// label says it in plain words.
	label string
	// names are the Entra name first, then names apps use.
	names []string
	// res match the names as whole words.
	res []*regexp.Regexp
}

// attrGroups are the attributes apps commonly require.
var attrGroups = compileAttrGroups([]attrGroup{
	{label: "last name", names: []string{"surname", "lastName", "last_name", "familyName", "name.familyName"}},
	{label: "first name", names: []string{"givenName", "firstName", "first_name", "name.givenName"}},
	{label: "display name", names: []string{"displayName", "name.formatted"}},
	{label: "email address", names: []string{"mail", "email", "emails", "emailAddress", "email_address"}},
	{label: "user name", names: []string{"userPrincipalName", "userName", "username", "login"}},
	{label: "alias", names: []string{"mailNickname", "alias", "nickName"}},
	{label: "department", names: []string{"department"}},
	{label: "job title", names: []string{"jobTitle", "title"}},
	{label: "employee ID", names: []string{"employeeId", "employeeNumber"}},
	{label: "company name", names: []string{"companyName", "organization"}},
	{label: "phone number", names: []string{"telephoneNumber", "businessPhones", "phoneNumber", "phoneNumbers", "phone"}},
	{label: "mobile number", names: []string{"mobile", "mobilePhone"}},
	{label: "country", names: []string{"usageLocation", "country", "countryCode"}},
	{label: "city", names: []string{"city", "locality"}},
	{label: "postal code", names: []string{"postalCode", "zipCode"}},
	{label: "street address", names: []string{"streetAddress"}},
	{label: "office location", names: []string{"physicalDeliveryOfficeName", "officeLocation"}},
	{label: "preferred language", names: []string{"preferredLanguage", "locale"}},
	{label: "employee type", names: []string{"employeeType"}},
})

func compileAttrGroups(gs []attrGroup) []attrGroup {
	for i := range gs {
		for _, n := range gs[i].names {
			gs[i].res = append(gs[i].res, regexp.MustCompile(`(?i)(?:^|[^a-z0-9_.])(`+regexp.QuoteMeta(n)+`)(?:$|[^a-z0-9_])`))
		}
	}
	return gs
}

// attrFinding is a required attribute the reason names and the user lacks.
type attrFinding struct {
	group *attrGroup
	// named is the attribute as the reason spells it.
	named string
	// empty is true when the value is known to be empty; false when it is
	// simply absent from what the service read and sent.
	empty bool
}

var (
	requiredPhraseRE = regexp.MustCompile(`(?i)\b(?:required|mandatory|missing|must not be (?:empty|null|blank)|cannot be (?:empty|null|blank)|can't be (?:empty|null|blank)|must have a value|must be provided)\b`)
	clauseSplitRE    = regexp.MustCompile(`[.;!?](?:\s|$)|\n`)
)

// requiredAttrFindings lists the attributes the newest entry's reason says
// are required or missing, in a clause that says so, and that the user
// lacks: empty in the import details, the modified properties or the user's
// own facts, or absent from all of them while the entry shows what was
// read. Nil unless the code is a required-value code, or a rejection (with
// no HTTP status, or a 400, 409 or 422) whose reason says "required".
func requiredAttrFindings(c *Case) []attrFinding {
	e := c.Latest
	if e == nil || e.Error == nil || e.Status == ResultSuccess {
		return nil
	}
	if suffixMatch(e.Error.Code, requiredCodes) == 0 {
		if suffixMatch(e.Error.Code, requiredAttrCodes) == 0 {
			return nil
		}
		switch targetHTTP(c) {
		case 0, 400, 409, 422:
		default:
			return nil
		}
	}
	text := e.Error.Reason + "\n" + e.Error.AdditionalDetails
	var out []attrFinding
	for gi := range attrGroups {
		g := &attrGroups[gi]
		named := ""
		for _, clause := range clauseSplitRE.Split(text, -1) {
			if !requiredPhraseRE.MatchString(clause) {
				continue
			}
			for _, re := range g.res {
				if m := re.FindStringSubmatch(clause); m != nil {
					named = m[1]
					break
				}
			}
			if named != "" {
				break
			}
		}
		if named == "" {
			continue
		}
		has, empty, seen := userAttrValue(c, g)
		if has || (!empty && !seen) {
			continue
		}
		out = append(out, attrFinding{group: g, named: named, empty: empty})
	}
	return out
}

// userAttrValue looks the attribute up in what the entry and the user facts
// show: has is true when some value is present; empty when a value is
// present but blank; seen when the entry shows what was read at all (so
// that absence means something).
func userAttrValue(c *Case, g *attrGroup) (has, empty, seen bool) {
	e := c.Latest
	look := func(v string, ok bool) {
		if !ok {
			return
		}
		if strings.TrimSpace(v) != "" {
			has = true
		} else {
			empty = true
		}
	}
	for _, s := range e.Steps {
		if s.Type != StepImport {
			continue
		}
		if len(s.Details) > 0 {
			seen = true
		}
		for _, n := range g.names {
			look(s.Detail(n))
		}
	}
	if len(e.Modified) > 0 {
		seen = true
	}
	for _, m := range e.Modified {
		for _, n := range g.names {
			if foldKey(m.Name) == foldKey(n) {
				look(m.NewValue, true)
			}
		}
	}
	if u := c.User; u != nil {
		switch g.names[0] {
		case "mail":
			look(u.Mail, true)
		case "displayName":
			look(u.DisplayName, true)
		case "userPrincipalName":
			look(u.UPN, true)
		}
	}
	return has, empty, seen
}

// requiredAttrVars names the missing attributes:
//
//	{attrlabel}   in plain words ("last name and alias")
//	{attrs}       as the reason names them, with the Entra attribute
//	{attrsentra}  the Entra attributes to fill in
//	{attrentra}   the first of them, for expression examples
//	{itthem}      "it" or "them"
func requiredAttrVars(c *Case) map[string]string {
	fs := requiredAttrFindings(c)
	var labels, named, entra []string
	for _, f := range fs {
		labels = append(labels, f.group.label)
		n := f.named
		if !strings.EqualFold(n, f.group.names[0]) {
			n += " (Entra: " + f.group.names[0] + ")"
		}
		named = append(named, n)
		entra = append(entra, f.group.names[0])
	}
	first := "attribute"
	if len(entra) > 0 {
		first = entra[0]
	}
	pron := "it"
	if len(entra) > 1 {
		pron = "them"
	}
	return map[string]string{
		"attrlabel":  andList(labels, "a required value"),
		"attrs":      andList(named, "a required attribute"),
		"attrsentra": andList(entra, "the required attribute"),
		"attrentra":  first,
		"itthem":     pron,
	}
}

// andList joins words as a sentence does: "a", "a and b", "a, b and c".
func andList(ws []string, none string) string {
	switch len(ws) {
	case 0:
		return none
	case 1:
		return ws[0]
	default:
		return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
	}
}

var (
	quotedNameRE = regexp.MustCompile(`['"‘“]([A-Za-z_][A-Za-z0-9_.:\[\]\- ]{0,200}?)['"’”]`)
	attrWordRE   = regexp.MustCompile(`(?i)\b(?:attribute|property)\s+([A-Za-z_][A-Za-z0-9_.:\-]*[A-Za-z0-9_])`)
)

// attrNameVars names the attribute a schema error is about, as the reason
// quotes it: {attrname}.
func attrNameVars(c *Case) map[string]string {
	name := "an attribute the reason does not name"
	if c.Latest != nil && c.Latest.Error != nil {
		s := c.Latest.Error.Reason + " " + c.Latest.Error.AdditionalDetails
		if m := quotedNameRE.FindStringSubmatch(s); m != nil && !strings.Contains(strings.TrimSpace(m[1]), " ") {
			name = m[1]
		} else if m := attrWordRE.FindStringSubmatch(s); m != nil && !isStopWord(m[1]) {
			name = m[1]
		}
	}
	if strings.HasPrefix(name, "an attribute the reason") {
		// The entry's modified properties hold what was sent.
		switch ms := modifiedNames(c); len(ms) {
		case 0:
		case 1:
			name = ms[0]
		default:
			name = "one of the attributes this entry sent (" + andList(ms, "") + ")"
		}
	}
	return map[string]string{"attrname": name}
}

// isStopWord reports whether a word after "attribute" is ordinary English
// rather than an attribute's name.
func isStopWord(w string) bool {
	switch strings.ToLower(w) {
	case "is", "was", "that", "which", "in", "of", "for", "the", "a", "an", "does", "not", "can", "cannot", "mapping", "mappings", "value", "values",
		"could", "would", "should", "must", "may", "might", "will", "has", "had", "have", "are", "were", "be", "did", "to", "on", "with", "from", "name", "named":
		return true
	}
	return false
}

var (
	expressionRE     = regexp.MustCompile(`(?i)\bexpressions?\b`)
	notMappingExprRE = regexp.MustCompile(`(?i)regular expression|\bregex|match(?:es)? the expression|\bpattern\b`)
	mappingFuncRE    = regexp.MustCompile(`\b(?:SingleAppRoleAssignment|AppRoleAssignmentsComplex|AssertiveAppRoleAssignmentsComplex|IgnoreFlowIfNullOrEmpty|SelectUniqueValue|NormalizeDiacritics|IsPresent|IsNullOrEmpty|FormatDateTime|DateFromNum|NumFromDate|StripSpaces|ConvertToBase64|ConvertToUTF8Hex|RandomString|RemoveDuplicates|PCase|IIF|Switch)\s*\(`)
)

// expressionProblem reports whether the newest entry's reason says an
// attribute-mapping expression failed (and not, say, that the app's value
// check, a regular expression, refused a value).
func expressionProblem(c *Case) bool {
	if c.Latest == nil || c.Latest.Error == nil {
		return false
	}
	s := c.Latest.Error.Reason + " " + c.Latest.Error.AdditionalDetails
	if notMappingExprRE.MatchString(s) {
		return false
	}
	return expressionRE.MatchString(s) || mappingFuncRE.MatchString(s)
}
