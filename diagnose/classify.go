package diagnose

// This file reads a failed entry in layers and says what went wrong, in
// terms every app shares, with the app's own words quoted verbatim:
//
//  1. the error code, when its name says what went wrong
//     (SalesforceDuplicateUserName, HybridSynchronizationActiveDirectory…);
//  2. the SCIM error body's scimType (RFC 7644 §3.12);
//  3. the app's message, when it names the problem ("already exists",
//     "must be active", REQUIRED_FIELD_MISSING, LDAP results…);
//  4. the HTTP status: in the reason text, in the body, or in the name of
//     a SystemForCrossDomainIdentityManagement<Status> code.
//
// The first layer that speaks decides. Codes the rule catalogue knows are
// matched by the rules themselves (rule.go); the rules of the signals
// family (rules_signals.go, rules_hrinbound.go) read a Finding when no
// such code rule decides, or when the code only names an HTTP status or
// "the app's answer was unexpected". RULES.md lists every signal and the
// article it rests on.

import (
	"regexp"
	"strconv"
	"strings"
)

// Problem is what went wrong with a request to the target, in terms every
// app shares.
type Problem string

// The problems a failed entry can name.
const (
	// ProblemConflict: a value that must be unique is already taken.
	ProblemConflict Problem = "conflict"
	// ProblemRequired: a value the target requires is missing.
	ProblemRequired Problem = "required-value"
	// ProblemLicense: the target has no licence or seat left.
	ProblemLicense Problem = "licence"
	// ProblemPermission: signed in, but not allowed to do this.
	ProblemPermission Problem = "permission"
	// ProblemCredentials: the sign-in itself was refused.
	ProblemCredentials Problem = "credentials"
	// ProblemTransient: the target was busy, down or throttling.
	ProblemTransient Problem = "transient"
	// ProblemUnknownAttribute: the target has no such attribute or path.
	ProblemUnknownAttribute Problem = "unknown-attribute"
	// ProblemImmutable: the attribute cannot be changed once set.
	ProblemImmutable Problem = "immutable"
	// ProblemBadValue: a value has a form or size the target refuses.
	ProblemBadValue Problem = "bad-value"
	// ProblemRefused: the target refused for a reason of its own (the
	// account's state, a reserved name, a malformed request).
	ProblemRefused Problem = "refused"
	// ProblemNotFound: the object the request names does not exist.
	ProblemNotFound Problem = "not-found"
	// ProblemContainer: the directory container (OU, parent
	// distinguished name) the request names is wrong or out of reach.
	ProblemContainer Problem = "container"
	// ProblemDomain: a domain the target does not accept.
	ProblemDomain Problem = "domain"
	// ProblemReference: a referenced object (group member, manager) is
	// not in the target.
	ProblemReference Problem = "reference"
	// ProblemFilter: the target cannot run the lookup query.
	ProblemFilter Problem = "filter"
	// ProblemProtocol: the target does not speak the protocol as sent
	// (SCIM version, media type, sensitive data in a URI).
	ProblemProtocol Problem = "protocol"
	// ProblemMatchingValue: the user lacks the value objects are matched
	// on, so the service cannot look the account up.
	ProblemMatchingValue Problem = "matching-value"
	// ProblemTenantPolicy: a tenant's cross-tenant access or external
	// collaboration settings refuse the invitation or the sync.
	ProblemTenantPolicy Problem = "tenant-policy"
)

// Layer is which part of a failed entry named the problem.
type Layer string

// The layers, in the order they are read.
const (
	LayerCode   Layer = "error code"
	LayerSCIM   Layer = "SCIM error type"
	LayerVendor Layer = "app message"
	LayerHTTP   Layer = "HTTP status"
)

// Finding is what a failed entry says went wrong.
type Finding struct {
	// Problem is what went wrong; Layer is where the entry said so.
	Problem Problem
	Layer   Layer
	// Signal says what was read, as a noun phrase for people: "the
	// app's SCIM error type uniqueness (HTTP 409)", "HTTP 409 (Conflict)",
	// "the app's message (“already exists”)", "the error code X".
	Signal string
	// Said is the app's own words, verbatim: always a substring of the
	// entry's reason or additional details; "" when the deciding layer
	// quotes nothing (a bare code or status).
	Said string
	// SaidIn names the field Said was taken from.
	SaidIn string
	// Status is the HTTP status the target answered with, from the text,
	// the body, or the name of the code; 0 when unknown.
	Status int
	// StatusFromCode is true when Status was read from the code's name
	// only (the text does not quote it).
	StatusFromCode bool
	// SCIMType is the body's scimType as the app spelled it.
	SCIMType string
	// Attribute is the attribute the message names, as spelled there.
	Attribute string
	// AD is true when the target is on-premises Active Directory (HR- or
	// API-driven inbound provisioning through the provisioning agent).
	AD bool
	// Truncated is true when the app's body was cut off.
	Truncated bool
}

// ReadFailure reads a failed (or warning) entry in layers and returns what
// it says went wrong; ok is false when no layer speaks, or the entry did
// not fail.
func ReadFailure(e *Entry) (f Finding, ok bool) {
	if e == nil || e.Error == nil || e.Status == ResultSuccess || e.Status == ResultSkipped {
		return Finding{}, false
	}
	r := newReading(e)
	f = Finding{AD: r.ad, Status: r.status, StatusFromCode: r.statusFromCode,
		SCIMType: r.body.scimType, Truncated: r.body.truncated}
	switch {
	case r.fromCode(&f):
	case r.fromSCIMType(&f):
	case r.fromMessage(&f):
	case r.fromStatus(&f):
	default:
		return f, false
	}
	if f.Attribute == "" {
		f.Attribute = r.attribute(f.Said)
	}
	return f, true
}

// reading is a failed entry being read.
type reading struct {
	e    *Entry
	code string
	// fields are the texts quotes may come from, in order.
	fields []field
	body   scimBody
	// bodyIn is the field the body was read from.
	bodyIn         string
	status         int
	statusFromCode bool
	ad             bool
}

// field is a text of the entry and its name.
type field struct{ name, text string }

func newReading(e *Entry) *reading {
	r := &reading{e: e, code: strings.TrimSpace(e.Error.Code)}
	r.fields = []field{{"errorInformation.reason", e.Error.Reason}, {"errorInformation.additionalDetails", e.Error.AdditionalDetails}}
	for _, f := range r.fields {
		if b := readSCIMBody(f.text); b.found() {
			r.body, r.bodyIn = b, f.name
			break
		}
	}
	r.status = httpStatusIn(e.Error.Reason + " " + e.Error.AdditionalDetails)
	if r.status == 0 {
		r.status = statusWordIn(e.Error.Reason + " " + e.Error.AdditionalDetails)
	}
	if r.status == 0 {
		r.status = r.body.status
	}
	if r.status == 0 {
		if n := statusFromCodeName(r.code); n != 0 {
			r.status, r.statusFromCode = n, true
		}
	}
	r.ad = adTarget(e, r.code)
	return r
}

// fromCode reads a code whose name says what went wrong (layer 1).
func (r *reading) fromCode(f *Finding) bool {
	p, ok := codeProblem(r.code)
	if !ok {
		return false
	}
	f.Problem, f.Layer = p, LayerCode
	f.Signal = "the error code " + r.code
	// The code decides; the words with it are still worth quoting: the
	// app's words naming the problem, else the reason's first sentence.
	if s, in, _ := r.appWords(p); s != "" {
		f.Said, f.SaidIn = s, in
	} else if s, in := r.leadQuote(); s != "" {
		f.Said, f.SaidIn = s, in
	}
	return true
}

// leadQuote is the first sentence of the first field with words other
// than the service's boilerplate, verbatim.
func (r *reading) leadQuote() (string, string) {
	for _, fl := range r.fields {
		masked := maskBoilerplate(fl.text)
		k := strings.IndexFunc(masked, func(c rune) bool { return c != ' ' && c != '\t' && c != '\r' && c != '\n' })
		if k < 0 {
			continue
		}
		if q := clause(fl.text, frameEnd(fl.text, k), k, k+1); q != "" {
			return q, fl.name
		}
	}
	return "", ""
}

// fromSCIMType reads the body's scimType (layer 2).
func (r *reading) fromSCIMType(f *Finding) bool {
	p, ok := scimTypeProblem(r.body.scimType)
	if !ok {
		return false
	}
	// RFC 7644: invalidValue covers a missing required value too; the
	// detail says which.
	if p == ProblemBadValue && r.body.detail != "" && requiredWordsRE.MatchString(r.body.detail) {
		p = ProblemRequired
	}
	f.Problem, f.Layer = p, LayerSCIM
	f.Signal = "the app's SCIM error type " + r.body.scimType
	if r.status != 0 {
		f.Signal += " (HTTP " + itoa(r.status) + ")"
	}
	f.Said, f.SaidIn = r.bodyQuote()
	return true
}

// fromMessage reads the app's message for words that name the problem
// (layer 3).
func (r *reading) fromMessage(f *Finding) bool {
	phrases := vendorPhrases
	if !r.statusFromCode && (r.status == 429 || r.status >= 500) {
		// A busy or failing server's words about being busy come first:
		// "required service unavailable" is not a missing value.
		phrases = append([]vendorPhrase{{problem: ProblemTransient}}, vendorPhrases...)
	}
	for _, vp := range phrases {
		s, in, marker := r.appWords(vp.problem)
		if s == "" {
			continue
		}
		p := vp.problem
		if vp.adjust != nil {
			p = vp.adjust(r, marker)
		}
		f.Problem, f.Layer = p, LayerVendor
		f.Signal = "the app's message (“" + marker + "”)"
		f.Said, f.SaidIn = s, in
		return true
	}
	return false
}

// fromStatus reads the HTTP status (layer 4).
func (r *reading) fromStatus(f *Finding) bool {
	p, ok := statusProblem(r.status, r.e.Action)
	if !ok {
		return false
	}
	f.Problem, f.Layer = p, LayerHTTP
	f.Signal = "HTTP " + itoa(r.status) + " (" + httpStatusName(r.status) + ")"
	if r.statusFromCode {
		f.Signal += ", from the error code's name"
	}
	if s, in := r.bodyQuote(); s != "" {
		f.Said, f.SaidIn = s, in
	} else if s, in := r.webResponse(); s != "" {
		f.Said, f.SaidIn = s, in
	}
	return true
}

// bodyQuote is what to quote of the SCIM body: its detail, else the whole
// body when it is short.
func (r *reading) bodyQuote() (string, string) {
	if r.body.detail != "" {
		return clip(r.body.detail), r.bodyIn
	}
	if r.body.raw != "" {
		return r.body.raw, r.bodyIn
	}
	return "", ""
}

var webResponseWordsRE = regexp.MustCompile(`(?is)Web Response:\s*`)

// webResponse is the app's answer after "Web Response:" when it is short
// prose (not JSON), verbatim.
func (r *reading) webResponse() (string, string) {
	for _, fl := range r.fields {
		loc := webResponseWordsRE.FindStringIndex(fl.text)
		if loc == nil {
			continue
		}
		rest := fl.text[loc[1]:]
		if i := strings.Index(rest, ". This operation was retried"); i >= 0 {
			rest = rest[:i]
		} else if i := strings.Index(rest, "This operation was retried"); i >= 0 {
			rest = rest[:i]
		}
		rest = strings.TrimSpace(rest)
		if rest == "" || strings.ContainsAny(rest, "{}<>") || len(rest) > maxQuote {
			continue
		}
		return rest, fl.name
	}
	return "", ""
}

// appWords finds the app's words that name a problem: in the SCIM body's
// detail first, then in the reason and additional details with the
// provisioning service's own boilerplate left out. It returns the clause
// to quote, the field it is in, and the words that matched.
func (r *reading) appWords(p Problem) (quote, in, marker string) {
	res := phraseREs[p]
	if len(res) == 0 {
		return "", "", ""
	}
	if d := r.body.detail; d != "" {
		for _, re := range res {
			if m := re.FindStringIndex(d); m != nil {
				return clip(d), r.bodyIn, d[m[0]:m[1]]
			}
		}
	}
	for _, fl := range r.fields {
		masked := maskBoilerplate(fl.text)
		for _, re := range res {
			if m := re.FindStringIndex(masked); m != nil {
				return clause(fl.text, frameEnd(fl.text, m[0]), m[0], m[1]), fl.name, fl.text[m[0]:m[1]]
			}
		}
	}
	return "", "", ""
}

// frameRE finds the provisioning service's framing before an app's words:
// "StatusCode: Conflict", "Message:", "Web Response:".
var frameRE = regexp.MustCompile(`(?i)\bStatusCode:\s*\w+|\bMessage:|\bWeb Response:`)

// frameEnd is where the service's framing before position i ends (0 when
// there is none), so that a quote starts with the app's own words.
func frameEnd(s string, i int) int {
	end := 0
	for _, loc := range frameRE.FindAllStringIndex(s[:i], -1) {
		end = loc[1]
	}
	return end
}

// boilerplate is what the provisioning service writes around every app
// answer; words in it name no problem of the app's.
var boilerplate = []string{
	"Processing of the HTTP request resulted in an exception.",
	"Please see the HTTP response returned by the 'Response' property of this exception for details.",
	"See the HTTP response returned by the 'Response' property of this exception for details.",
	"The SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client.",
	"Please refer to the Azure Active Directory SCIM provisioning documentation and adapt the SCIM endpoint to be able to process provisioning requests from Azure Active Directory.",
	"We are not able to deserialize the resource received from your SCIM endpoint because your SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client.",
	"Here is the resource we received from your SCIM endpoint:",
}

var retryTailRE = regexp.MustCompile(`(?is)This operation was retried \d+ times?\.?(?:\s*It will be retried again after this date:[^\n]*)?`)

// maskBoilerplate blanks the service's boilerplate in s (keeping every
// other byte where it is, so that matches index s itself).
func maskBoilerplate(s string) string {
	b := []byte(s)
	blank := func(i, j int) {
		for k := i; k < j; k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
	}
	for _, bp := range boilerplate {
		for i := 0; ; {
			j := strings.Index(s[i:], bp)
			if j < 0 {
				break
			}
			blank(i+j, i+j+len(bp))
			i += j + len(bp)
		}
	}
	for _, loc := range retryTailRE.FindAllStringIndex(s, -1) {
		blank(loc[0], loc[1])
	}
	return string(b)
}

// clause is the sentence of s around s[i:j]: from the previous sentence
// end, line break or lo to the next sentence end, at most maxQuote bytes,
// verbatim.
func clause(s string, lo, i, j int) string {
	stop := func(c byte) bool {
		return c == '\n' || c == '\r' || c == '"' || c == '{' || c == '}' || c == '[' || c == ']'
	}
	start := i
	for start > lo && !stop(s[start-1]) {
		if s[start-1] == ' ' && start >= 2 && strings.IndexByte(".!?", s[start-2]) >= 0 {
			break
		}
		start--
	}
	end := j
	for end < len(s) && !stop(s[end]) {
		end++
		if strings.IndexByte(".!?", s[end-1]) >= 0 && end > j && (end == len(s) || s[end] == ' ' || stop(s[end])) {
			break
		}
	}
	q := strings.TrimRight(strings.TrimSpace(s[start:end]), ",;:\\ ")
	if len(q) <= maxQuote {
		return q
	}
	// Keep a window around the match, cut at spaces.
	from, to := max(i-maxQuote/2, start), min(j+maxQuote/2, end)
	if k := strings.IndexByte(s[from:i], ' '); k >= 0 && from > start {
		from += k + 1
	}
	if k := strings.LastIndexByte(s[j:to], ' '); k >= 0 && to < end {
		to = j + k
	}
	return strings.TrimSpace(s[from:to])
}

// clip shortens a quote to maxQuote bytes at a space, keeping it a
// substring of what it came from.
func clip(s string) string {
	if len(s) <= maxQuote {
		return s
	}
	cut := s[:maxQuote]
	if k := strings.LastIndexByte(cut, ' '); k > maxQuote/2 {
		cut = cut[:k]
	}
	return strings.TrimSpace(cut)
}

var (
	attrQuotedRE       = regexp.MustCompile(`(?i)(?:attribute|property|field|path)\s*[:=]?\s*['"‘“]([A-Za-z_][A-Za-z0-9_.:\[\]-]{0,80})['"’”]`)
	attrQuotedBeforeRE = regexp.MustCompile(`(?i)['"‘“]([A-Za-z_][A-Za-z0-9_.:\[\]-]{0,80})['"’”]\s+(?:attribute|property|field|is immutable|is required|is read-?only)`)
	attrWordAfterRE    = regexp.MustCompile(`(?i)(?:for (?:the )?attribute|attribute name|Unknown path:|CONSTRAINT_ATT_TYPE\s*-|for attribute)\s*['"]?([A-Za-z_][A-Za-z0-9_.\-]{0,80}[A-Za-z0-9_])`)
	attrFieldRE        = regexp.MustCompile(`(?i)\bMissing ([A-Za-z][A-Za-z0-9_]{0,40}) field\b`)
)

// attribute is the attribute a message names, as spelled there.
func (r *reading) attribute(said string) string {
	for _, s := range []string{said, r.body.detail, maskBoilerplate(r.e.Error.Reason), maskBoilerplate(r.e.Error.AdditionalDetails)} {
		if s == "" {
			continue
		}
		for _, re := range []*regexp.Regexp{attrWordAfterRE, attrQuotedRE, attrQuotedBeforeRE, attrFieldRE} {
			for _, m := range re.FindAllStringSubmatch(s, -1) {
				if !isStopWord(m[1]) {
					return m[1]
				}
			}
		}
	}
	return ""
}

// adTarget reports whether the entry's target is on-premises Active
// Directory, written through the provisioning agent: the agent's codes,
// LDAP result texts, or a target system named Active Directory.
func adTarget(e *Entry, code string) bool {
	if strings.HasPrefix(strings.ToLower(code), "hybridsynchronizationactivedirectory") {
		return true
	}
	if ldapMarkerRE.MatchString(e.Error.Reason + " " + e.Error.AdditionalDetails) {
		return true
	}
	n := strings.ToLower(strings.TrimSpace(e.TargetSystem.DisplayName))
	return n == "active directory" || n == "on-premises active directory" || n == "on premises active directory"
}

// ldapMarkerRE finds Active Directory's LDAP error texts: "SecErr:",
// "AtrErr:", "NameErr:", "UpdErr:", "SvcErr:", "LdapErr:", DSIDs and
// "problem NNNN (NAME)".
var ldapMarkerRE = regexp.MustCompile(`\b(?:SecErr|AtrErr|NameErr|UpdErr|SvcErr|LdapErr|RefErr)\b|DSID-[0-9A-F]{8}|\bproblem \d{4} \([A-Z_]+\)`)

// itoa formats a status.
func itoa(n int) string { return strconv.Itoa(n) }
