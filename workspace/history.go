package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// Mode says which log sources a lookup reads.
type Mode string

// The modes.
const (
	// ModeAuto reads Microsoft Graph, and the workspace too when Graph's
	// entries cannot explain the state (see Needed).
	ModeAuto Mode = "auto"
	// ModeGraph reads Microsoft Graph only.
	ModeGraph Mode = "graph"
	// ModeWorkspace reads the workspace's entries only (Graph still says
	// who the user is, the apps, jobs and assignments).
	ModeWorkspace Mode = "workspace"
	// ModeBoth reads both and merges them.
	ModeBoth Mode = "both"
)

// ParseMode reads a mode; "" is ModeAuto.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "", ModeAuto:
		return ModeAuto, nil
	case ModeGraph, ModeWorkspace, ModeBoth:
		return m, nil
	default:
		return "", fmt.Errorf("%q is not one of graph, workspace, both", s)
	}
}

// Need is one app whose state Graph's entries cannot explain.
type Need struct {
	// AppID is the app's service principal id; Name its name.
	AppID, Name string
	// Reason says why older history is needed.
	Reason string
}

// Needed returns the apps of a gathered input whose state Microsoft
// Graph's entries cannot explain, so that older history should be read:
//
//   - the user has no entry in the app within Graph's retention;
//   - the user was assigned before Graph's retention began, and no entry
//     shows the account being made;
//   - the question is about a time (q.Since) before Graph's retention.
//
// q.AppID, when set, limits the answer to that app.
func Needed(in diagnose.Input, q diagnose.Query, now time.Time) []Need {
	retention := in.Retention
	if retention <= 0 {
		retention = diagnose.DefaultRetention
	}
	edge := now.Add(-retention)
	var out []Need
	for _, a := range in.Apps {
		if q.AppID != "" && !strings.EqualFold(a.ID, q.AppID) {
			continue
		}
		var mine []*diagnose.Entry
		for i := range in.Entries {
			e := &in.Entries[i]
			if aboutUser(e, in.User) && sameApp(e, a) {
				mine = append(mine, e)
			}
		}
		n := Need{AppID: a.ID, Name: a.Name}
		switch {
		case !q.Since.IsZero() && q.Since.Before(edge):
			n.Reason = "the question is about " + q.Since.UTC().Format("2 Jan 2006") + ", before Graph's " + days(retention)
		case len(mine) == 0:
			n.Reason = "no entry in Graph's " + days(retention)
		case a.Assignment != nil && !a.Assignment.Since.IsZero() && a.Assignment.Since.Before(edge) &&
			!slices.ContainsFunc(mine, func(e *diagnose.Entry) bool { return e.Action == diagnose.ActionCreate }):
			n.Reason = "assigned " + a.Assignment.Since.UTC().Format("2 Jan 2006") + ", before Graph's " + days(retention) +
				", and no entry shows the account being made"
		default:
			continue
		}
		out = append(out, n)
	}
	return out
}

func days(d time.Duration) string { return fmt.Sprintf("%d days", int(d/(24*time.Hour))) }

// Merge adds what a search found to a gathered input and records the
// search in in.Archive. With ModeWorkspace the input keeps only the
// workspace's entries; with ModeBoth every app takes the workspace's
// entries; otherwise only the apps listed do. An entry Graph already has
// (same id, or same change id and time) is not added twice: Graph's copy
// stays.
func Merge(in *diagnose.Input, res Result, apps []string, mode Mode) {
	if mode == ModeWorkspace {
		in.Entries = nil
	}
	seen := make(map[string]bool, len(in.Entries))
	for _, e := range in.Entries {
		seen[entryKey(&e)] = true
	}
	all := mode == ModeWorkspace || mode == ModeBoth
	for _, e := range res.Entries {
		if !all && !slices.ContainsFunc(apps, func(id string) bool { return strings.EqualFold(id, appOf(&e)) }) {
			continue
		}
		k := entryKey(&e)
		if seen[k] {
			continue
		}
		seen[k] = true
		in.Entries = append(in.Entries, e)
	}
	a := &diagnose.Archive{Origin: diagnose.OriginWorkspace, Since: res.Since, Partial: res.Partial}
	if res.Truncated && a.Partial == "" {
		a.Partial = fmt.Sprintf("only the newest %d entries were read", len(res.Entries))
	}
	if !all {
		a.Apps = slices.Clone(apps)
	}
	in.Archive = a
}

// Join adds to Graph's entries the workspace's that Graph does not have
// (same id, or same change id and time), newest first; Graph's copy of an
// entry in both stays.
func Join(graph, ws []diagnose.Entry) []diagnose.Entry {
	out := slices.Clone(graph)
	seen := make(map[string]bool, len(graph))
	for _, e := range graph {
		seen[entryKey(&e)] = true
	}
	for _, e := range ws {
		if k := entryKey(&e); !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b diagnose.Entry) int { return b.ActivityTime.Compare(a.ActivityTime) })
	return out
}

// Unreadable records in in.Archive that the workspace could not be read
// for the apps listed (every app when empty).
func Unreadable(in *diagnose.Input, apps []string, err error) {
	in.Archive = &diagnose.Archive{Origin: diagnose.OriginWorkspace, Apps: slices.Clone(apps), Failed: Plain(err)}
}

// entryKey identifies an entry across sources.
func entryKey(e *diagnose.Entry) string {
	if e.ID != "" {
		return "id:" + strings.ToLower(e.ID)
	}
	return "chg:" + strings.ToLower(e.ChangeID) + "@" + e.ActivityTime.UTC().Format(time.RFC3339)
}

// aboutUser reports whether an entry is about the user (any user's when
// the user is unknown); group entries never are.
func aboutUser(e *diagnose.Entry, u *diagnose.User) bool {
	if e.Source.IsGroup() {
		return false
	}
	return u == nil || strings.EqualFold(e.Source.ID, u.ObjectID)
}

// sameApp reports whether an entry belongs to the app, by id or else by
// name.
func sameApp(e *diagnose.Entry, a diagnose.App) bool {
	if id := appOf(e); id != "" && a.ID != "" {
		return strings.EqualFold(id, a.ID)
	}
	name := e.ServicePrincipal.Name
	if name == "" {
		name = e.TargetSystem.DisplayName
	}
	return name != "" && strings.EqualFold(name, a.Name)
}

// AddHistory completes a gathered input with the workspace's entries: for
// the apps Needed names (ModeAuto), for every app (ModeBoth, ModeWorkspace),
// or not at all (ModeGraph). It searches by the user's object id, UPN and
// their ids in the apps that Graph's entries show, back to the lookback
// (or q.Since, if earlier, within the lookback).
//
// When the workspace cannot be read, ModeAuto and ModeBoth go on with
// Graph's entries and record why in in.Archive (answers say it); it
// returns the error only for ModeWorkspace, whose answer would otherwise
// be empty for a reason it does not state.
func (c *Client) AddHistory(ctx context.Context, in *diagnose.Input, q diagnose.Query, mode Mode) error {
	if mode == ModeGraph || in.User == nil {
		return nil
	}
	var apps []string
	if mode == ModeAuto {
		needs := Needed(*in, q, c.now())
		if len(needs) == 0 {
			return nil
		}
		for _, n := range needs {
			apps = append(apps, n.AppID)
			c.log.Debug("reading older history", "user", in.User.ObjectID, "app", n.AppID, "why", n.Reason)
		}
	}
	s := Search{UserID: in.User.ObjectID, UPN: in.User.UPN, AppID: q.AppID, Since: q.Since}
	if !s.Since.IsZero() {
		s.Since = s.Since.Add(-24 * time.Hour) // the day before the date named
	}
	for _, e := range in.Entries {
		if aboutUser(&e, in.User) && e.Target.ID != "" && !slices.Contains(s.TargetIDs, e.Target.ID) {
			s.TargetIDs = append(s.TargetIDs, e.Target.ID)
		}
	}
	res, err := c.Search(ctx, s)
	if err != nil {
		if mode == ModeWorkspace {
			return err
		}
		if errors.Is(err, context.Canceled) {
			return err
		}
		c.log.Warn("older history unavailable", "user", in.User.ObjectID, "err", err)
		Unreadable(in, apps, err)
		return nil
	}
	// How far back the records reach: the window's start, or the oldest
	// row when the workspace started later; unknown when that cannot be read.
	switch cv, err := c.Coverage(ctx); {
	case err != nil:
		res.Since = time.Time{}
	case cv.Rows == 0 && len(res.Entries) == 0:
		if mode == ModeWorkspace {
			return errNoRows
		}
		Unreadable(in, apps, errNoRows)
		return nil
	case cv.Oldest.After(res.Since):
		res.Since = cv.Oldest
	}
	Merge(in, res, apps, mode)
	return nil
}

// errNoRows means the workspace's table holds no row within the lookback.
var errNoRows = &Error{Op: opCoverage, Code: CodeNoRows, Message: "AADProvisioningLogs has no rows within the lookback"}
