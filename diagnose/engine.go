package diagnose

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Diagnose explains the user's provisioning state in every app of in: the
// listed apps and every app the entries mention. It returns one Diagnosis
// per app, worst first. now is the time of the question.
func Diagnose(in Input, now time.Time) []Diagnosis {
	apps := collectApps(in)
	out := make([]Diagnosis, 0, len(apps))
	for _, a := range apps {
		c := newCase(in, a.app, a.entries, now)
		out = append(out, explain(c))
	}
	slices.SortStableFunc(out, func(a, b Diagnosis) int {
		if d := b.Severity.Rank() - a.Severity.Rank(); d != 0 {
			return d
		}
		return cmp.Compare(strings.ToLower(a.App.Name), strings.ToLower(b.App.Name))
	})
	return out
}

// appEntries is one app and the user's entries for it.
type appEntries struct {
	app     *App
	entries []*Entry
}

// collectApps groups the user's entries by app, adding apps that only
// appear in the entries.
func collectApps(in Input) []appEntries {
	var userID string
	if in.User != nil {
		userID = in.User.ObjectID
	}
	apps := make([]appEntries, 0, len(in.Apps)+2)
	byKey := make(map[string]int, len(in.Apps)+2)
	for i := range in.Apps {
		a := &in.Apps[i]
		apps = append(apps, appEntries{app: a})
		if a.ID != "" {
			byKey["id:"+strings.ToLower(a.ID)] = len(apps) - 1
		}
		if a.Name != "" {
			byKey["name:"+strings.ToLower(a.Name)] = len(apps) - 1
		}
	}
	for i := range in.Entries {
		e := &in.Entries[i]
		if in.Group != nil {
			if !aboutGroup(e, in.Group) {
				continue
			}
		} else if !aboutUser(e, userID) {
			continue
		}
		spID, spName := entryApp(e)
		idx, ok := -1, false
		if spID != "" {
			idx, ok = byKey["id:"+strings.ToLower(spID)]
		}
		if !ok && spName != "" {
			idx, ok = byKey["name:"+strings.ToLower(spName)]
		}
		if !ok {
			apps = append(apps, appEntries{app: &App{ID: spID, Name: spName}})
			idx = len(apps) - 1
			if spID != "" {
				byKey["id:"+strings.ToLower(spID)] = idx
			}
			if spName != "" {
				byKey["name:"+strings.ToLower(spName)] = idx
			}
		}
		apps[idx].entries = append(apps[idx].entries, e)
	}
	return apps
}

// aboutUser reports whether an entry is about the user with the given
// object id (any user's entry when the id is unknown); group entries never are.
func aboutUser(e *Entry, userID string) bool {
	if e.Source.IsGroup() {
		return false
	}
	return userID == "" || strings.EqualFold(e.Source.ID, userID)
}

// entryApp returns the service principal id and name an entry belongs to,
// falling back to the target system's details and display name.
func entryApp(e *Entry) (id, name string) {
	id, name = e.ServicePrincipal.ID, e.ServicePrincipal.Name
	if id == "" {
		id = e.TargetSystem.Details["ServicePrincipalId"]
	}
	if name == "" {
		name = e.TargetSystem.Details["ServicePrincipalDisplayName"]
	}
	if name == "" {
		name = e.TargetSystem.DisplayName
	}
	return id, name
}

// newCase builds the view rules look at.
// now is the time of the question; the case is told as of the saved
// files' time when they are older (Input.AsOf).
func newCase(in Input, app *App, entries []*Entry, now time.Time) *Case {
	slices.SortStableFunc(entries, func(a, b *Entry) int { return b.ActivityTime.Compare(a.ActivityTime) })
	now, asOf := in.AsOf(now)
	c := &Case{
		Now:          now,
		asOf:         asOf,
		Loc:          in.Location,
		Audience:     in.Audience,
		Retention:    in.Retention,
		User:         in.User,
		Group:        in.Group,
		App:          app,
		Assignment:   app.Assignment,
		Entries:      entries,
		Archive:      in.Archive,
		inputUnknown: in.Unknown,
		saved:        in.Saved,
	}
	if c.Loc == nil {
		c.Loc = time.UTC
	}
	if c.Audience == "" || c.Group != nil {
		c.Audience = HelpDesk
	}
	if c.Retention <= 0 {
		c.Retention = DefaultRetention
	}
	if len(entries) > 0 {
		c.Latest = entries[0]
	}
	jobID := ""
	if c.Latest != nil {
		jobID = c.Latest.JobID
	}
	c.Job = app.Job(jobID)
	c.History = history(entries)
	return c
}

// history summarises entries, newest first.
func history(entries []*Entry) History {
	h := History{Entries: len(entries)}
	if len(entries) == 0 {
		return h
	}
	h.Last = entries[0].ActivityTime
	h.First = entries[len(entries)-1].ActivityTime
	inRow := true
	for i, e := range entries {
		switch e.Status {
		case ResultFailure:
			h.Failures++
			if inRow {
				h.FailuresInARow++
				h.FirstFailureInARow = e.ActivityTime
			}
		case ResultSuccess:
			if h.LastSuccess.IsZero() {
				h.LastSuccess = e.ActivityTime
			}
			if inRow {
				inRow = false
				// A success with failures before it (older entries) and
				// none after it resolved them.
				if i == 0 && hasFailureBefore(entries[1:]) {
					h.ResolvedAt = e.ActivityTime
				}
			}
		}
	}
	return h
}

// hasFailureBefore reports whether older entries, up to the previous
// success, include a failure.
func hasFailureBefore(older []*Entry) bool {
	for _, e := range older {
		switch e.Status {
		case ResultFailure:
			return true
		case ResultSuccess:
			return false
		}
	}
	return false
}

// decide returns the rule that decides the verdict. A job that holds back
// changes for everyone (no job, never configured, turned off, quarantined,
// failing whole runs) leads whenever it holds back something for this
// user (facts §3.1 A): a failure that would be retried, access given since
// the newest entry, an account still to be made. Otherwise the user's own
// entry or facts lead, and a note tells of the job.
func decide(c *Case) *Rule {
	if r := decideTier(c, TierEntryOverride); r != nil {
		return r
	}
	jr := decideTier(c, TierJobBlocked)
	if jr != nil && c.heldBack() {
		return jr
	}
	for t := TierOutcome; t <= TierFallback; t++ {
		if t == TierJobBlocked {
			continue
		}
		if r := decideTier(c, t); r != nil {
			if jr != nil && t == TierFallback {
				// Nothing explains the user's own state better than the job.
				return jr
			}
			return r
		}
	}
	// The fallback tier always matches; this is only reached if the
	// catalogue is broken.
	return &fallbackRules[len(fallbackRules)-1]
}

// decideTier returns the rule of one tier that applies: the one whose code
// matches longest, else the first in catalogue order; nil when none does.
func decideTier(c *Case, t Tier) *Rule {
	var best *Rule
	bestLen := -1
	for _, r := range compiled.tiers[t] {
		if !r.appliesTo(c) {
			continue
		}
		n := 0
		if len(r.Codes) > 0 {
			if c.Latest == nil || c.Latest.Error == nil || c.Latest.Status == ResultSuccess {
				continue
			}
			if n = c.codeMatch(r.Codes); n == 0 {
				continue
			}
		}
		if r.When != nil && !r.When(c) {
			continue
		}
		if n > bestLen {
			best, bestLen = r, n
		}
	}
	return best
}

// compiledCatalog is the catalogue grouped by tier, built once.
type compiledCatalog struct {
	tiers [][]*Rule
}

var compiled = compileCatalog()

func compileCatalog() compiledCatalog {
	all := Catalog()
	maxTier := TierFallback
	tiers := make([][]*Rule, maxTier+1)
	for i := range all {
		r := &all[i]
		tiers[r.Tier] = append(tiers[r.Tier], r)
	}
	return compiledCatalog{tiers: tiers}
}

// explain builds the diagnosis for one case.
func explain(c *Case) Diagnosis {
	r := decide(c)
	d := Diagnosis{
		User:     userRef(c),
		App:      AppRef{ServicePrincipalID: c.App.ID, Name: appName(c)},
		Audience: c.Audience,
		RuleID:   r.ID,
		Category: r.Category,
		Severity: r.Severity,
		Article:  r.Article,
		History:  c.History,
	}
	if r.Vars != nil {
		for k, v := range r.Vars(c) {
			c.setVar(k, v)
		}
	}
	d.Estimate = estimateFor(c, r)
	c.setVar("next", estimateText(d.Estimate))
	headline, helpDesk, do := r.sentences(c)
	d.Headline = c.fill(headline)
	if c.isGroup() && r.Family == FamilyJob {
		d.Headline = c.fill(groupJobHeadline)
	}
	if c.Audience == EndUser {
		d.Explanation = c.fill(r.EndUser)
		d.Recommendations = c.fillAll(r.UserDo)
	} else {
		d.Explanation = c.fill(helpDesk)
		d.Recommendations = c.fillAll(do)
		d.Evidence = evidence(c, r)
	}
	setOriginVars(c)
	if r.Family != FamilyJob && r.Tier != TierEntryOverride && c.jobBlocks() {
		// (A group's answers get the same treatment.)
		besideBlockedJob(c, &d)
	}
	d.Notes = notes(c, r)
	d.Source = sourceOf(c)
	if st := c.jobStatus(); st != nil {
		cp := *st
		d.Status = &cp
	}
	if c.asOf {
		d.AsOf = c.Now
	}
	d.Timeline = timeline(c.Latest)
	d.Ticket = ticket(c)
	d.Unknown = c.unknownFacts()
	return d
}

// besideBlockedJob adjusts a verdict about the user's own state when the
// job holds back everyone's changes: it is never "ok", and nobody is told
// that nothing needs doing; the job's own fix is added instead.
func besideBlockedJob(c *Case, d *Diagnosis) {
	if d.Severity == SeverityOK || d.Severity == SeverityInfo {
		d.Severity = SeverityWarning
	}
	recs := d.Recommendations[:0:0]
	for _, rec := range d.Recommendations {
		if rec.Who != PartyNobody {
			recs = append(recs, rec)
		}
	}
	if jr := decideTier(c, TierJobBlocked); jr != nil {
		do := jr.Do
		if c.Audience == EndUser {
			do = jr.UserDo
		}
		recs = append(recs, c.fillAll(do)...)
	}
	d.Recommendations = recs
}

// notes applies the note rules.
func notes(c *Case, decided *Rule) []Note {
	var out []Note
	for i := range allNoteRules {
		n := &allNoteRules[i]
		if !n.When(c, decided) {
			continue
		}
		text := n.HelpDesk
		if c.Audience == EndUser {
			text = n.EndUser
		}
		if text == "" {
			continue
		}
		out = append(out, Note{RuleID: n.ID, Severity: n.Severity, Text: c.fill(text)})
	}
	return out
}

func userRef(c *Case) UserRef {
	if c.Group != nil {
		return UserRef{ObjectID: c.Group.ObjectID, DisplayName: c.Group.DisplayName, Type: SubjectGroup}
	}
	if c.User != nil {
		return UserRef{ObjectID: c.User.ObjectID, DisplayName: c.User.DisplayName, UPN: c.User.UPN}
	}
	if c.Latest != nil {
		s := c.Latest.Source
		return UserRef{ObjectID: s.ID, DisplayName: s.DisplayName, UPN: c.Latest.SourceUPN()}
	}
	return UserRef{}
}

func appName(c *Case) string {
	if c.App.Name != "" {
		return c.App.Name
	}
	if c.Latest != nil {
		if _, n := entryApp(c.Latest); n != "" {
			return n
		}
	}
	return "the app"
}

func timeline(e *Entry) []TimelineStep {
	if e == nil {
		return nil
	}
	out := make([]TimelineStep, len(e.Steps))
	for i, s := range e.Steps {
		out[i] = TimelineStep{Type: s.Type, Name: s.Name, Status: s.Status, Description: s.Description}
	}
	return out
}

func ticket(c *Case) Ticket {
	t := Ticket{ServicePrincipalID: c.App.ID}
	if c.Job != nil {
		t.JobID = c.Job.ID
		if le := c.Job.Status.LastExecution; le != nil {
			t.ActivityID = le.ActivityID
		}
	}
	if e := c.Latest; e != nil {
		t.EntryID, t.ChangeID, t.CycleID = e.ID, e.ChangeID, e.CycleID
		t.TenantID, t.ErrorCode, t.Time = e.TenantID, e.ErrorCode(), e.ActivityTime
		if e.JobID != "" {
			t.JobID = e.JobID
		}
		if t.ServicePrincipalID == "" {
			t.ServicePrincipalID = e.ServicePrincipal.ID
		}
	}
	return t
}
