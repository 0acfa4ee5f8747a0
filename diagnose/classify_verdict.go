package diagnose

// This file turns a Finding (classify.go) into a verdict and gives the
// rules that read findings their shared placeholders and evidence.

import "strings"

// Category is the verdict a finding gives for an entry that tried the
// action a.
func (f Finding) Category(a Action) Category {
	switch f.Problem {
	case ProblemConflict:
		return MatchingConflict
	case ProblemRequired:
		return MissingRequiredAttribute
	case ProblemLicense:
		return LicenseLimit
	case ProblemPermission, ProblemCredentials:
		return TargetPermission
	case ProblemTransient:
		return TargetTransient
	case ProblemUnknownAttribute, ProblemImmutable, ProblemContainer:
		return AttributeMapping
	case ProblemBadValue:
		// A value refused for a named attribute is a mapping to fix; a
		// request refused as a whole is the app's to explain.
		if f.Attribute != "" || f.AD {
			return AttributeMapping
		}
		return TargetRejected
	case ProblemNotFound:
		if changesExisting(a) {
			return InvalidAnchor
		}
		return TargetRejected
	case ProblemDomain:
		return InvalidDomain
	case ProblemReference:
		return ReferenceUnresolved
	case ProblemMatchingValue:
		return MatchingAttributeMissing
	case ProblemTenantPolicy:
		return CrossTenantPolicy
	default:
		return TargetRejected
	}
}

// changesExisting reports whether an action works on an account the
// service created or matched earlier.
func changesExisting(a Action) bool {
	switch a {
	case ActionUpdate, ActionDisable, ActionDelete, ActionStagedDelete:
		return true
	}
	return false
}

// finding is a case's newest entry read in layers.
type finding struct {
	f  Finding
	ok bool
}

// caseFinding reads the newest entry of a case, when it failed; the
// reading is done once per case.
func caseFinding(c *Case) (Finding, bool) {
	if c.finding == nil {
		c.finding = &finding{}
		if c.Latest != nil && (c.Latest.Status == ResultFailure || c.Latest.Status == ResultWarning) {
			c.finding.f, c.finding.ok = ReadFailure(c.Latest)
		}
	}
	return c.finding.f, c.finding.ok
}

// appOverrules reports whether the entry says more than a generic code
// does, and it leads to another verdict than own: a code that names the
// problem, a scimType, or the app's own words. The rules for generic codes
// (the app "answered with an error", a protocol error) step aside then, and
// the signal rules decide; when the words lead to the generic rule's own
// verdict, it keeps deciding and quotes them ({appsays}).
func appOverrules(c *Case, own Category) bool {
	f, ok := appWordsFinding(c)
	return ok && f.Category(c.Latest.Action) != own
}

// appWordsFinding is the finding when the entry says more than its generic
// code: a code that names the problem, a scimType, or the app's words.
func appWordsFinding(c *Case) (Finding, bool) {
	f, ok := caseFinding(c)
	if !ok || f.Layer == LayerHTTP || !genericCode(c.Code()) {
		return Finding{}, false
	}
	return f, true
}

// appSpeaks reports whether the entry says more than its generic code at
// all: for rules whose sentence would then be wrong whatever the verdict
// (E08's "the service could not parse the answer").
func appSpeaks(c *Case) bool {
	_, ok := appWordsFinding(c)
	return ok
}

// signInRefused reports whether the app's words say the sign-in itself was
// refused (an expired token), which E01's "signed in, but not allowed"
// would contradict.
func signInRefused(c *Case) bool {
	f, ok := appWordsFinding(c)
	return ok && f.Problem == ProblemCredentials
}

// signalSays returns a predicate: the newest entry's finding gives the
// category, and no attribute the required-value rules A01/A02 check is
// involved.
func signalSays(cat Category, also func(c *Case, f Finding) bool) func(c *Case) bool {
	return func(c *Case) bool {
		f, ok := caseFinding(c)
		if !ok || f.Category(c.Latest.Action) != cat || len(requiredAttrFindings(c)) > 0 {
			return false
		}
		return also == nil || also(c, f)
	}
}

// signalVars fills the placeholders the signal rules share, on top of the
// failure placeholders:
//
//	{appquote}  the app's words, verbatim, in quotation marks; or what
//	            the entry holds instead
//	{saidin}    the field the words come from
//	{signal}    what was read: "the app's SCIM error type uniqueness (HTTP 409)"
//	{attr}      the attribute the message names, or a stand-in phrase
//	{attrin}    " (attribute X)", or that the message names none
//	{withcode}  " with CODE" or " (no error code was logged)"
func signalVars(own func(c *Case) map[string]string) func(c *Case) map[string]string {
	return withFailureVars(func(c *Case) map[string]string {
		f, _ := caseFinding(c)
		v := map[string]string{
			"appquote": "no words of its own (the entry logs only the error code and status)",
			"saidin":   "the reason",
			"signal":   nonEmpty(f.Signal, "the entry"),
			"attr":     "the attribute in the app's message",
			"attrin":   " (the message names no attribute)",
			"withcode": " (no error code was logged)",
		}
		if c.Latest.Error != nil && strings.TrimSpace(c.Latest.Error.Reason+c.Latest.Error.AdditionalDetails) == "" {
			v["appquote"] = "no words of its own (the entry logs no reason)"
		}
		if f.Said != "" {
			v["appquote"] = "“" + f.Said + "”"
			if f.Truncated {
				v["appquote"] += " (the app's answer was cut off)"
			}
			v["saidin"] = f.SaidIn
		}
		if f.Attribute != "" {
			v["attr"] = f.Attribute
			v["attrin"] = " (attribute " + f.Attribute + ")"
		}
		if code := c.Code(); code != "" {
			v["withcode"] = " with " + code
		}
		if own != nil {
			for k, val := range own(c) {
				v[k] = val
			}
		}
		return v
	})
}

// signalEvidence lists what the verdict rests on: the failure's evidence,
// the app's words verbatim, and the signal that decided.
func signalEvidence(c *Case) []Evidence {
	ev := failureEvidence(c)
	f, ok := caseFinding(c)
	if !ok {
		return ev
	}
	e := c.Latest
	add := func(field, value string) {
		ev = append(ev, Evidence{Field: field, Value: value, ChangeID: e.ChangeID, CycleID: e.CycleID, Time: e.ActivityTime})
	}
	add("signal ("+string(f.Layer)+")", f.Signal)
	if f.Said != "" {
		add("app's words (verbatim, from "+f.SaidIn+")", f.Said)
	}
	if f.SCIMType != "" {
		add("scimType", f.SCIMType)
	}
	if f.Attribute != "" {
		add("attribute named", f.Attribute)
	}
	return ev
}

// appQuoted is the finding's verbatim words for rules outside the signal
// family ({appsays}), or "" when the app's words were not found.
func appQuoted(c *Case) string {
	f, ok := caseFinding(c)
	if !ok || f.Said == "" || f.Layer == LayerCode && f.SaidIn == "" {
		return ""
	}
	return "“" + f.Said + "”"
}

// hasAny reports whether s contains any of the words, ignoring case.
func hasAny(s string, words ...string) bool {
	ls := strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(ls, strings.ToLower(w)) {
			return true
		}
	}
	return false
}
