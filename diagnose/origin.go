package diagnose

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Origin says which log source an entry came from. Microsoft Graph keeps
// provisioning logs for 30 days (7 without Entra ID P1/P2); organisations
// that need more stream them to a Log Analytics workspace, whose
// AADProvisioningLogs table keeps them as long as the workspace retains
// data.
type Origin string

// The log sources.
const (
	// OriginGraph is Microsoft Graph's provisioning logs (what the portal's
	// Provisioning logs page shows). It is the zero value.
	OriginGraph Origin = ""
	// OriginWorkspace is the AADProvisioningLogs table of a Log Analytics
	// workspace.
	OriginWorkspace Origin = "workspace"
)

// Name says the source the way answers name it.
func (o Origin) Name() string {
	if o == OriginWorkspace {
		return "the Log Analytics workspace"
	}
	return "Microsoft Graph's provisioning logs"
}

// String is the source's short name: "graph" or "workspace".
func (o Origin) String() string {
	if o == OriginGraph {
		return "graph"
	}
	return string(o)
}

// Archive describes the older log source that was searched, for a
// diagnosis, beyond what Microsoft Graph keeps.
type Archive struct {
	// Origin is the source searched (OriginWorkspace).
	Origin Origin
	// Since is how far back its records go for this search: the later of
	// the search window's start and the oldest record the source holds;
	// zero when unknown.
	Since time.Time
	// Apps are the service principal ids the search covers; empty means
	// every app.
	Apps []string
	// Partial, when set, says why only part of the results came back:
	// older entries may be missing.
	Partial string
	// Failed, when set, says why the source could not be read; answers then
	// rest on Microsoft Graph alone.
	Failed string
}

// covers reports whether the archive's search covers the app.
func (a *Archive) covers(appID string) bool {
	if a == nil {
		return false
	}
	return len(a.Apps) == 0 || slices.ContainsFunc(a.Apps, func(id string) bool { return strings.EqualFold(id, appID) })
}

// Source says where the evidence of a diagnosis came from and how old it
// is. Set when the decisive entry came from an archive, or when an archive
// was searched for the app.
type Source struct {
	// Origin is "graph" or "workspace".
	Origin string `json:"origin"`
	// Name is the source in the answer's words.
	Name string `json:"name"`
	// Time is the decisive entry's time; zero when there was none.
	Time time.Time `json:"time,omitzero"`
	// Text says it in words: "from the Log Analytics workspace, 4 months ago".
	Text string `json:"text"`
}

// sourceOf names where the case's evidence came from; nil for an answer
// that rests on Microsoft Graph alone with no archive searched.
func sourceOf(c *Case) *Source {
	if c.Latest == nil || (c.Latest.Origin == OriginGraph && !c.Archive.covers(c.App.ID)) {
		return nil
	}
	o := c.Latest.Origin
	return &Source{Origin: o.String(), Name: o.Name(), Time: c.Latest.ActivityTime,
		Text: "from " + o.Name() + ", " + Age(c.Latest.ActivityTime, c.Now)}
}

// setOriginVars sets the placeholders of the origin notes:
//
//	{archive}      the archive's name          {originago}   how old the newest entry is
//	{origintime}   the newest entry's time     {archivesince} ", back to 2 Jan 2025." or "."
//	{archivewhy}   why the archive answered in part or not at all
func setOriginVars(c *Case) {
	a := c.Archive
	if a == nil {
		return
	}
	c.setVar("archive", a.Origin.Name())
	if e := c.Latest; e != nil {
		c.setVar("origintime", c.clock(e.ActivityTime))
		c.setVar("originago", Age(e.ActivityTime, c.Now))
	}
	since := "." // never empty: an empty placeholder reads "(unknown)"
	if !a.Since.IsZero() {
		since = ", back to " + a.Since.In(c.Loc).Format("2 Jan 2006") + "."
	}
	c.setVar("archivesince", since)
	why := a.Failed
	if why == "" {
		why = a.Partial
	}
	c.setVar("archivewhy", why)
}

// originNoteRules say where the evidence came from: saved files older than
// the question, or an archive that was searched (facts §4.4, §4.7).
var originNoteRules = []NoteRule{
	{
		// Saved files older than the question: the answer is as of them.
		ID: "F01", Severity: SeverityInfo,
		When:     func(c *Case, d *Rule) bool { return c.asOf },
		EndUser:  "This answer is based on saved records from {asofday}, not on today.",
		HelpDesk: "This answer is as of the saved files, {asof} ({asofwhy}): it tells the job's state, the times and the estimates as they stood then, not as they are today.",
	},
	{
		// The decisive entry is older history from the workspace.
		ID: "W01", Severity: SeverityInfo,
		When: func(c *Case, d *Rule) bool { return c.Latest != nil && c.Latest.Origin == OriginWorkspace },
		EndUser: "This comes from older records your company keeps. " +
			"The newest one about your account is from {originago}.",
		HelpDesk: "Evidence from {archive}: the newest entry for {user} in {app} is from {origintime}, {originago}. " +
			"Microsoft Graph keeps provisioning logs for {retention} only.",
	},
	{
		// The archive was searched and has nothing for the user and app.
		ID: "W02", Severity: SeverityInfo,
		When: func(c *Case, d *Rule) bool {
			a := c.Archive
			return c.Latest == nil && a != nil && a.Failed == "" && a.covers(c.App.ID)
		},
		EndUser:  "Older records your company keeps show nothing about it either.",
		HelpDesk: "{archive} has no entries for {user} in {app} either{archivesince}",
	},
	{
		// The archive answered in part.
		ID: "W03", Severity: SeverityWarning,
		When: func(c *Case, d *Rule) bool {
			a := c.Archive
			return a != nil && a.Failed == "" && a.Partial != "" && a.covers(c.App.ID)
		},
		HelpDesk: "{archive} returned only part of the results ({archivewhy}); older entries may be missing from this answer.",
	},
	{
		// The archive could not be read.
		ID: "W04", Severity: SeverityWarning,
		When: func(c *Case, d *Rule) bool {
			a := c.Archive
			return a != nil && a.Failed != "" && a.covers(c.App.ID)
		},
		EndUser:  "Older records could not be checked just now, so this answer looks only at the last {retention}.",
		HelpDesk: "Older history in {archive} could not be read ({archivewhy}); this answer rests on the last {retention} of Microsoft Graph's logs only.",
	},
}

// allNoteRules are the note rules in the order they are applied: where
// the evidence came from first.
var allNoteRules = slices.Concat(originNoteRules, noteRules)

// monthLen is the average length of a month.
const monthLen = time.Duration(30.44 * float64(24*time.Hour))

// Age says how long before now t was, the way answers say it: "3 hours
// ago", "12 days ago", "4 months ago", "2 years ago".
func Age(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return "in " + span(-d)
	case d < time.Minute:
		return "just now"
	case d < 45*24*time.Hour:
		return span(d) + " ago"
	case d < 18*monthLen:
		return plural(int(math.Round(float64(d)/float64(monthLen))), "month") + " ago"
	default:
		return plural(int(math.Round(float64(d)/float64(12*monthLen))), "year") + " ago"
	}
}
