package diagnose

// This file holds the signals the export rules read from a failure: the
// HTTP status, the app's own message, retry dates, domains, references.

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// requiredCodes say that the app requires a value that is missing (E10).
var requiredCodes = []string{"MandatoryFieldsMissing", "MissingValues"}

// transientRule builds a rule for an error the service retries on its own
// in about 40 minutes (E02–E06): nobody needs to act unless it persists.
func transientRule(id, code, headline, endUser, helpDesk string, ifPersistent Recommendation) Rule {
	return Rule{
		ID: id, Family: FamilyExport, Category: TargetTransient, Severity: SeverityWarning, Tier: TierEntry,
		Codes: []string{code},
		// A protocol error whose reason names a missing required value is
		// A01/A02's; one whose answer names another problem is the signal
		// rules'.
		When:     func(c *Case) bool { return len(requiredAttrFindings(c)) == 0 && !appOverrules(c, TargetTransient) },
		Headline: headline,
		EndUser:  endUser,
		HelpDesk: helpDesk,
		UserDo:   []Recommendation{{PartyNobody, "Nothing for you to do. Try {app} again later. If it still does not work tomorrow, tell the help desk."}},
		Do: []Recommendation{
			{PartyNobody, "Wait for the automatic retry: the provisioning service tries again on its own (see when above)."},
			ifPersistent,
		},
		Estimate: transientEstimate,
		Vars:     withFailureVars(nil),
		Evidence: failureEvidence,
		Article:  articleAnalyzeLogs,
	}
}

// transientEstimate is when a transient failure is retried: the time the
// reason states ("It will be retried again after this date: …") when it is
// still ahead, otherwise the next cycle.
func transientEstimate(c *Case) *Estimate {
	if t, ok := retryDate(c); ok && t.After(c.Now) {
		return retryAfterEstimate(c, t)
	}
	return retryEstimate(c)
}

var retryDateRE = regexp.MustCompile(`(?i)retried again after this date:?\s*([0-9][0-9T:\-./ ]+[0-9](?:\.[0-9]+)?(?:Z| ?[AP]M)?)`)

// retryDate is the retry time a reason states, if any.
func retryDate(c *Case) (time.Time, bool) {
	if c.Latest == nil || c.Latest.Error == nil {
		return time.Time{}, false
	}
	m := retryDateRE.FindStringSubmatch(c.Latest.Error.Reason + " " + c.Latest.Error.AdditionalDetails)
	if m == nil {
		return time.Time{}, false
	}
	s := strings.TrimSpace(m[1])
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02 15:04:05",
		"1/2/2006 3:04:05 PM", "1/2/2006 3:04:05PM", "1/2/2006 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// withFailureVars adds the placeholders every failure rule of these
// families uses to a rule's own ones:
//
//	{opverb}    what the service tried: create, update, turn off, delete
//	{opdone}    the same, done: created, updated, turned off, deleted
//	{appsays}   the app's own message, quoted, when the reason holds one
//	{httpname}  the HTTP status's name ("Forbidden")
//
// It also fills {http} and {httpnote} when the reason gives the status in a
// form the shared parser does not read ("StatusCode: Conflict", "(403)
// Forbidden", a SCIM error's "status": "409"). Quoted JSON keeps its braces:
// placeholders are filled once, so a value is never read as a template.
func withFailureVars(own func(c *Case) map[string]string) func(c *Case) map[string]string {
	return func(c *Case) map[string]string {
		verb, done := opWords(c)
		v := map[string]string{"opverb": verb, "opdone": done, "appsays": appSays(c), "httpname": "no status quoted"}
		if n := targetHTTP(c); n != 0 {
			v["httpname"] = httpStatusName(n)
			if c.HTTPStatus() == 0 {
				v["http"] = strconv.Itoa(n)
				v["httpnote"] = "The app answered with HTTP status " + v["http"] + ". "
			}
		}
		if own != nil {
			for k, val := range own(c) {
				v[k] = val
			}
		}
		return v
	}
}

// opWords says what the newest entry tried to do to the account.
func opWords(c *Case) (verb, done string) {
	if c.Latest == nil {
		return "update", "updated"
	}
	switch c.Latest.Action {
	case ActionCreate:
		return "create", "created"
	case ActionDisable:
		return "turn off", "turned off"
	case ActionDelete, ActionStagedDelete:
		return "delete", "deleted"
	default:
		return "update", "updated"
	}
}

var (
	// statusWordRE reads "StatusCode: Conflict" and "(403) Forbidden".
	statusWordRE = regexp.MustCompile(`(?i)StatusCode:?\s*([A-Za-z]+)|\((\d{3})\)\s*[A-Za-z]`)
	// scimStatusRE reads a SCIM error body's "status": "409".
	scimStatusRE = regexp.MustCompile(`(?i)"status"\s*:\s*"?(\d{3})\b`)
)

// httpStatusNames are the statuses a reason names by word, and the names
// sentences give them.
var httpStatusNames = map[int]string{
	400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
	408: "Request Timeout", 409: "Conflict", 412: "Precondition Failed", 413: "Payload Too Large",
	415: "Unsupported Media Type", 422: "Unprocessable Entity", 429: "Too Many Requests",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

// targetHTTP is the HTTP status the app answered with: the shared parser's
// reading of the reason, or failing that a status named by word
// ("StatusCode: Conflict"), in .NET's "(403) Forbidden" form, or in a SCIM
// error body. 0 when none.
func targetHTTP(c *Case) int {
	if n := c.HTTPStatus(); n != 0 {
		return n
	}
	if c.Latest == nil || c.Latest.Error == nil {
		return 0
	}
	s := c.Latest.Error.Reason + " " + c.Latest.Error.AdditionalDetails
	if m := statusWordRE.FindStringSubmatch(s); m != nil {
		if m[2] != "" {
			if n, err := strconv.Atoi(m[2]); err == nil && n >= 400 && n <= 599 {
				return n
			}
		}
		want := strings.ToLower(m[1])
		for n, name := range httpStatusNames {
			if strings.ToLower(strings.ReplaceAll(name, " ", "")) == want {
				return n
			}
		}
	}
	if m := scimStatusRE.FindStringSubmatch(s); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 100 && n <= 599 {
			return n
		}
	}
	return 0
}

// httpStatusName names a status: "Forbidden", or "HTTP 418".
func httpStatusName(n int) string {
	if s, ok := httpStatusNames[n]; ok {
		return s
	}
	return "HTTP " + strconv.Itoa(n)
}

// appSays is the app's own message in the newest entry's reason, quoted
// verbatim (see classify.go): a SCIM error's detail, the words that name
// the problem, or the web response; otherwise what the entry holds.
func appSays(c *Case) string {
	if c.Latest == nil || c.Latest.Error == nil {
		return "nothing (no reason was logged)"
	}
	if q := appQuoted(c); q != "" {
		return q
	}
	r := newReading(c.Latest)
	if s, _ := r.bodyQuote(); s != "" {
		return "“" + s + "”"
	}
	if s, _ := r.webResponse(); s != "" {
		return "“" + s + "”"
	}
	if strings.TrimSpace(c.Latest.Error.Reason) == "" {
		return "nothing (no reason was logged)"
	}
	return "nothing beyond the service's reason"
}

var (
	patchWordsRE = regexp.MustCompile(`(?i)\bpatch(?:op)?\b`)
	// patchOpRE reads complaints about a PATCH operation's "op" value or
	// its Operations list (not the service's own "This operation was
	// retried" sentence).
	patchOpRE = regexp.MustCompile(`(?i)["']op["']|\b(?:invalid|unsupported|unknown) op\b|\bop (?:value|must|is)\b|["']operations["']`)
)

// patchCompatProblem reports whether the reason shows the app rejecting the
// shape of a PATCH request: a boolean sent as a string, a capitalised op
// value, or a member removal (facts E09, §5.5).
func patchCompatProblem(c *Case) bool {
	if c.Latest == nil || c.Latest.Error == nil {
		return false
	}
	s := strings.ToLower(c.Latest.Error.Reason + " " + c.Latest.Error.AdditionalDetails)
	boolString := strings.Contains(s, "boolean") || strings.Contains(s, `"false"`) || strings.Contains(s, `'false'`) ||
		strings.Contains(s, `"true"`) || strings.Contains(s, `'true'`)
	if patchOpRE.MatchString(s) {
		// The answer complains about a PATCH operation itself.
		return true
	}
	if patchWordsRE.MatchString(s) {
		return boolString || strings.Contains(s, "members")
	}
	return boolString && strings.Contains(s, "active")
}

// patchFlagVars gives the PATCH compatibility advice: the aadOptscim062020
// flag works for non-gallery SCIM apps (job ids starting "scim" or
// "customappsso"); gallery apps need the vendor.
func patchFlagVars(c *Case) map[string]string {
	app := appName(c)
	id := ""
	if c.Job != nil {
		id = c.Job.TemplateID + " " + c.Job.ID
	} else if c.Latest != nil {
		id = c.Latest.JobID
	}
	id = strings.ToLower(strings.TrimSpace(id))
	flag := "add the feature flag aadOptscim062020 to the Tenant URL on the " + app + " Provisioning page " +
		"(for example https://app.example.com/scim?aadOptscim062020), select Test Connection and save: " +
		"the service then sends SCIM-compliant PATCH requests. The flag does not apply to Provision on demand."
	switch {
	case id == "":
		return map[string]string{
			"flagnote":   "If " + app + " is a non-gallery SCIM app, the aadOptscim062020 flag on its Tenant URL switches to compliant requests.",
			"flagadvice": "If " + app + " is a non-gallery SCIM app, " + flag,
		}
	case nonGalleryJob(id):
		return map[string]string{
			"flagnote":   app + " is a non-gallery SCIM app, so the aadOptscim062020 flag on its Tenant URL switches to compliant requests.",
			"flagadvice": strings.ToUpper(flag[:1]) + flag[1:],
		}
	default:
		return map[string]string{
			"flagnote":   app + " is a gallery app, so the aadOptscim062020 flag does not apply: its connector is for Microsoft and the vendor to fix.",
			"flagadvice": "Open a case with Microsoft support and the " + app + " vendor: the app does not accept the gallery connector's requests.",
		}
	}
}

// nonGalleryJob reports whether lowercased job ids or template ids name
// the generic SCIM connector (scim, or the older customappsso).
func nonGalleryJob(ids string) bool {
	for _, f := range strings.Fields(ids) {
		if strings.HasPrefix(f, "scim") || strings.HasPrefix(f, "customappsso") {
			return true
		}
	}
	return false
}

// scopeHintVars explains a refused disable: the app may refuse to change an
// inactive account, and the disable itself may be unintended.
func scopeHintVars(c *Case) map[string]string {
	if c.Latest != nil && c.Latest.Action == ActionDisable {
		return map[string]string{"scopehint": "The request was to turn the account off. If " + caseUserName(c) +
			" should keep access, find out why they left scope: unassigned, disabled or soft-deleted in Entra, or filtered out."}
	}
	return map[string]string{"scopehint": "Provision on demand for " + caseUserName(c) + " shows the exact request and the app's answer."}
}

var (
	domainRE = regexp.MustCompile(`(?i)@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)`)
	// domainNamedRE finds a domain the message names as one: "The domain
	// contoso.io is not verified", "domain 'contoso.io' does not exist".
	domainNamedRE = regexp.MustCompile(`(?i)\bdomain\s+(?:name\s+)?['"‘“]?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)`)
)

// domainIn is the refused domain: the first one the reason names (an
// address's, or one called a domain), else the user's UPN or mail domain
// (marked as such); a group has no UPN to fall back on.
func domainIn(c *Case) string {
	if c.Latest != nil && c.Latest.Error != nil {
		text := c.Latest.Error.Reason + " " + c.Latest.Error.AdditionalDetails
		if m := domainRE.FindStringSubmatch(text); m != nil {
			return strings.ToLower(m[1])
		}
		if m := domainNamedRE.FindStringSubmatch(text); m != nil {
			return strings.ToLower(m[1])
		}
	}
	if c.isGroup() {
		return "the log does not say which"
	}
	upn := ""
	if c.User != nil {
		upn = c.User.UPN
	}
	if upn == "" && c.Latest != nil {
		upn = c.Latest.SourceUPN()
	}
	if m := domainRE.FindStringSubmatch(upn); m != nil {
		return strings.ToLower(m[1]) + ", the domain of the UPN " + upn
	}
	return "the log does not say which"
}

const unresolvedRef = "unabletoresolvereferenceattributevalue"

// referenceUnresolved reports whether the newest entry says a reference
// attribute could not be resolved: the KQL marker in its steps or reason,
// a failed reference-resolution step, or the "unable to assign … as the
// members of …" message.
func referenceUnresolved(c *Case) bool {
	if c.Latest == nil {
		return false
	}
	t := strings.ToLower(c.StepText())
	if strings.Contains(t, unresolvedRef) || (strings.Contains(t, "unable to assign") && strings.Contains(t, "as the member")) {
		return true
	}
	for _, s := range c.Latest.Steps {
		if s.Type == StepReferenceResolution && s.Status == ResultFailure {
			return true
		}
	}
	return false
}

var managerRE = regexp.MustCompile(`(?i)\bmanager\b`)

// managerReference reports whether the unresolved reference is the
// user's manager (D09, the lifecycle family's).
func managerReference(c *Case) bool {
	_, text := referenceStep(c)
	return managerRE.MatchString(text)
}

// referenceStep finds the step (or reason) that reports the unresolved
// reference, and its text.
func referenceStep(c *Case) (Step, string) {
	if c.Latest == nil {
		return Step{}, ""
	}
	for _, s := range c.Latest.Steps {
		t := s.Description
		keys := make([]string, 0, len(s.Details))
		for k := range s.Details {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			t += " " + k + "=" + s.Details[k]
		}
		lt := strings.ToLower(s.Name + " " + t)
		if strings.Contains(lt, unresolvedRef) || strings.Contains(lt, "unable to assign") ||
			(s.Type == StepReferenceResolution && s.Status == ResultFailure) {
			return s, strings.TrimSpace(t)
		}
	}
	if c.Latest.Error != nil {
		return Step{}, strings.TrimSpace(c.Latest.Error.Reason + " " + c.Latest.Error.AdditionalDetails)
	}
	return Step{}, ""
}

// referenceVars quote where the unresolved reference was reported.
func referenceVars(c *Case) map[string]string {
	s, text := referenceStep(c)
	step := "none named (the reason reports it)"
	if s.Name != "" || s.Type != "" {
		step = stepLabel(s)
	}
	switch {
	case text == "":
		text = "nothing more"
	case s.Name != "" || s.Type != "":
		text = quoteStep(s)
	default:
		text = quote(c.Latest.Error.Reason)
	}
	return map[string]string{"refstep": step, "refdetail": text}
}

// testConnectionFailed returns the failed "Test connection" step, if any.
func testConnectionFailed(c *Case) (Step, bool) {
	if c.Latest == nil || c.Latest.Status == ResultSuccess {
		return Step{}, false
	}
	for _, s := range c.Latest.Steps {
		if s.Status == ResultFailure && (strings.Contains(foldKey(s.Name), "testconnection") || strings.HasPrefix(foldKey(s.Description), "testconnection")) {
			return s, true
		}
	}
	return Step{}, false
}

// failureEvidence adds the HTTP status read from the reason (by name, so
// that it can be filtered on), and the attributes A01/A02 found missing.
func failureEvidence(c *Case) []Evidence {
	e := c.Latest
	if e == nil {
		return nil
	}
	var ev []Evidence
	add := func(field, value string) {
		ev = append(ev, Evidence{Field: field, Value: value, ChangeID: e.ChangeID, CycleID: e.CycleID, Time: e.ActivityTime})
	}
	if n := targetHTTP(c); n != 0 {
		add("HTTP status (from reason)", strconv.Itoa(n)+" "+httpStatusName(n))
	}
	for _, f := range requiredAttrFindings(c) {
		state := "not sent (absent from the import details and modified properties)"
		if f.empty {
			state = "empty"
		}
		add("required attribute "+f.named, f.group.names[0]+": "+state)
	}
	return ev
}
