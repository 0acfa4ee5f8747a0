package workspace

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// table is the Log Analytics table Entra streams provisioning logs to.
// https://learn.microsoft.com/azure/azure-monitor/reference/tables/aadprovisioninglogs
const table = "AADProvisioningLogs"

// maxValueLen bounds a value that goes into a query; ids and user
// principal names are far shorter.
const maxValueLen = 1024

// kqlText returns a KQL expression whose value is s, built so that no
// character of s appears in the query text: s travels base64-encoded inside
// a single-quoted literal, and base64's alphabet (A–Z, a–z, 0–9, +, /, =)
// holds no quote, backslash, pipe, semicolon, comment or line break, so
// the literal cannot end early whatever s holds. The service decodes it
// with base64_decode_tostring.
//
// The Log Analytics query API has no query parameters (its body is the
// query text, a timespan and workspaces), so this strict encoding stands in
// for them. https://learn.microsoft.com/kusto/query/base64-decode-tostring-function
func kqlText(s string) string {
	return "base64_decode_tostring('" + base64.StdEncoding.EncodeToString([]byte(s)) + "')"
}

// checkValue refuses a value that cannot be what it claims to be before
// it goes into a query: not valid UTF-8 (the service would decode it to
// something else) or absurdly long.
func checkValue(what, s string) error {
	switch {
	case !utf8.ValidString(s):
		return fmt.Errorf("%s is not valid text", what)
	case len(s) > maxValueLen:
		return fmt.Errorf("%s is %d bytes long; at most %d are accepted", what, len(s), maxValueLen)
	}
	return nil
}

// query is a KQL query under construction: let statements binding the
// caller's values, then the table and its operators.
type query struct {
	lets []string
	ops  []string
	n    int
}

// bind binds a caller's value to a fresh name and returns the name.
func (q *query) bind(v string) string {
	name := "v" + strconv.Itoa(q.n)
	q.n++
	q.lets = append(q.lets, "let "+name+" = "+kqlText(v)+";")
	return name
}

// op appends a pipeline operator.
func (q *query) op(s string) { q.ops = append(q.ops, "| "+s) }

// String is the query text.
func (q *query) String() string {
	var b strings.Builder
	for _, l := range q.lets {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString(table)
	for _, o := range q.ops {
		b.WriteByte('\n')
		b.WriteString(o)
	}
	return b.String()
}

// searchQuery builds the query of a search: rows whose source identity
// mentions the user's object id or UPN, or whose target identity mentions
// one of their ids in the apps, optionally of one app, newest first, at
// most max rows. contains is a coarse, case-insensitive filter on the
// JSON-in-string columns (their key spelling varies); the client checks
// every row exactly after decoding it. The time window travels as the
// request's timespan, not in the query text.
func searchQuery(s Search, max int) (string, error) {
	var q query
	var who []string
	add := func(what, col, v string) error {
		if v == "" {
			return nil // an empty value would match every row
		}
		if err := checkValue(what, v); err != nil {
			return err
		}
		who = append(who, col+" contains "+q.bind(v))
		return nil
	}
	if err := add("the user id", "SourceIdentity", s.UserID); err != nil {
		return "", err
	}
	if err := add("the user principal name", "SourceIdentity", s.UPN); err != nil {
		return "", err
	}
	for _, t := range s.TargetIDs {
		if err := add("the target id", "TargetIdentity", t); err != nil {
			return "", err
		}
	}
	if len(who) == 0 {
		return "", fmt.Errorf("say whose entries: a user id, a user principal name or a target id")
	}
	q.op("where " + strings.Join(who, " or "))
	if s.AppID != "" {
		if err := checkValue("the app id", s.AppID); err != nil {
			return "", err
		}
		app := q.bind(s.AppID)
		q.op("where ServicePrincipal contains " + app + " or TargetSystem contains " + app)
	}
	q.op("order by TimeGenerated desc")
	q.op("take " + strconv.Itoa(max))
	return q.String(), nil
}

// coverageQuery counts the table's rows and finds its oldest and newest.
func coverageQuery() string {
	var q query
	q.op("summarize Oldest = min(TimeGenerated), Newest = max(TimeGenerated), Rows = count()")
	return q.String()
}
