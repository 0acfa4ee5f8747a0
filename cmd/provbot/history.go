package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/workspace"
	"github.com/provbot/provbot/workspace/lafake"
)

// historyDirectory is the Teams conversation's directory when a Log
// Analytics workspace is configured: Microsoft Graph answers everything,
// and a lookup whose Graph entries cannot explain the state (no entry in
// 30 days, an account older than the logs) also reads the workspace. The
// answers then say where their evidence came from.
type historyDirectory struct {
	*graph.Client
	ws *workspace.Client
}

var (
	_ bot.Directory    = historyDirectory{}
	_ bot.PersonLookup = historyDirectory{}
	_ bot.PersonLookup = (*graph.Client)(nil)
)

// Gather gathers from Graph, then completes the input with the
// workspace's older history when Graph's entries cannot explain it.
func (d historyDirectory) Gather(ctx context.Context, q diagnose.Query) (diagnose.Input, error) {
	in, err := d.Client.Gather(ctx, q)
	if err != nil {
		return in, err
	}
	return d.addHistory(ctx, in, q)
}

// addHistory completes what Graph gathered with the workspace's older
// history when Graph's entries cannot explain it.
func (d historyDirectory) addHistory(ctx context.Context, in diagnose.Input, q diagnose.Query) (diagnose.Input, error) {
	// The workspace gets what is left of the lookup's time but a little,
	// so that a slow workspace still leaves time to answer from Graph.
	limit := time.Now().Add(historyTimeout)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) > 2*historyMargin {
		limit = dl.Add(-historyMargin)
	}
	wctx, cancel := context.WithDeadline(ctx, limit)
	defer cancel()
	if err := d.ws.AddHistory(wctx, &in, q, workspace.ModeAuto); err != nil {
		return in, fmt.Errorf("older history: %w", err)
	}
	return in, nil
}

// Lookup finds the person ref names and gathers from Graph (see
// graph.Client.Lookup), then completes the input like Gather.
func (d historyDirectory) Lookup(ctx context.Context, ref string, q diagnose.Query) (diagnose.Input, []diagnose.User, error) {
	in, several, err := d.Client.Lookup(ctx, ref, q)
	if err != nil || len(several) > 0 || in.User == nil {
		return in, several, err
	}
	q.UserID = in.User.ObjectID
	in, err = d.addHistory(ctx, in, q)
	return in, nil, err
}

// historyTimeout bounds a workspace search without a lookup deadline;
// historyMargin is the time kept back for answering.
const (
	historyTimeout = 20 * time.Second
	historyMargin  = 3 * time.Second
)

// directoryFor is the conversation's directory: Graph, completed by the
// workspace when one is configured.
func directoryFor(g *graph.Client, ws *workspace.Client) bot.Directory {
	if ws == nil {
		return g
	}
	return historyDirectory{Client: g, ws: ws}
}

// parseSourceMode reads --source.
func parseSourceMode(s string) (workspace.Mode, error) {
	m, err := workspace.ParseMode(s)
	if err != nil {
		return "", usageError("--source: %v", err)
	}
	return m, nil
}

// searchHistory completes a Graph log search with the workspace's entries
// for `provbot logs`: always with --source workspace or both, and by
// default when Graph found nothing or --since reaches past Graph's 30 days.
// It returns the entries, newest first, at most q.Max, and a line for the
// reader about what came from where ("" when the workspace was not read).
func searchHistory(ctx context.Context, src *source, graphEntries []diagnose.Entry, q graph.LogQuery, upn string, now time.Time) ([]diagnose.Entry, string, error) {
	ws, mode := src.ws, src.mode
	want := mode == workspace.ModeWorkspace || mode == workspace.ModeBoth ||
		mode == workspace.ModeAuto && ws != nil && (len(graphEntries) == 0 || !q.Since.IsZero() && q.Since.Before(now.Add(-diagnose.DefaultRetention)))
	if !want || ws == nil {
		return graphEntries, "", nil
	}
	s := workspace.Search{UserID: q.UserID, UPN: upn, AppID: q.AppID, Since: q.Since, Max: q.Max}
	if q.TargetID != "" {
		s.TargetIDs = []string{q.TargetID}
	}
	res, err := ws.Search(ctx, s)
	if err != nil {
		if mode == workspace.ModeWorkspace || mode == workspace.ModeBoth {
			return nil, "", fmt.Errorf("search the Log Analytics workspace: %w", err)
		}
		return graphEntries, "The Log Analytics workspace could not be read (" + workspace.Plain(err) + "): these are Graph's entries of the last 30 days only.", nil
	}
	var found []diagnose.Entry
	for _, e := range res.Entries {
		if (q.Status == "" || e.Status == q.Status) && (q.Action == "" || e.Action == q.Action) {
			found = append(found, e)
		}
	}
	out := workspace.Join(graphEntries, found)
	if len(out) > q.Max {
		out = out[:q.Max]
	}
	return out, historyLine(out, res, now), nil
}

// historyLine says how many entries came from the workspace and how old
// the oldest is, and whether the workspace answered in full.
func historyLine(entries []diagnose.Entry, res workspace.Result, now time.Time) string {
	n := 0
	var oldest time.Time
	for _, e := range entries {
		if e.Origin == diagnose.OriginWorkspace {
			n++
			if oldest.IsZero() || e.ActivityTime.Before(oldest) {
				oldest = e.ActivityTime
			}
		}
	}
	var b strings.Builder
	switch n {
	case 0:
		fmt.Fprintf(&b, "The Log Analytics workspace has no other entries, back to %s.", res.Since.Format("2 Jan 2006"))
	case 1:
		fmt.Fprintf(&b, "1 of these entries is from the Log Analytics workspace, %s.", diagnose.Age(oldest, now))
	default:
		fmt.Fprintf(&b, "%d of these entries are from the Log Analytics workspace; the oldest is from %s.", n, diagnose.Age(oldest, now))
	}
	switch {
	case res.Partial != "":
		fmt.Fprintf(&b, " The workspace answered only in part (%s): older entries may be missing.", res.Partial)
	case res.Truncated:
		b.WriteString(" Only the newest entries were read: raise --max to see older ones.")
	}
	return b.String()
}

// writeHistoryLine prints the line, if any, after a command's output.
func writeHistoryLine(w io.Writer, line string) {
	if line != "" {
		fmt.Fprintln(w, line)
	}
}

// startDemoWorkspace serves the demo's Log Analytics workspace on a
// loopback port: a year of older history (two people of the cast among
// it) plus the demo tenant's recent entries, as streaming would have
// copied them there. It returns a client that reads it through the Azure
// SDK, and a function that stops it.
func startDemoWorkspace(ctx context.Context, e env, g *graph.Client) (*workspace.Client, func(), error) {
	w := lafake.DemoWorkspace(e.now())
	recent, err := g.ProvisioningLogs(ctx, graph.LogQuery{Max: 5000})
	if err != nil {
		return nil, nil, fmt.Errorf("demo workspace: copy the demo tenant's entries: %w", err)
	}
	for _, en := range recent {
		w.Rows = append(w.Rows, lafake.RowFromEntry(en, w.ID, lafake.Style{}))
	}
	fake := lafake.New([]*lafake.Workspace{w}, lafake.WithNow(e.now))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("demo workspace listener: %w", err)
	}
	fake.Start(l)
	c, err := workspace.New(nil, w.ID, workspace.WithEndpoint(fake.URL()), workspace.WithNow(e.now))
	if err != nil {
		fake.Close()
		return nil, nil, fmt.Errorf("demo workspace client: %w", err)
	}
	return c, func() { fake.Close() }, nil
}
