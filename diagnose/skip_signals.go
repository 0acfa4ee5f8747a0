package diagnose

// This file holds the signals the skipped rules read from a scoping step.

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// The scoping step's detail keys, in the spellings the logs and the
// on-demand view use (Detail ignores case, spaces and punctuation).
var (
	skipAssignedKeys = []string{"Assigned to the application", "Assigned to application", "Assigned"}
	skipActiveKeys   = []string{"Active in the source system", "Active in source system", "IsActive"}
	skipRoleKeys     = []string{"User has the required role", "User has required role"}
)

// skipIs reports whether the newest entry is a skip (and not a failure).
func skipIs(c *Case) bool { return c.Skipped() && !c.Failed() }

// skipDetail returns the first of keys present in the newest entry's step
// details, with its value.
func skipDetail(c *Case, keys ...string) (key, value string, ok bool) {
	for _, k := range keys {
		if v, ok := c.Detail(k); ok {
			return k, strings.TrimSpace(v), true
		}
	}
	return "", "", false
}

// skipDetailIs reports whether the first of keys present equals want,
// ignoring case.
func skipDetailIs(c *Case, want string, keys ...string) bool {
	_, v, ok := skipDetail(c, keys...)
	return ok && strings.EqualFold(v, want)
}

// skipNotEntitled reports whether the skip says NotEffectivelyEntitled.
func skipNotEntitled(c *Case) bool {
	return c.DetailIs("SkipReason", "NotEffectivelyEntitled") ||
		c.DetailIs("IsEffectivelyEntitledForProvisioning", "False") ||
		suffixMatch(c.Code(), []string{"NotEffectivelyEntitled"}) > 0
}

// skipSaysNotAssigned reports whether the skip says the user is not
// assigned: the Assigned detail, or, without one, the skip message (which
// can also list other possible reasons, so a list is not taken as an answer).
func skipSaysNotAssigned(c *Case) bool {
	if _, v, ok := skipDetail(c, skipAssignedKeys...); ok {
		return strings.EqualFold(v, "False")
	}
	t := strings.ToLower(c.StepText())
	return strings.Contains(t, "not assigned to the application") && !strings.Contains(t, "required entitlement")
}

// skipOutsideFacts reports whether facts about the user explain a skip
// better than its details: a user only in a nested group (L07) or in the
// recycle bin (D02b).
func skipOutsideFacts(c *Case) bool {
	return c.Assigned() == AssignmentNestedGroupOnly || c.userSoftDeleted()
}

// skipAssignedSince is S01b: a skip from before the user was assigned.
// It does not apply when the details show another reason that the new
// assignment does not change.
func skipAssignedSince(c *Case) bool {
	if !skipIs(c) || !c.AssignedAfterLatest() || skipOutsideFacts(c) {
		return false
	}
	if c.userOff() {
		return false
	}
	if skipDetailIs(c, "False", skipActiveKeys...) || skipDetailIs(c, "False", skipRoleKeys...) || skipFilterFailed(c) {
		return false
	}
	return true
}

// skipUserDisabled is S04: the scoping step says the user is not active,
// the import says accountEnabled is false, or the directory says the user
// is disabled and the log does not say they were active.
func skipUserDisabled(c *Case) bool {
	if !skipIs(c) || c.userSoftDeleted() {
		return false
	}
	if skipDetailIs(c, "False", skipActiveKeys...) || c.DetailIs("accountEnabled", "False") {
		return true
	}
	return c.userOff() && !skipDetailIs(c, "True", skipActiveKeys...)
}

// skipDefaultAccess reports whether the user's assignment is the Default
// Access role.
func skipDefaultAccess(c *Case) bool {
	a := c.Assignment
	return c.IsAssigned() && (a.RoleID == DefaultAccessRoleID || strings.EqualFold(strings.TrimSpace(a.RoleName), "Default Access"))
}

// skipAssignedNotEntitled is S02: not effectively entitled (or said to be
// unassigned) although the user was assigned before the entry.
func skipAssignedNotEntitled(c *Case) bool {
	if !skipIs(c) || skipOutsideFacts(c) {
		return false
	}
	// Assigned before the skip: only known when the assignment's date is.
	assignedBefore := c.IsAssigned() && c.known(FactAssignmentSince) && !c.AssignedAfterLatest()
	if skipNotEntitled(c) && (skipDetailIs(c, "True", skipAssignedKeys...) || assignedBefore) {
		return true
	}
	return assignedBefore && skipSaysNotAssigned(c)
}

// skipHasFilterDetail reports whether the entry shows a scoping filter
// result at all.
func skipHasFilterDetail(c *Case) bool {
	if _, ok := c.Detail("Scoping filter evaluation passed"); ok {
		return true
	}
	_, ok := c.Detail("ScopeEvaluationResult")
	return ok
}

// skipExplained reports whether a rule without codes explains the skip;
// the S10 code rules then step aside.
func skipExplained(c *Case) bool {
	for _, f := range skipReasons {
		if f(c) {
			return true
		}
	}
	return false
}

// skipReasons are the predicates of the rules that explain a skip from
// its details (the S10 code rules defer to them).
var skipReasons = []func(*Case) bool{
	skipAssignedSince, skipSMS, skipUserDisabled, skipSaysNotAssignedOnly, skipAssignedWhenUnknown, skipFilter, skipRole,
	skipRoutine, skipAssignedNotEntitled,
}

// skipSMS is S13: the cross-tenant clause for SMS sign-in failed.
func skipSMS(c *Case) bool { return skipIs(c) && len(skipSMSClauses(c)) > 0 }

// skipFilter is S05 (and S06): a scoping filter rejected the user.
func skipFilter(c *Case) bool { return skipIs(c) && skipFilterFailed(c) }

// skipRole is S07: the user lacks the required role.
func skipRole(c *Case) bool {
	return skipIs(c) && skipDetailIs(c, "False", skipRoleKeys...) && c.Assigned() != AssignmentNone
}

// skipRoutine is S11: a skip for a user nobody assigned, in an app that
// syncs all users, with no scoping filter result.
func skipRoutine(c *Case) bool {
	return skipIs(c) && !skipOutsideFacts(c) && c.Assigned() == AssignmentNone &&
		c.Assignment.Scope == ScopeAll && !skipHasFilterDetail(c)
}

// skipNotAssigned is S01: the skip says the user is not assigned, and the
// assignment facts do not say otherwise.
func skipNotAssigned(c *Case) bool {
	if !skipIs(c) || skipOutsideFacts(c) {
		return false
	}
	if c.Assigned() == AssignmentNone && c.Assignment.Scope != ScopeAll {
		return true // Graph says so, whatever the skip's role detail
	}
	return skipSaysNotAssigned(c) && !c.IsAssigned() && c.Assigned() != AssignmentNone
}

// skipSaysNotAssignedOnly is S01 from the skip's own details (the part of
// S01 that explains a skip; Graph's "not assigned" alone leaves the
// generic skip code to S10).
func skipSaysNotAssignedOnly(c *Case) bool {
	return skipIs(c) && !skipOutsideFacts(c) && skipSaysNotAssigned(c) && !c.IsAssigned()
}

// skipAssignedWhenUnknown is S01u: a skip as not assigned (or not
// effectively entitled) of a user who is assigned now, since a time that
// could not be read.
func skipAssignedWhenUnknown(c *Case) bool {
	if !skipIs(c) || skipOutsideFacts(c) || !c.IsAssigned() || c.known(FactAssignmentSince) || c.userOff() {
		return false
	}
	if skipDetailIs(c, "False", skipActiveKeys...) || skipDetailIs(c, "False", skipRoleKeys...) || skipFilterFailed(c) {
		return false
	}
	return skipSaysNotAssigned(c) || skipNotEntitled(c)
}

// skipClause is one clause of a ScopeEvaluationResult:
// "<filter title>.<attribute> <OPERATOR> '<value>'" → true or false.
type skipClause struct {
	Raw, Attr, Op, Value string
	Passed               bool
}

// skipOperators are the scoping filter operators [scoping].
var skipOperators = []string{
	"NOT REGEX MATCH", "Greater_Than_OR_EQUALS", "IS NOT NULL", "REGEX MATCH", "NOT EQUALS",
	"Greater_Than", "ENDS_WITH", "IS FALSE", "IS TRUE", "IS NULL", "Includes", "EQUALS", "!&", "&",
}

// skipClauses parses the newest entry's ScopeEvaluationResult, sorted.
func skipClauses(c *Case) []skipClause {
	raw, ok := c.Detail("ScopeEvaluationResult")
	if !ok || strings.TrimSpace(raw) == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil
	}
	out := make([]skipClause, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		cl := skipParseClause(k)
		switch v := m[k].(type) {
		case bool:
			cl.Passed = v
		case string:
			cl.Passed = strings.EqualFold(strings.TrimSpace(v), "true")
		}
		out = append(out, cl)
	}
	return out
}

// skipParseClause splits a clause at its operator: the operator that
// starts first wins (the longer name at the same place, so NOT EQUALS is
// not read as EQUALS), and a value that contains an operator's name does
// not confuse it. The attribute follows the filter title's last dot.
func skipParseClause(raw string) skipClause {
	cl := skipClause{Raw: raw}
	at, op := -1, ""
	for _, o := range skipOperators {
		i := skipFindOp(raw, o)
		if i >= 0 && (at < 0 || i < at || i == at && len(o) > len(op)) {
			at, op = i, o
		}
	}
	left := raw
	if at >= 0 {
		left = raw[:at]
		cl.Op = op
		cl.Value = strings.Trim(strings.TrimSpace(raw[at+1+len(op):]), `'"`)
	}
	left = strings.TrimSpace(left)
	cl.Attr = strings.TrimSpace(left[strings.LastIndexByte(left, '.')+1:])
	return cl
}

// skipFindOp returns the index of the space before op in s, where op
// (ignoring case) is followed by a space or the end, or -1.
func skipFindOp(s, op string) int {
	for i := 0; i+1+len(op) <= len(s); i++ {
		if s[i] != ' ' || !strings.EqualFold(s[i+1:i+1+len(op)], op) {
			continue
		}
		if end := i + 1 + len(op); end == len(s) || s[end] == ' ' {
			return i
		}
	}
	return -1
}

// skipFailing returns the clauses that evaluated to false.
func skipFailing(c *Case) []skipClause {
	var out []skipClause
	for _, cl := range skipClauses(c) {
		if !cl.Passed {
			out = append(out, cl)
		}
	}
	return out
}

// skipFilterFailed reports whether a scoping filter rejected the user.
func skipFilterFailed(c *Case) bool {
	return c.DetailIs("Scoping filter evaluation passed", "False") || len(skipFailing(c)) > 0
}

// skipSMSClauses returns the failing cross-tenant clauses that skip users
// enabled for SMS sign-in (alternativeSecurityIds EQUALS 'None').
func skipSMSClauses(c *Case) []skipClause {
	var out []skipClause
	for _, cl := range skipFailing(c) {
		if strings.EqualFold(cl.Attr, "alternativeSecurityIds") {
			out = append(out, cl)
		}
	}
	return out
}

// skipBadClauses describes the failing clauses that use an attribute or
// operator scoping filters do not support; when no clause is listed as
// failing, every listed clause is checked.
func skipBadClauses(c *Case) []string {
	cls := skipFailing(c)
	if len(cls) == 0 {
		cls = skipClauses(c)
	}
	var out []string
	for _, cl := range cls {
		if why := skipUnsupported(cl); why != "" {
			out = append(out, "“"+cl.Raw+"” ("+why+")")
		}
	}
	return out
}

// skipUnsupported says why a clause cannot work, or "" [scoping],
// [known-issues].
func skipUnsupported(cl skipClause) string {
	a := strings.ToLower(cl.Attr)
	switch {
	case a == "approleassignments" || a == "usertype" || a == "manager":
		return cl.Attr + " is not supported in scoping filters"
	case a == "ismemberof" || a == "memberof" || a == "members" || strings.Contains(strings.ToLower(cl.Raw), "ismemberof"):
		return "group membership cannot be used in a scoping filter; assign the group instead"
	case strings.Contains(a, "date") || a == "accountexpires":
		return cl.Attr + " is a date attribute, which scoping filters do not support"
	case a == "proxyaddresses" || a == "othermails" || a == "businessphones":
		return cl.Attr + " is multi-valued, which scoping filters do not support"
	case strings.HasPrefix(strings.ToUpper(cl.Op), "GREATER_THAN"):
		if _, err := strconv.ParseInt(cl.Value, 10, 64); err != nil {
			return cl.Op + " works only on integers, and “" + cl.Value + "” is not one"
		}
	}
	return ""
}

// skipVars fills the placeholders the skip rules use, with honest
// fallbacks when the entry lacks them.
func skipVars(c *Case) map[string]string {
	v := map[string]string{
		"skipdetails": skipDetailsText(c),
		"disabledwhy": skipDisabledWhy(c),
		"smsclause":   "alternativeSecurityIds EQUALS 'None'",
		"badclauses":  strings.Join(skipBadClauses(c), "; "),
		"uservalues":  skipUserValues(c),
		"errinfo":     "The entry carries no error information.",
	}
	if e := c.Latest.Error; e != nil && (e.Code != "" || e.Reason != "") {
		v["errinfo"] = "Error code " + nonEmpty(e.Code, "(none)") + "; the service said: " + nonEmpty(quote(e.Reason), "nothing") + "."
	}
	if cls := skipSMSClauses(c); len(cls) > 0 {
		v["smsclause"] = "“" + cls[0].Raw + "”"
	}
	if v["badclauses"] == "" {
		v["badclauses"] = "none listed"
	}
	v["assignedthen"] = "as the entry shows; the assignment now is not known to provbot"
	if c.known(FactAssignment) {
		v["assignedthen"] = c.value("assignment")
	}
	fallback := map[string]string{
		"skipreason": "(none)", "code": "(none)", "reason": "(no reason given)", "step": "(no step marked)",
		"filter":     "not listed in the entry (only Scoping filter evaluation passed = False)",
		"assignment": "not known to provbot", "role": "not known to provbot",
	}
	if c.value("role") == "" {
		if k, val, ok := entryValue(c, "approle", "role"); ok && !strings.EqualFold(k, "User has the required role") && !strings.EqualFold(k, "User has required role") {
			v["role"] = val + " (" + k + " in the entry)"
		}
	}
	for k, fb := range fallback {
		if v[k] == "" && (c.value(k) == "" || c.value(k) == "unknown") {
			v[k] = fb
		}
	}
	return v
}

// skipDetailsText lists the details of the skipped steps (or the scoping
// step), "key = value; …", or "no details".
func skipDetailsText(c *Case) string {
	if c.Latest == nil {
		return "no details"
	}
	var steps []Step
	for _, s := range c.Latest.Steps {
		if s.Status == ResultSkipped {
			steps = append(steps, s)
		}
	}
	if len(steps) == 0 {
		if s, ok := c.Latest.Step(StepScoping); ok {
			steps = append(steps, s)
		}
	}
	var parts []string
	for _, s := range steps {
		for _, k := range slices.Sorted(maps.Keys(s.Details)) {
			parts = append(parts, k+" = "+shorten(s.Details[k], 200))
		}
	}
	if len(parts) == 0 {
		return "no details"
	}
	return strings.Join(parts, "; ")
}

// skipDisabledWhy says what shows the user is disabled.
func skipDisabledWhy(c *Case) string {
	now := ""
	if c.userOn() {
		now = " (the directory shows the account enabled now, so the next cycle should pick the user up" + c.value("ifruns") + ")"
	}
	if k, v, ok := skipDetail(c, skipActiveKeys...); ok && strings.EqualFold(v, "False") {
		return "the scoping step reports " + k + " = " + v + now
	}
	if v, ok := c.Detail("accountEnabled"); ok && strings.EqualFold(strings.TrimSpace(v), "False") {
		return "the import step reports accountEnabled = " + v + now
	}
	if c.userOff() {
		if c.DetailIs("accountEnabled", "True") {
			return "accountEnabled is false in the directory now, although the import step at the time showed accountEnabled = True " +
				"(the account may have been turned off after this entry; either way a disabled user stays out of scope)"
		}
		return "accountEnabled is false in the directory now"
	}
	if !c.userStateKnown() {
		return "the entry does not show it, and provbot could not read the directory"
	}
	return "the entry does not show it"
}

// skipUserValues quotes the user's own values, from the import step, for
// the attributes of the failing clauses.
func skipUserValues(c *Case) string {
	cls := skipFailing(c)
	if len(cls) == 0 {
		return "The entry lists no clauses, so provbot cannot compare " + caseUserName(c) + "'s values with them. "
	}
	imp, _ := c.Latest.Step(StepImport)
	var have, missing []string
	seen := map[string]bool{}
	for _, cl := range cls {
		if cl.Attr == "" || seen[strings.ToLower(cl.Attr)] {
			continue
		}
		seen[strings.ToLower(cl.Attr)] = true
		if v, ok := imp.Detail(cl.Attr); ok && strings.TrimSpace(v) != "" {
			have = append(have, cl.Attr+" = “"+v+"”")
		} else {
			missing = append(missing, cl.Attr)
		}
	}
	var b strings.Builder
	if len(have) > 0 {
		fmt.Fprintf(&b, "%s's values in the import step: %s. ", caseUserName(c), strings.Join(have, ", "))
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, "The import step shows no value for %s (empty, or not imported). ", strings.Join(missing, ", "))
	}
	return b.String()
}

// skipClauseEvidence quotes each scoping clause and its result.
func skipClauseEvidence(c *Case) []Evidence {
	var ev []Evidence
	for _, cl := range skipClauses(c) {
		ev = append(ev, skipEvidence(c, "scope clause "+cl.Raw, strconv.FormatBool(cl.Passed)))
	}
	return ev
}

// skipDisabledEvidence quotes the import step's accountEnabled.
func skipDisabledEvidence(c *Case) []Evidence {
	if v, ok := c.Detail("accountEnabled"); ok {
		return []Evidence{skipEvidence(c, "details.accountEnabled", v)}
	}
	return nil
}

// skipEvidence is one fact from the newest entry.
func skipEvidence(c *Case, field, value string) Evidence {
	e := c.Latest
	return Evidence{Field: field, Value: value, ChangeID: e.ChangeID, CycleID: e.CycleID, Time: e.ActivityTime}
}

// skipUntil is an estimate for a skip that lasts until someone acts.
func skipUntil(until string) func(c *Case) *Estimate {
	return func(c *Case) *Estimate { return afterFixEstimate(c, until) }
}

// newAccessEstimate says when the next cycle picks up access given after
// the newest entry.
func newAccessEstimate(c *Case) *Estimate {
	return nextCycleEstimate(c, "The new access will be picked up by the next cycle")
}
