package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/internal/escape"
)

// runDiagnose is `provbot diagnose USER`: the bot's answer in a terminal.
func runDiagnose(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "diagnose", "USER [--app APP] [--as ASKER] [--since DATE] [--source graph|workspace|both] [--format text|json|markdown] [--demo | --logs FILE [--job FILE]]")
	var (
		app, as, format, tz, since string
		sf                         sourceFlags
	)
	fs.StringVar(&app, "app", "", "only this `app` (name or object id); default: every app that provisions the user")
	fs.StringVar(&as, "as", "", "answer as the bot would answer this `asker` (UPN, object id): end users see plain words about their own account only")
	fs.StringVar(&format, "format", "text", "output `format`: text, json or markdown")
	fs.StringVar(&tz, "tz", "", "show times in this IANA `zone` (default: the local zone)")
	fs.StringVar(&since, "since", "", "the question is about events since a `date` (2026-03-01) or duration (180d); before Graph's 30 days, the Log Analytics workspace is read too")
	var asOf string
	fs.StringVar(&asOf, "as-of", "", "with --logs: the files were saved at this `time` (2025-03-12T10:00Z, or a date for the end of that day, or now); "+
		"default: the newest time they hold when that is more than a day old, else now")
	sf.register(fs, true)
	sf.registerHistory(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("give one user: an object id, UPN, email address or name (quote names with spaces)")
	}
	if format != "text" && format != "json" && format != "markdown" {
		return usageError("--format must be text, json or markdown, not %q", format)
	}
	loc, err := zone(tz)
	if err != nil {
		return err
	}
	var sinceT time.Time
	if since != "" {
		if sinceT, err = parseSince(since, e.now(), loc); err != nil {
			return err
		}
	}
	logger := cliLogger(e)
	src, err := openSource(ctx, e, sf, logger)
	if err != nil {
		return err
	}
	defer src.Close()

	now := e.now()
	var in diagnose.Input
	if src.client == nil {
		in, err = offlineInput(src, pos[0], app)
		if err == nil && asOf != "" {
			in.Saved.Taken, err = parseAsOf(asOf, in, now, loc)
		}
	} else if asOf != "" {
		err = usageError("--as-of applies to --logs files only")
	} else {
		in, err = liveInput(ctx, src, pos[0], app, as, sf.refresh, sinceT)
	}
	if err != nil {
		return err
	}
	in.Location = loc
	ds := diagnose.Diagnose(in, now)
	if app != "" {
		ds = keepApp(ds, app)
	}
	var user diagnose.UserRef
	switch {
	case in.Group != nil:
		user = diagnose.UserRef{ObjectID: in.Group.ObjectID, DisplayName: in.Group.DisplayName, Type: diagnose.SubjectGroup}
	case in.User != nil:
		user = diagnose.UserRef{ObjectID: in.User.ObjectID, DisplayName: in.User.DisplayName, UPN: in.User.UPN}
	}
	if len(ds) == 0 && format == "text" {
		_, err := fmt.Fprintf(e.stdout, "No app provisions %s: there are no provisioning log entries for them and no app with a provisioning job lists them.\n", escape.Terminal(nameOf(in.User, pos[0])))
		return err
	}
	opts := renderOptions{Color: isTerminal(e.stdout, e.getenv), Width: 80, Now: now, Loc: loc}
	switch format {
	case "json":
		return writeJSON(e.stdout, ds, in.Audience, user, now)
	case "markdown":
		return writeMarkdown(e.stdout, ds, opts)
	default:
		return writeText(e.stdout, ds, opts)
	}
}

// parseAsOf reads --as-of: "now", an RFC 3339 time, a time without zone
// or a date (the end of that day) in loc. It may not be before the newest
// time the files hold, nor after now.
func parseAsOf(s string, in diagnose.Input, now time.Time, loc *time.Location) (time.Time, error) {
	if strings.EqualFold(strings.TrimSpace(s), "now") {
		return now, nil
	}
	t, ok := time.Time{}, false
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02T15:04"} {
		if p, err := time.ParseInLocation(layout, s, loc); err == nil {
			t, ok = p, true
			break
		}
	}
	if !ok {
		d, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			return time.Time{}, usageError("--as-of %q is neither now, a time (2025-03-12T10:00Z) nor a date (2025-03-12)", s)
		}
		t = d.Add(24*time.Hour - time.Second)
	}
	if t.After(now) {
		t = now
	}
	if newest := in.Newest(now); t.Before(newest) {
		return time.Time{}, usageError("--as-of %s is before the newest time the files hold (%s)", t.Format(time.RFC3339), newest.Format(time.RFC3339))
	}
	return t, nil
}

// liveInput gathers a diagnosis input from Graph (live or the demo), and
// from the Log Analytics workspace as --source says: about a user, or about
// a group ("the Sales group", or a name or id that is no user's).
func liveInput(ctx context.Context, src *source, who, app, as string, refresh bool, since time.Time) (diagnose.Input, error) {
	c := src.client
	groupRef, groupFirst := groupReference(who)
	var user diagnose.User
	var err error
	if !groupFirst {
		user, err = resolveOne(ctx, c.ResolveUser, who)
	}
	if groupFirst || errors.Is(err, diagnose.ErrNotFound) {
		groups, gerr := c.ResolveGroup(ctx, groupRef)
		switch {
		case gerr == nil && len(groups) == 1:
			return liveGroupInput(ctx, src, groups[0], app, as, refresh)
		case gerr == nil:
			return diagnose.Input{}, ambiguousGroups(who, groups)
		case groupFirst:
			return diagnose.Input{}, fmt.Errorf("no group matches %q: try its object id", groupRef)
		}
	}
	if err != nil {
		return diagnose.Input{}, err
	}
	audience := diagnose.HelpDesk
	if as != "" {
		asker, hd, err := resolveAsker(ctx, c, as)
		if err != nil {
			return diagnose.Input{}, err
		}
		if !hd {
			if asker.ObjectID != user.ObjectID {
				return diagnose.Input{}, fmt.Errorf("%s is not on the help desk and may only look up their own account (PROVBOT_HELPDESK_GROUPS lists the help-desk groups)", asker.Name())
			}
			audience = diagnose.EndUser
		}
	}
	appID := ""
	if app != "" {
		a, err := findOneApp(ctx, c.FindApps, app)
		if err != nil {
			return diagnose.Input{}, err
		}
		appID = a.ID
	}
	q := diagnose.Query{UserID: user.ObjectID, AppID: appID, Refresh: refresh, Since: since}
	in, err := c.Gather(ctx, q)
	if err != nil {
		return diagnose.Input{}, fmt.Errorf("gather %s: %w", user.Name(), err)
	}
	if src.ws != nil {
		if err := src.ws.AddHistory(ctx, &in, q, src.mode); err != nil {
			return diagnose.Input{}, fmt.Errorf("read %s's history in the Log Analytics workspace: %w", user.Name(), err)
		}
	}
	in.Audience = audience
	return in, nil
}

// liveGroupInput gathers a group's own provisioning. Groups are the help
// desk's business: an end user (--as) may not ask about them.
func liveGroupInput(ctx context.Context, src *source, g diagnose.Group, app, as string, refresh bool) (diagnose.Input, error) {
	c := src.client
	if as != "" {
		asker, hd, err := resolveAsker(ctx, c, as)
		if err != nil {
			return diagnose.Input{}, err
		}
		if !hd {
			return diagnose.Input{}, fmt.Errorf("%s is not on the help desk and may only look up their own account, not a group's", asker.Name())
		}
	}
	appID := ""
	if app != "" {
		a, err := findOneApp(ctx, c.FindApps, app)
		if err != nil {
			return diagnose.Input{}, err
		}
		appID = a.ID
	}
	in, err := c.Gather(ctx, diagnose.Query{GroupID: g.ObjectID, AppID: appID, Refresh: refresh})
	if err != nil {
		return diagnose.Input{}, fmt.Errorf("gather %s: %w", g.Name(), err)
	}
	in.Audience = diagnose.HelpDesk
	return in, nil
}

// noOne is the error for a reference that matches nobody; it matches
// diagnose.ErrNotFound.
type noOne struct{ ref string }

func (e noOne) Error() string {
	return fmt.Sprintf("no one matches %q: try their UPN or object id", e.ref)
}
func (e noOne) Is(target error) bool { return target == diagnose.ErrNotFound }

// resolveAsker finds the person --as names and whether they are on the
// help desk. A deleted person cannot ask.
func resolveAsker(ctx context.Context, c *graph.Client, as string) (asker diagnose.User, helpDesk bool, err error) {
	asker, err = resolveOne(ctx, c.ResolveUser, as)
	if err != nil {
		return diagnose.User{}, false, fmt.Errorf("--as: %w", err)
	}
	if asker.SoftDeleted {
		return diagnose.User{}, false, fmt.Errorf("--as: %s was deleted from the directory (it is in the recycle bin), so they cannot ask provbot anything", asker.Name())
	}
	helpDesk, err = c.IsHelpDesk(ctx, asker.ObjectID)
	if err != nil {
		return diagnose.User{}, false, fmt.Errorf("--as: help-desk check: %w", err)
	}
	return asker, helpDesk, nil
}

// resolveOne resolves a user reference to exactly one person.
func resolveOne(ctx context.Context, resolve func(context.Context, string) ([]diagnose.User, error), ref string) (diagnose.User, error) {
	users, err := resolve(ctx, ref)
	if errors.Is(err, diagnose.ErrNotFound) || err == nil && len(users) == 0 {
		return diagnose.User{}, noOne{ref}
	}
	if err != nil {
		return diagnose.User{}, fmt.Errorf("look up %q: %w", ref, err)
	}
	if len(users) > 1 {
		return diagnose.User{}, ambiguousUsers(ref, users)
	}
	return users[0], nil
}

func ambiguousUsers(ref string, users []diagnose.User) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d people match %q; ask again with one of these:", len(users), ref)
	for _, u := range users {
		fmt.Fprintf(&b, "\n  %-28s %-36s %s", escape.Terminal(u.DisplayName), escape.Terminal(u.UPN), escape.Terminal(u.ObjectID))
	}
	return errors.New(b.String())
}

// findOneApp resolves an app name or object id to one app, suggesting the
// closest names when none matches exactly.
func findOneApp(ctx context.Context, find func(context.Context, string) ([]diagnose.App, error), ref string) (diagnose.App, error) {
	apps, err := find(ctx, ref)
	if err != nil && !errors.Is(err, diagnose.ErrNotFound) {
		return diagnose.App{}, fmt.Errorf("find app %q: %w", ref, err)
	}
	for _, a := range apps {
		if strings.EqualFold(a.ID, ref) || squashName(a.Name) == squashName(ref) {
			return a, nil
		}
	}
	if len(apps) == 0 {
		return diagnose.App{}, fmt.Errorf("no app with provisioning is called %q (run \"provbot status\" to list them)", ref)
	}
	var names []string
	for i, a := range apps {
		if i == 5 {
			break
		}
		names = append(names, a.Name)
	}
	return diagnose.App{}, fmt.Errorf("no app is called %q; did you mean %s?", ref, strings.Join(names, ", "))
}

// squashName keeps letters and digits, lowercased: "Service Now" is
// "servicenow".
func squashName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func keepAppInput(apps []diagnose.App, ref string) []diagnose.App {
	var out []diagnose.App
	for _, a := range apps {
		if strings.EqualFold(a.ID, ref) || squashName(a.Name) == squashName(ref) {
			out = append(out, a)
		}
	}
	return out
}

// keepApp keeps the diagnoses of one app.
func keepApp(ds []diagnose.Diagnosis, ref string) []diagnose.Diagnosis {
	var out []diagnose.Diagnosis
	for _, d := range ds {
		if strings.EqualFold(d.App.ServicePrincipalID, ref) || squashName(d.App.Name) == squashName(ref) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return ds
	}
	return out
}

func nameOf(u *diagnose.User, ref string) string {
	if u != nil {
		return u.Name()
	}
	return ref
}

// zone loads an IANA time zone, or the local zone when empty.
func zone(name string) (*time.Location, error) {
	if name == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, usageError("--tz: %v", err)
	}
	return loc, nil
}

// cliLogger logs warnings and errors to stderr for the command-line tools.
func cliLogger(e env) *slog.Logger {
	var w io.Writer = e.stderr
	return slog.New(slog.NewTextHandler(w, logOptions(slog.LevelWarn)))
}
