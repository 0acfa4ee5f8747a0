package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/azquery"

	"github.com/provbot/provbot/diagnose"
)

// Search selects one user's provisioning log entries. At least one of
// UserID, UPN and TargetIDs must be set; a row matches when any of them
// does. Values are compared without regard to case.
type Search struct {
	// UserID is the user's Entra object id (the source identity's id).
	UserID string
	// UPN is the user's principal name (the source identity's
	// UserPrincipalName detail, or the imported userPrincipalName).
	UPN string
	// TargetIDs are the user's ids in apps (the target identity's id).
	TargetIDs []string
	// AppID keeps the entries of one enterprise app (service principal
	// object id); empty means every app.
	AppID string
	// Since and Until bound the entries' time. Zero Since means the
	// client's lookback; zero Until means now.
	Since, Until time.Time
	// Max is the most entries returned, newest first; zero means the
	// client's maximum.
	Max int
}

// Result is what a search found.
type Result struct {
	// Entries are the matching entries, newest first, each with Origin
	// diagnose.OriginWorkspace.
	Entries []diagnose.Entry
	// Since is the start of the time window searched.
	Since time.Time
	// Partial, when set, is the service's reason for returning only part
	// of the results (its PartialError).
	Partial string
	// Truncated is true when Max entries were returned: older ones may
	// exist.
	Truncated bool
	// Skipped counts rows that did not convert (no id and no time).
	Skipped int
}

// opSearch names the search operation in errors.
const opSearch = "search the workspace"

// Search runs s against the workspace's AADProvisioningLogs table. Errors
// are *Error: ErrForbidden when the identity lacks the Log Analytics Reader
// role (MissingRole) or its token is refused, ErrNotFound when the
// workspace does not exist, ErrThrottled with RetryAfter, ErrInvalid for a
// value the client refuses or a query the service rejects (MissingTable
// when the workspace holds no provisioning logs), ErrUnavailable
// otherwise. A PartialError answer is not an error: the rows that came
// back are returned with Result.Partial set.
//
// https://learn.microsoft.com/azure/azure-monitor/logs/api/request-format
func (c *Client) Search(ctx context.Context, s Search) (Result, error) {
	now := c.now().UTC()
	limit := s.Max
	if limit <= 0 || limit > c.max {
		limit = c.max
	}
	since, until := s.Since, s.Until
	if since.IsZero() || since.Before(now.Add(-c.lookback)) {
		since = now.Add(-c.lookback)
	}
	if until.IsZero() || until.After(now) {
		until = now
	}
	if !since.Before(until) {
		return Result{Since: since}, invalidInput(opSearch, errors.New("the time window is empty"))
	}
	text, err := searchQuery(s, limit)
	if err != nil {
		return Result{Since: since}, invalidInput(opSearch, err)
	}
	rows, partial, err := c.query(ctx, opSearch, text, since, until)
	if err != nil {
		return Result{Since: since}, err
	}
	res := Result{Since: since, Partial: partial, Truncated: len(rows) >= limit}
	for _, r := range rows {
		e, ok := entryFromRow(r)
		if !ok {
			res.Skipped++
			continue
		}
		if s.matches(&e) {
			res.Entries = append(res.Entries, e)
		}
	}
	slices.SortStableFunc(res.Entries, func(a, b diagnose.Entry) int { return b.ActivityTime.Compare(a.ActivityTime) })
	if res.Skipped > 0 {
		c.log.Warn("rows without an id or a time were skipped", "rows", res.Skipped)
	}
	return res, nil
}

// matches checks a decoded entry exactly: the query's contains filters are
// coarse (a UPN can appear inside another's, an id in another column).
// With a user id, an entry of another object never matches.
func (s Search) matches(e *diagnose.Entry) bool {
	if s.AppID != "" && !strings.EqualFold(appOf(e), s.AppID) {
		return false
	}
	if e.Source.IsGroup() {
		return false
	}
	// The object id decides: a UPN or an app account id that another
	// object held (someone who left, whose UPN was given to a newcomer)
	// does not bring that object's history in.
	if s.UserID != "" && e.Source.ID != "" && !strings.EqualFold(e.Source.ID, s.UserID) {
		return false
	}
	switch {
	case s.UserID != "" && strings.EqualFold(e.Source.ID, s.UserID):
		return true
	case s.UPN != "" && strings.EqualFold(e.SourceUPN(), s.UPN):
		return true
	case e.Target.ID != "" && slices.ContainsFunc(s.TargetIDs, func(t string) bool { return strings.EqualFold(t, e.Target.ID) }):
		return true
	}
	return false
}

// appOf returns the service principal id an entry belongs to, falling
// back to the target system's details.
func appOf(e *diagnose.Entry) string {
	if e.ServicePrincipal.ID != "" {
		return e.ServicePrincipal.ID
	}
	return e.TargetSystem.Details["ServicePrincipalId"]
}

// query runs one query over [since, until) and returns the rows of its
// primary table and, for a 200 answer with an error, the service's reason.
func (c *Client) query(ctx context.Context, op, text string, since, until time.Time) ([]row, string, error) {
	span := azquery.NewTimeInterval(since.UTC(), until.UTC())
	wait := 60
	if dl, ok := ctx.Deadline(); ok {
		wait = max(1, min(wait, int(time.Until(dl)/time.Second)))
	}
	start := time.Now()
	resp, err := c.logs.QueryWorkspace(ctx, c.workspaceID, azquery.Body{Query: &text, Timespan: &span},
		&azquery.LogsClientQueryWorkspaceOptions{Options: &azquery.LogsQueryOptions{Wait: &wait}})
	if err != nil {
		e := fromSDK(op, err)
		c.log.Warn("workspace query failed", "op", op, "status", e.Status, "code", e.Code, "err", e)
		return nil, "", e
	}
	c.log.Debug("workspace query", "op", op, "duration", time.Since(start))
	partial := ""
	if resp.Error != nil {
		partial = partialReason(resp.Error.Error())
		c.log.Warn("workspace answered in part", "op", op, "reason", partial)
	}
	if len(resp.Tables) == 0 || resp.Tables[0] == nil {
		if partial != "" {
			return nil, partial, nil
		}
		return nil, "", &Error{Op: op, Code: CodeMalformedResponse, Message: "the answer has no table"}
	}
	t := resp.Tables[0]
	cols := make(map[string]int, len(t.Columns))
	for i, col := range t.Columns {
		if col != nil && col.Name != nil {
			cols[*col.Name] = i
		}
	}
	rows := make([]row, 0, len(t.Rows))
	for _, r := range t.Rows {
		rows = append(rows, row{cols: cols, vals: r})
	}
	return rows, partial, nil
}

// Coverage is how far the workspace's provisioning logs reach.
type Coverage struct {
	// Oldest and Newest are the times of the oldest and newest rows within
	// the lookback; zero when there are none.
	Oldest, Newest time.Time
	// Rows is how many rows there are.
	Rows int64
	// Partial, when set, says the service answered only in part.
	Partial string
}

// coverageTTL is how long a coverage answer is reused.
const coverageTTL = 15 * time.Minute

// opCoverage names the coverage operation in errors.
const opCoverage = "read the workspace's provisioning logs"

// Coverage counts the rows of AADProvisioningLogs within the lookback and
// finds the oldest and newest; the answer is reused for 15 minutes.
// Errors are as for Search.
func (c *Client) Coverage(ctx context.Context) (Coverage, error) {
	c.covMu.Lock()
	if !c.covAt.IsZero() && c.now().Sub(c.covAt) < coverageTTL {
		cv := c.cov
		c.covMu.Unlock()
		return cv, nil
	}
	c.covMu.Unlock()
	now := c.now().UTC()
	rows, partial, err := c.query(ctx, opCoverage, coverageQuery(), now.Add(-c.lookback), now)
	if err != nil {
		return Coverage{}, err
	}
	cv := Coverage{Partial: partial}
	if len(rows) > 0 {
		r := rows[0]
		cv.Oldest, cv.Newest = parseTime(r.str("Oldest")), parseTime(r.str("Newest"))
		fmt.Sscan(r.str("Rows"), &cv.Rows)
	}
	if partial == "" {
		c.covMu.Lock()
		c.cov, c.covAt = cv, c.now()
		c.covMu.Unlock()
	}
	return cv, nil
}
