package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/workspace"
)

// runLogs is `provbot logs`: search a user's provisioning logs and export
// them as a table, Graph-shaped JSON, or the portal's three CSV files.
func runLogs(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "logs", "[USER] [--source-id ID | --target-id ID] [--app APP] [--since 7d] [--status S] [--action A] [--source graph|workspace|both] [--format table|json|csv] [--out PATH]")
	var (
		sourceID, targetID, app, since, status, action, format, out, tz string
		max                                                             int
		sf                                                              sourceFlags
	)
	fs.StringVar(&sourceID, "source-id", "", "the object's `id` in the source system (for outbound provisioning: the user's Entra object id)")
	fs.StringVar(&targetID, "target-id", "", "the object's `id` in the target app")
	fs.StringVar(&app, "app", "", "only this `app` (name or object id)")
	fs.StringVar(&since, "since", "", "only entries newer than a `duration` (24h, 7d) or a date (2026-11-20)")
	fs.StringVar(&status, "status", "", "only this `status`: success, failure, skipped or warning")
	fs.StringVar(&action, "action", "", "only this `action`: create, update, delete, disable, stagedDelete or other")
	fs.IntVar(&max, "max", 500, "at most `n` entries, newest first")
	fs.StringVar(&format, "format", "table", "output `format`: table, json (Graph-shaped entries) or csv (the portal's three files; needs --out DIR)")
	fs.StringVar(&out, "out", "", "write to this `path`: a file for json, a directory for csv")
	fs.StringVar(&tz, "tz", "", "show times in this IANA `zone` in the table (default: the local zone)")
	sf.register(fs, true)
	sf.registerHistory(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usageError("give at most one user (quote names with spaces)")
	}
	if len(pos) == 0 && sourceID == "" && targetID == "" {
		return usageError("say whose logs: a user (object id, UPN, name), --source-id or --target-id")
	}
	if format != "table" && format != "json" && format != "csv" {
		return usageError("--format must be table, json or csv, not %q", format)
	}
	if format == "csv" && out == "" {
		return usageError("--format csv writes three files: give the directory with --out")
	}
	if max <= 0 {
		return usageError("--max must be positive")
	}
	q := graph.LogQuery{UserID: sourceID, TargetID: targetID, Max: max}
	now := e.now()
	if since != "" {
		if q.Since, err = parseSince(since, now); err != nil {
			return err
		}
	}
	if status != "" {
		if q.Status = diagnose.ParseResult(status); q.Status == diagnose.ResultUnknown {
			return usageError("--status must be success, failure, skipped or warning, not %q", status)
		}
	}
	if action != "" {
		if q.Action = diagnose.ParseAction(action); q.Action == diagnose.ActionOther && !strings.EqualFold(action, "other") {
			return usageError("--action must be create, update, delete, disable, stagedDelete or other, not %q", action)
		}
	}
	loc, err := zone(tz)
	if err != nil {
		return err
	}
	src, err := openSource(ctx, e, sf, cliLogger(e))
	if err != nil {
		return err
	}
	defer src.Close()

	var entries []diagnose.Entry
	line := ""
	if src.client == nil {
		entries, err = filterOffline(src.entries, pos, app, q)
	} else {
		entries, line, err = searchLive(ctx, e, src, pos, app, q)
	}
	if err != nil {
		return err
	}
	switch format {
	case "json":
		err = writeLogsJSON(e, entries, out)
		writeHistoryLine(e.stderr, line)
		return err
	case "csv":
		if err := writeLogsCSV(out, entries); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "Wrote %s to %s (%s, %s, %s).\n", diagnose.Count(len(entries), "entry"), out, csvEntriesFile, csvStepsFile, csvPropertiesFile)
		writeHistoryLine(e.stderr, line)
		return nil
	default:
		if err := writeLogsTable(e.stdout, entries, now, loc); err != nil {
			return err
		}
		writeHistoryLine(e.stdout, line)
		return nil
	}
}

// searchLive asks Graph for the entries, resolving the user and app
// first, and the Log Analytics workspace as --source says. It returns the
// entries and a line saying what came from the workspace ("" when it was
// not read).
func searchLive(ctx context.Context, e env, src *source, pos []string, app string, q graph.LogQuery) ([]diagnose.Entry, string, error) {
	c := src.client
	upn := ""
	if len(pos) == 1 {
		u, err := resolveOne(ctx, c.ResolveUser, pos[0])
		if err != nil {
			return nil, "", err
		}
		q.UserID, upn = u.ObjectID, u.UPN
	}
	if app != "" {
		a, err := findOneApp(ctx, c.FindApps, app)
		if err != nil {
			return nil, "", err
		}
		q.AppID = a.ID
	}
	var entries []diagnose.Entry
	if src.mode != workspace.ModeWorkspace {
		var err error
		if entries, err = graphSearch(ctx, e, c, q); err != nil {
			return nil, "", err
		}
	}
	return searchHistory(ctx, src, entries, q, upn, e.now())
}

// graphSearch asks Graph for the entries, showing progress on a terminal.
func graphSearch(ctx context.Context, e env, c *graph.Client, q graph.LogQuery) ([]diagnose.Entry, error) {
	if isTerminal(e.stderr, e.getenv) {
		q.Progress = func(pages, entries int) {
			fmt.Fprintf(e.stderr, "\r%s page %d, %s", bar(min(100, entries*100/max(q.Max, 1))), pages, diagnose.Count(entries, "entry"))
		}
		defer fmt.Fprint(e.stderr, "\r\x1b[K")
	}
	entries, err := c.ProvisioningLogs(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search provisioning logs: %w", err)
	}
	return entries, nil
}

// filterOffline applies the query to entries read from a file.
func filterOffline(all []diagnose.Entry, pos []string, app string, q graph.LogQuery) ([]diagnose.Entry, error) {
	if len(pos) == 1 {
		u, cands, err := userFromEntries(all, pos[0])
		if err == errAmbiguous {
			return nil, ambiguousUsers(pos[0], cands)
		}
		if err != nil {
			return nil, err
		}
		q.UserID = u.ObjectID
	}
	var out []diagnose.Entry
	for _, e := range all {
		switch {
		case q.UserID != "" && !strings.EqualFold(e.Source.ID, q.UserID):
		case q.TargetID != "" && !strings.EqualFold(e.Target.ID, q.TargetID):
		case app != "" && !strings.EqualFold(e.ServicePrincipal.ID, app) && squashName(e.ServicePrincipal.Name) != squashName(app):
		case !q.Since.IsZero() && !e.ActivityTime.After(q.Since):
		case q.Status != "" && e.Status != q.Status:
		case q.Action != "" && e.Action != q.Action:
		default:
			out = append(out, e)
		}
	}
	sortNewestFirst(out)
	if len(out) > q.Max {
		out = out[:q.Max]
	}
	return out, nil
}

func sortNewestFirst(es []diagnose.Entry) {
	slices.SortStableFunc(es, func(a, b diagnose.Entry) int { return b.ActivityTime.Compare(a.ActivityTime) })
}

// parseSince reads "24h", "7d", "30m", a date or an RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if strings.HasSuffix(s, "d") {
		if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil && n > 0 {
			return now.Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageError("--since %q is neither a duration (24h, 7d) nor a date (2026-11-20)", s)
}

// writeLogsTable prints one line per entry, every value cleaned of what a
// terminal would obey (a tab or newline in a value would also break the
// table).
func writeLogsTable(w io.Writer, es []diagnose.Entry, now time.Time, loc *time.Location) error {
	es = forTerminal(es)
	if len(es) == 0 {
		_, err := fmt.Fprintln(w, "No provisioning log entries match.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tAPP\tIDENTITY\tACTION\tSTATUS\tERROR CODE\tCHANGE ID")
	for _, e := range es {
		who := e.Source.DisplayName
		if who == "" {
			who = e.Source.ID
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ActivityTime.In(loc).Format("2006-01-02 15:04"), clipText(e.ServicePrincipal.Name, 24),
			clipText(who, 24), nonEmptyStr(e.RawAction, string(e.Action)), nonEmptyStr(e.RawStatus, string(e.Status)), e.ErrorCode(), e.ChangeID)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%s.\n", diagnose.Count(len(es), "entry"))
	return err
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func nonEmptyStr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// writeLogsJSON writes Graph-shaped entries to stdout or a file.
func writeLogsJSON(e env, es []diagnose.Entry, out string) error {
	if out == "" {
		return graph.WriteLogs(e.stdout, es)
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		out = filepath.Join(out, "ProvisioningLogs.json")
	}
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := graph.WriteLogs(f, es); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(e.stderr, "Wrote %s to %s.\n", diagnose.Count(len(es), "entry"), out)
	return nil
}
