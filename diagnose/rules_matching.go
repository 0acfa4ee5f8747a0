package diagnose

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// matchingRules explain matching, duplicate and link problems (facts §3.1
// D). M01 (no match, so create) is an outcome rule; M05 (a missed match
// that created a second account), M08 (matching precedence) and M11 (a
// group's empty matching property) leave no trace in a user's own entries.
var matchingRules = []Rule{
	{
		// M10: a guest's identifier clashes or carries a foreign domain.
		// Listed before M02 so that it wins the tie on the same codes.
		ID: "M10", Family: FamilyMatching, Category: GuestUserMapping, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"Conflict", "EntryConflict", "InvalidDomain"},
		When:     func(c *Case) bool { return matchGuest(c) && matchIdentifierInvolved(c) },
		Headline: "{user} is a guest, and {app} could not use the sign-in name sent for them, so their account could not be set up.",
		EndUser: "You are a guest in this company's directory. " +
			"Your name here is built from the email address of your own company. " +
			"{app} could not use it to set up your account at {time}. " +
			"An admin has to change how names of guests are sent to {app}.",
		HelpDesk: "{user} is a B2B guest ({guestnote}). The {action} failed at {time} with {code} (change {change}). {httpnote}" +
			"When userPrincipalName is mapped, the service strips #EXT# and the host domain and sends only alias@theirdomain, " +
			"which can clash with an existing account or carry a domain {app} does not accept. The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk you are a guest and could not get a {app} account. They need the {app} admin."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In the {app} attribute mappings, send guests' identifier from user.mail (for example Switch([userType], [userPrincipalName], \"Guest\", [mail])), or map originalUserPrincipalName when the full value is needed."},
			{PartyAppAdmin, "Check that {app} supports guest users at all: many apps need manual setup or invitations for them, and single sign-on for guests needs SAML configuration."},
			{PartyHelpDesk, "Once the mapping is fixed, provision {user} on demand to confirm."},
		},
		Vars:     matchVars,
		Evidence: matchEvidence,
		Article:  articleHowWorks,
	},
	{
		// M02: an account with the same unique value already exists.
		ID: "M02", Family: FamilyMatching, Category: MatchingConflict, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"Conflict", "EntryConflict"},
		Headline: "{app} already has another account that uses one of {user}'s unique details, so {user}'s account could not be set up.",
		EndUser: "{app} already has an account that uses one of your details, such as your email or user name. " +
			"It could not tell whether that account is yours, so your {app} account could not be set up. " +
			"An admin has to sort out which account is yours.",
		HelpDesk: "The {action} for {user} failed at {time} with {code} (change {change}, cycle {cycle}). {httpnote}" +
			"A record in {app} already holds a unique value that {user}'s account needs, and matching did not link that record to {user}. " +
			"{clash} The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check your {app} account. They will work out with the {app} admin which account is yours."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In {app}, find the record that holds the clashing value. If it is {user}'s own older account, let matching find it: align the value in Entra or in {app}, or change the matching attribute so the existing account is matched and taken over."},
			{PartyHelpDesk, "If the record belongs to someone else, make {user}'s value unique in Entra (for example the UPN or mail), or take {user} out of scope until it is sorted out."},
		},
		Vars:     matchVars,
		Evidence: matchEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// M03: several app accounts match.
		ID: "M03", Family: FamilyMatching, Category: DuplicateMatch, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"DuplicateTargetEntries"},
		Headline: "{app} has more than one account that matches {user}, so it cannot tell which one is theirs.",
		EndUser: "{app} has more than one account that looks like yours. " +
			"It cannot tell which one is yours, so it did not change any of them at {time}. " +
			"An admin has to remove or merge the extra ones.",
		HelpDesk: "The {action} for {user} failed at {time} with {code} (change {change}): more than one {app} account has " +
			"{user}'s value for the matching attribute, so the service cannot choose. {matchvalue} The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to check for extra {app} accounts in your name."}},
		Do: []Recommendation{
			{PartyAppAdmin, "In {app}, delete or merge the duplicate accounts so that only one holds {user}'s matching value."},
			{PartyAppAdmin, "Or change the matching attributes of the {app} mapping so that they identify exactly one account."},
		},
		Vars:     matchVars,
		Evidence: matchEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// M04: several directory users match.
		ID: "M04", Family: FamilyMatching, Category: DuplicateMatch, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"DuplicateSourceEntries"},
		Headline: "More than one directory user has the same matching value as {user}, so {app} cannot tell them apart.",
		EndUser: "Another account in the company directory shares a detail with yours, such as an email address. " +
			"{app} cannot tell the two apart, so it did not set up your account at {time}. " +
			"The help desk can fix the shared detail.",
		HelpDesk: "The {action} for {user} failed at {time} with {code} (change {change}): more than one Entra user has the same value " +
			"for the matching attribute. {matchvalue} The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to fix the detail your account shares with another one."}},
		Do: []Recommendation{
			{PartyHelpDesk, "Find the other Entra users with the same value (search users by that UPN or mail) and make the value unique."},
			{PartyAppAdmin, "Or match on an attribute that is unique in Entra, such as objectId mapped to externalId."},
		},
		Vars:     matchVars,
		Evidence: matchEvidence,
		Article:  articleAnalyzeLogs,
	},
	{
		// M09: the linked account no longer exists.
		ID: "M09", Family: FamilyMatching, Category: InvalidAnchor, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"InvalidAnchor"},
		Headline: "The {app} account that {user} was linked to no longer exists, so changes to it fail.",
		EndUser: "Your {app} account was linked to your work account. " +
			"That {app} account seems to be gone now, so changes cannot reach it. " +
			"An admin has to bring it back or link you again.",
		HelpDesk: "The {action} for {user} failed at {time} with {code} (change {change}): the {app} account the service created or matched " +
			"earlier (target id {target}) no longer exists, but the stored link (object connection) still points at it. The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk your {app} account seems to be gone. The {app} admin can link you again."}},
		Do: []Recommendation{
			{PartyAppAdmin, "If the account was deleted in {app} by mistake, restore it; the link then works again."},
			{PartyAppAdmin, "Otherwise remove the stale link: fix the data if matching needs it; GET /beta/servicePrincipals/{spid}/synchronization/jobs/{job}/objectConnections('{objectid}') to confirm it; pause the job; DELETE that object connection; provision {user} on demand (a new account is matched or created); check it; start the job again."},
			{PartyAppAdmin, "A restart of the job through Graph also forces re-matching, but for every user: it runs a new initial cycle, clears the cache, and some events may be dropped."},
		},
		Vars:     matchVars,
		Evidence: matchEvidence,
		Article:  articleObjConn,
	},
	{
		// M12: the app answers one lookup with several objects.
		ID: "M12", Family: FamilyMatching, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		Codes:    []string{"SystemForCrossDomainIdentityManagementMultipleEntriesInResponse"},
		Headline: "{app} answered a lookup for {user} with several accounts instead of one, so provisioning could not go on.",
		EndUser: "When the system looked up your account in {app}, {app} sent back more than one answer. " +
			"It should send only one. This is a problem in {app}, so its maker has to fix it.",
		HelpDesk: "The {action} for {user} failed at {time} with {code} (change {change}): a GET meant to return one user or group returned several. " +
			"The {app} SCIM endpoint does not honour the filter (userName eq …) or excludedAttributes=members. {httpnote}The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk. The people who make {app} have to fix this."}},
		Do: []Recommendation{
			{PartyVendor, "Fix the {app} SCIM endpoint: a filtered GET (filter=userName eq \"…\") must return only the matching resource, and a group GET must honour excludedAttributes=members."},
			{PartyAppAdmin, "Report it to the {app} vendor with change id {change}; meanwhile check whether duplicate accounts in {app} make the filter match several."},
		},
		Vars:     matchVars,
		Evidence: matchEvidence,
		Article:  articleSCIM,
	},
	{
		// M07: the value used for matching has special characters. A
		// matching-conflict variant rather than a note: when the lookup
		// fails, this is the cause, and the fix is the same as for a
		// conflict (change the value or the matching attribute).
		ID: "M07", Family: FamilyMatching, Category: MatchingConflict, Severity: SeverityError, Tier: TierEntry,
		When: func(c *Case) bool {
			_, _, chars := matchSpecial(c)
			return c.Failed() && matchStepFailed(c) && chars != ""
		},
		Headline: "{user}'s {app} account could not be looked up, because the value used to find it has special characters.",
		EndUser: "{app} finds your account using a detail such as your email or sign-in name. " +
			"Yours has a sign, such as an apostrophe, that the search cannot handle. " +
			"So {app} could not check your account at {time}. The help desk can help.",
		HelpDesk: "Matching failed for {user} at {time} (change {change}, step {step}, code {code}): {specialvalue} contains special characters ({specialchars}). " +
			"The provisioning service cannot run filter queries on values with special characters, so the lookup in {app} fails (known issue). The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Ask the help desk to look at your {app} account. Mention that your email or sign-in name has a sign like an apostrophe in it."}},
		Do: []Recommendation{
			{PartyHelpDesk, "If acceptable, change the value in Entra to one without special characters."},
			{PartyAppAdmin, "Otherwise match {app} users on an attribute without special characters, such as objectId mapped to externalId, or employeeId."},
		},
		Vars:     matchVars,
		Evidence: matchEvidence,
		Article:  articleKnownIssues,
	},
	{
		// M06: the app refused the lookup on the matching attribute. The
		// app's behaviour is the cause, so target-rejected.
		ID: "M06", Family: FamilyMatching, Category: TargetRejected, Severity: SeverityError, Tier: TierEntry,
		When: func(c *Case) bool {
			return c.Failed() && matchStepFailed(c) && (c.HTTPStatus() == 400 || matchFilterWords.MatchString(matchFailureText(c)))
		},
		Headline: "{app} refused the search that provisioning uses to find {user}'s account.",
		EndUser: "To find your account, the system asks {app} to search for one of your details. " +
			"{app} refused that search at {time}. " +
			"An admin has to change which detail is used, or the maker of {app} has to fix it.",
		HelpDesk: "Matching failed for {user} at {time} (change {change}, step {step}, code {code}). {httpnote}" +
			"{app} rejected the filter query used to look {user} up, so it cannot filter on the matching attribute. " +
			"SCIM apps must support filter=<attribute> eq \"value\" (only eq and and are used; users are queried by userName or externalId). The service said: {reason}",
		UserDo: []Recommendation{{PartyHelpDesk, "Tell the help desk that {app} cannot find your account. The {app} admin needs to look at it."}},
		Do: []Recommendation{
			{PartyAppAdmin, "Match on an attribute {app} can filter on (Mappings → Match objects using this attribute), usually userName or externalId; test it with Provision on demand."},
			{PartyVendor, "If {app} should support that attribute, ask the vendor to support eq filters on it."},
		},
		Vars:     matchVars,
		Evidence: matchEvidence,
		Article:  articleAttrMap,
	},
}

// matchFilterWords find a rejected filter query in a step or reason.
var matchFilterWords = regexp.MustCompile(`(?i)\bfilter`)

// matchStepFailed reports whether the newest entry's matching step failed.
func matchStepFailed(c *Case) bool {
	if c.Latest == nil {
		return false
	}
	for _, s := range c.Latest.Steps {
		if s.Type == StepMatching && s.Status == ResultFailure {
			return true
		}
	}
	return false
}

// matchFailureText is the text of the failed matching steps and of the
// error: where a rejected filter query is reported (the scoping step's
// own description always mentions filters, so it is left out).
func matchFailureText(c *Case) string {
	var b strings.Builder
	for _, s := range c.Latest.Steps {
		if s.Type != StepMatching || s.Status != ResultFailure {
			continue
		}
		b.WriteString(s.Description + "\n")
		for _, k := range slices.Sorted(maps.Keys(s.Details)) {
			b.WriteString(k + "=" + s.Details[k] + "\n")
		}
	}
	if e := c.Latest.Error; e != nil {
		b.WriteString(e.Reason + "\n" + e.AdditionalDetails)
	}
	return b.String()
}

// matchGuest reports whether the user is a B2B guest: the directory says
// so, the import says userType Guest, or the UPN has the #EXT# marker.
func matchGuest(c *Case) bool {
	if c.User != nil && c.User.Guest {
		return true
	}
	if c.DetailIs("userType", "Guest") {
		return true
	}
	for _, u := range matchUPNs(c) {
		if strings.Contains(strings.ToUpper(u), "#EXT#") {
			return true
		}
	}
	return false
}

// matchUPNs are the user's UPNs as the directory and the entry show them.
func matchUPNs(c *Case) []string {
	var out []string
	if c.User != nil && c.User.UPN != "" {
		out = append(out, c.User.UPN)
	}
	if c.Latest != nil {
		if u := c.Latest.SourceUPN(); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// matchIdentRE finds the identifier attributes a guest mapping changes.
var matchIdentRE = regexp.MustCompile(`(?i)user\s*name|userprincipalname|\bupn\b|e-?mails?\b|\bmail\b|#EXT#|\blogin\b|sign-?in name`)

// matchIdentifierInvolved reports whether a guest's failure concerns the
// identifier: an invalid domain always does; a conflict does when the
// reason or the modified properties name userName or email.
func matchIdentifierInvolved(c *Case) bool {
	if suffixMatch(c.Code(), []string{"InvalidDomain"}) > 0 {
		return true
	}
	if c.Latest.Error != nil && matchIdentRE.MatchString(c.Latest.Error.Reason+" "+c.Latest.Error.AdditionalDetails) {
		return true
	}
	for _, m := range c.Latest.Modified {
		if matchIdentRE.MatchString(m.Name) {
			return true
		}
	}
	return false
}

// matchAttr is a unique attribute a conflict can be about: how reasons
// name it, and the modified properties that carry it.
type matchAttr struct {
	re    *regexp.Regexp
	label string
	props []string
}

// matchAttrs are tried in order; the generic "name" comes last.
var matchAttrs = []matchAttr{
	{regexp.MustCompile(`(?i)\buser\s*principal\s*name\b|\bupn\b`), "userPrincipalName", []string{"userPrincipalName", "userName"}},
	{regexp.MustCompile(`(?i)\buser\s*name\b`), "userName", []string{"userName", "userPrincipalName", "login"}},
	{regexp.MustCompile(`(?i)\bexternal\s*id\b`), "externalId", []string{"externalId", "objectId"}},
	{regexp.MustCompile(`(?i)\be-?mails?\b|\bmail\b`), "email", []string{`emails[type eq "work"].value`, "emails", "email", "mail"}},
	{regexp.MustCompile(`(?i)\bemployee\s*(?:id|number)\b`), "employee id", []string{"employeeId", "employeeNumber"}},
	{regexp.MustCompile(`(?i)\bnick\s*name\b|\balias\b`), "nickname", []string{"mailNickname", "nickName", "alias"}},
	{regexp.MustCompile(`(?i)\bdisplay\s*name\b`), "displayName", []string{"displayName"}},
	{regexp.MustCompile(`(?i)\bname\b`), "name", []string{"userName", "name", "displayName"}},
}

// matchClash says which unique value clashes, from the reason and the
// modified properties.
func matchClash(c *Case) (sentence string, prop ModifiedProperty, found bool) {
	e := c.Latest
	text := ""
	if e.Error != nil {
		text = e.Error.Reason + " " + e.Error.AdditionalDetails
	}
	for _, a := range matchAttrs {
		if !a.re.MatchString(text) {
			continue
		}
		for _, p := range a.props {
			i := slices.IndexFunc(e.Modified, func(m ModifiedProperty) bool { return strings.EqualFold(m.Name, p) })
			if i >= 0 && e.Modified[i].NewValue != "" {
				m := e.Modified[i]
				return "The reason points at the " + a.label + " value; this entry sent " + m.Name + " = “" + m.NewValue + "”.", m, true
			}
		}
		return "The reason points at the " + a.label + " value, which this entry's modified properties do not show.", ModifiedProperty{}, false
	}
	return "Neither the reason nor the modified properties say which unique value clashes.", ModifiedProperty{}, false
}

// matchValueKeys are the attributes usually used for matching users.
var matchValueKeys = []string{"userPrincipalName", "mail", "userName", "mailNickname", "employeeId", "externalId"}

// matchValues quotes the matching candidates the entry shows.
func matchValues(c *Case) string {
	var parts []string
	for _, k := range matchValueKeys {
		if v, ok := matchValue(c, k); ok {
			parts = append(parts, k+" = “"+v+"”")
		}
	}
	if len(parts) == 0 {
		return "The entry does not show the value used for matching."
	}
	return "Values in this entry that are usually matched on: " + strings.Join(parts, ", ") + "."
}

// matchValue finds an attribute's value in the import step or the
// modified properties.
func matchValue(c *Case, key string) (string, bool) {
	if imp, ok := c.Latest.Step(StepImport); ok {
		if v, ok := imp.Detail(key); ok && strings.TrimSpace(v) != "" {
			return v, true
		}
	}
	for _, m := range c.Latest.Modified {
		if strings.EqualFold(m.Name, key) && m.NewValue != "" {
			return m.NewValue, true
		}
	}
	return "", false
}

// matchSpecialChars are characters the service's filter queries cannot
// carry [known-issues]: quotes, operators, brackets and spaces.
const matchSpecialChars = `'"#&+%\/?=,;*()[]{}<>!$^|~ `

// matchSpecial finds a matching candidate with special characters (the
// guest marker #EXT# aside) and lists them.
func matchSpecial(c *Case) (key, value, chars string) {
	if c.Latest == nil {
		return "", "", ""
	}
	for _, k := range matchValueKeys {
		v, ok := matchValue(c, k)
		if !ok {
			continue
		}
		clean := strings.ReplaceAll(strings.ReplaceAll(v, "#EXT#", ""), "#ext#", "")
		var found []string
		for _, r := range clean {
			if strings.ContainsRune(matchSpecialChars, r) && !slices.Contains(found, string(r)) {
				found = append(found, string(r))
			}
		}
		if len(found) > 0 {
			for i, f := range found {
				if f == " " {
					found[i] = "space"
				}
			}
			return k, v, strings.Join(found, " ")
		}
	}
	return "", "", ""
}

// matchVars fills the placeholders the matching rules use.
func matchVars(c *Case) map[string]string {
	clash, _, _ := matchClash(c)
	v := map[string]string{
		"clash":      clash,
		"matchvalue": matchValues(c),
		"guestnote":  matchGuestNote(c),
		"spid":       orNone(nonEmpty(c.App.ID, c.Latest.ServicePrincipal.ID)),
		"objectid":   orNone(c.Latest.Source.ID),
	}
	if k, val, chars := matchSpecial(c); chars != "" {
		v["specialvalue"] = k + " “" + val + "”"
		v["specialchars"] = chars
	}
	for k, fb := range map[string]string{"code": "(none)", "reason": "(no reason given)", "step": "(no step marked)"} {
		if c.value(k) == "" {
			v[k] = fb
		}
	}
	return v
}

// matchGuestNote says what shows the user is a guest.
func matchGuestNote(c *Case) string {
	var parts []string
	if c.User != nil && c.User.Guest {
		parts = append(parts, "userType Guest")
	}
	for _, u := range matchUPNs(c) {
		if strings.Contains(strings.ToUpper(u), "#EXT#") {
			parts = append(parts, "UPN "+u)
			break
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "the import step says userType Guest")
	}
	return strings.Join(parts, "; ")
}

// matchEvidence quotes the modified properties matching looks at, and the
// value with special characters.
func matchEvidence(c *Case) []Evidence {
	e := c.Latest
	var ev []Evidence
	add := func(field, value string) {
		ev = append(ev, Evidence{Field: field, Value: value, ChangeID: e.ChangeID, CycleID: e.CycleID, Time: e.ActivityTime})
	}
	if _, m, ok := matchClash(c); ok {
		add("modifiedProperties."+m.Name, m.NewValue)
	}
	if k, v, chars := matchSpecial(c); chars != "" {
		add("value with special characters: "+k, v)
	}
	return ev
}
