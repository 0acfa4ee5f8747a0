package diagnose

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Invariant names a property every answer must have, whatever its input.
type Invariant string

// The invariants CheckInvariants enforces.
const (
	// InvariantEstimateAgreesWithJob: the estimate, and every future time
	// any sentence names, agree with the job's state (no "next cycle at
	// 14:40" beside a quarantine whose next attempt is 06:33, no time
	// invented for a job provbot could not read).
	InvariantEstimateAgreesWithJob Invariant = "estimate-agrees-with-job"
	// InvariantNoAllClear: "ok" and "nothing to do" never stand beside a
	// job that is blocked (no job, not configured, paused, disabled,
	// quarantined, failing whole runs) or a newest entry that failed.
	InvariantNoAllClear Invariant = "no-all-clear-beside-a-block"
	// InvariantKnownFacts: no sentence states a fact the input does not
	// hold (a directory fact offline, an assignment that was not read),
	// unless it says what the answer depends on ("if …").
	InvariantKnownFacts Invariant = "claims-only-known-facts"
	// InvariantPlainEndUser: end-user text carries no error code, id,
	// step name, HTTP status or job state.
	InvariantPlainEndUser Invariant = "end-user-text-plain"
	// InvariantVerbatimQuotes: every “quote” is a substring of the input.
	InvariantVerbatimQuotes Invariant = "quotes-verbatim"
	// InvariantAppInInput: the diagnosis is about an app of the input.
	InvariantAppInInput Invariant = "app-in-input"
)

// Violation is one broken invariant: which, the text (or field) that
// breaks it, and why.
type Violation struct {
	Invariant Invariant
	// Where names the part of the diagnosis: headline, explanation,
	// actions[1], notes[0], estimate, severity.
	Where string
	// Text is the offending text or value.
	Text string
	// Why says what is wrong.
	Why string
}

// String describes the violation in one line.
func (v Violation) String() string {
	return fmt.Sprintf("%s: %s: %s: %q", v.Invariant, v.Where, v.Why, v.Text)
}

// CheckInvariants checks one diagnosis against the input it was made from
// and the time of the question, and returns every broken invariant (none
// when the answer is sound). It looks only at the input and the answer,
// not at which rule decided: tests run it over golden diagnoses, the demo
// tenant, real-world cases and a generated matrix of inputs.
func CheckInvariants(in Input, d Diagnosis, now time.Time) []Violation {
	c := caseOf(in, d, now)
	if c == nil {
		return []Violation{{Invariant: InvariantAppInInput, Where: "app", Text: d.App.Name + " " + d.App.ServicePrincipalID,
			Why: "no app of the input, and no entry, has this id or name"}}
	}
	texts := diagnosisTexts(d)
	var out []Violation
	out = append(out, checkEstimateAgrees(c, d, texts)...)
	out = append(out, checkNoAllClear(c, d, texts)...)
	out = append(out, checkKnownFacts(c, texts)...)
	if d.Audience == EndUser {
		out = append(out, checkPlainEndUser(c, d, texts)...)
	}
	out = append(out, checkQuotes(c, texts)...)
	return out
}

// caseOf rebuilds the view of the diagnosis's app from the input: the
// app's job, the user's entries for it, the assignment.
func caseOf(in Input, d Diagnosis, now time.Time) *Case {
	for _, a := range collectApps(in) {
		idMatch := d.App.ServicePrincipalID != "" && strings.EqualFold(a.app.ID, d.App.ServicePrincipalID)
		nameMatch := d.App.ServicePrincipalID == "" || a.app.ID == ""
		nameMatch = nameMatch && (strings.EqualFold(a.app.Name, d.App.Name) || a.app.Name == "" && d.App.Name == "the app")
		if idMatch || nameMatch {
			return newCase(in, a.app, a.entries, now)
		}
	}
	return nil
}

// labelled is one text of a diagnosis and where it stands.
type labelled struct {
	where, text string
}

func diagnosisTexts(d Diagnosis) []labelled {
	out := []labelled{{"headline", d.Headline}, {"explanation", d.Explanation}}
	for i, r := range d.Recommendations {
		out = append(out, labelled{fmt.Sprintf("actions[%d]", i), r.Text})
	}
	for i, n := range d.Notes {
		out = append(out, labelled{fmt.Sprintf("notes[%d] %s", i, n.RuleID), n.Text})
	}
	if d.Estimate != nil {
		out = append(out, labelled{"estimate", d.Estimate.Text})
	}
	return out
}

// jobCondition is the job's state as the invariants see it, read from
// the job's own fields.
type jobCondition string

const (
	jobUnread        jobCondition = "unread"
	jobAbsent        jobCondition = "absent"
	jobNotConfigured jobCondition = "not-configured"
	jobStopped       jobCondition = "stopped"
	jobQuarantined   jobCondition = "quarantined"
	jobFailing       jobCondition = "failing"
	jobInitial       jobCondition = "initial"
	jobRunning       jobCondition = "running"
)

// blocked reports whether the job holds changes back from every user.
func (j jobCondition) blocked() bool {
	switch j {
	case jobAbsent, jobNotConfigured, jobStopped, jobQuarantined, jobFailing:
		return true
	}
	return false
}

func conditionOf(c *Case) jobCondition {
	switch {
	case !c.App.JobsKnown:
		return jobUnread
	case c.Job == nil:
		return jobAbsent
	}
	st, s := c.Job.Status, c.Job.Schedule
	switch {
	case st.Code == StatusNotConfigured:
		return jobNotConfigured
	case st.Code == StatusPaused || s.State == ScheduleDisabled || s.State == SchedulePaused || s.Unscheduled:
		return jobStopped
	case st.Code == StatusQuarantine || st.Code == StatusUnknown && st.Quarantine != nil && st.Quarantine.Reason != QuarantineUnspecified:
		return jobQuarantined
	case st.LastExecution != nil && st.LastExecution.State == ExecutionFailed:
		return jobFailing
	case st.Code == StatusNotRun || IsNever(st.SteadyStateFirstAchieved) && st.LastSuccessfulExecution == nil && len(st.Progress) > 0:
		return jobInitial
	}
	return jobRunning
}

// checkEstimateAgrees enforces InvariantEstimateAgreesWithJob.
func checkEstimateAgrees(c *Case, d Diagnosis, texts []labelled) []Violation {
	var out []Violation
	bad := func(why, text string) {
		out = append(out, Violation{Invariant: InvariantEstimateAgreesWithJob, Where: "estimate", Text: text, Why: why})
	}
	cond := conditionOf(c)
	var allowed []time.Time // future times a sentence may name
	if e := d.Estimate; e != nil {
		kindOK := true
		switch cond {
		case jobUnread:
			kindOK = e.Kind != EstimateQuarantineRetry && e.Kind != EstimateInitialCycle
			if (e.Kind == EstimateNextCycle || e.Kind == EstimateRetry) && !e.Earliest.IsZero() {
				bad("a time for the next cycle of a job provbot could not read", e.Text)
			}
		case jobAbsent, jobNotConfigured, jobStopped:
			kindOK = e.Kind == EstimateAdminAction || e.Kind == EstimateDone || e.Kind == EstimateUnknown
		case jobQuarantined:
			kindOK = e.Kind == EstimateQuarantineRetry || e.Kind == EstimateAdminAction || e.Kind == EstimateDone || e.Kind == EstimateUnknown
			if e.Kind == EstimateQuarantineRetry {
				want := quarantineNextAttempt(c.Job.Status.Quarantine, c.Now)
				if !e.Earliest.Equal(want) {
					bad("the quarantine's next attempt is "+c.clock(want)+", not "+c.clock(e.Earliest), e.Text)
				}
			}
		case jobFailing:
			kindOK = e.Kind != EstimateNextCycle && e.Kind != EstimateQuarantineRetry && e.Kind != EstimateInitialCycle
		case jobInitial:
			kindOK = e.Kind != EstimateNextCycle && e.Kind != EstimateQuarantineRetry
			if e.Kind == EstimateRetry && !e.Earliest.IsZero() {
				bad("a retry time during the first full pass, which runs until it ends", e.Text)
			}
		case jobRunning:
			kindOK = e.Kind != EstimateQuarantineRetry && e.Kind != EstimateInitialCycle
		}
		if !kindOK {
			bad(fmt.Sprintf("estimate kind %s beside a job that is %s", e.Kind, cond), e.Text)
		}
		if e.Kind == EstimateDone && e.Earliest.After(c.Now) {
			bad("done in the future", e.Text)
		}
		if (cond == jobRunning || cond == jobFailing) && (e.Kind == EstimateNextCycle || e.Kind == EstimateRetry) && !e.Earliest.IsZero() {
			if next, ok := invariantNextRun(c); ok && !onSchedule(c, e.Earliest, next) {
				bad("the job's next cycle is due at "+c.clock(next)+", not "+c.clock(e.Earliest), e.Text)
			}
		}
		if !e.Earliest.IsZero() && (e.Kind == EstimateNextCycle || e.Kind == EstimateRetry || e.Kind == EstimateQuarantineRetry) &&
			!strings.Contains(e.Text, c.clock(e.Earliest)) {
			bad("the estimate's words do not name its time "+c.clock(e.Earliest), e.Text)
		}
		allowed = append(allowed, e.Earliest, e.Latest)
	}
	if t, ok := retryDate(c); ok {
		allowed = append(allowed, t) // a time the service itself stated
	}
	switch cond {
	case jobQuarantined:
		allowed = append(allowed, quarantineNextAttempt(c.Job.Status.Quarantine, c.Now))
	case jobRunning, jobFailing:
		if next, ok := invariantNextRun(c); ok {
			allowed = append(allowed, next)
		}
	}
	for _, t := range texts {
		for _, s := range clocksIn(t.text) {
			at, ok := parseClock(s, c.Now, c.Loc)
			if !ok || !at.After(c.Now.Add(time.Minute)) {
				continue
			}
			if !containsMinute(allowed, at) && !within(d.Estimate, at) {
				out = append(out, Violation{Invariant: InvariantEstimateAgreesWithJob, Where: t.where, Text: t.text,
					Why: fmt.Sprintf("names the future time %s, which is not when the job (%s) next acts", s, cond)})
			}
		}
	}
	return out
}

// invariantNextRun is when a running job's next cycle is due: its last
// run plus the interval, stepped past now.
func invariantNextRun(c *Case) (time.Time, bool) {
	st := c.Job.Status
	var base time.Time
	if le := st.LastExecution; le != nil {
		base = le.Ended
		if IsNever(base) {
			base = le.Began
		}
	}
	if IsNever(base) {
		base = st.SteadyStateLastAchieved
	}
	if IsNever(base) {
		return time.Time{}, false
	}
	iv := c.Job.Schedule.Interval
	if iv <= 0 || iv >= NeverInterval {
		iv = DefaultInterval
	}
	next := base.Add(iv)
	for next.Before(c.Now) {
		next = next.Add(iv)
	}
	return next, true
}

// onSchedule reports whether t is the job's next cycle, or a later cycle
// of the same schedule.
func onSchedule(c *Case, t, next time.Time) bool {
	if t.Before(next.Add(-time.Minute)) {
		return false
	}
	iv := c.Job.Schedule.Interval
	if iv <= 0 || iv >= NeverInterval {
		iv = DefaultInterval
	}
	off := t.Sub(next) % iv
	return off < time.Minute || iv-off < time.Minute
}

// within reports whether t lies in the estimate's window.
func within(e *Estimate, t time.Time) bool {
	if e == nil || e.Earliest.IsZero() || e.Latest.IsZero() {
		return false
	}
	return !t.Before(e.Earliest.Truncate(time.Minute)) && !t.After(e.Latest.Add(time.Minute))
}

func sameMinute(a, b time.Time) bool { return a.Truncate(time.Minute).Equal(b.Truncate(time.Minute)) }

func containsMinute(ts []time.Time, t time.Time) bool {
	for _, u := range ts {
		if !u.IsZero() && (sameMinute(u, t) || u.Sub(t).Abs() < time.Minute) {
			return true
		}
	}
	return false
}

// clockRE and clockDayRE find times as Clock writes them: "14:40 UTC",
// "Mon 2 Jan 14:40 UTC", "2 Jan 2006 14:40 UTC".
var (
	clockRE    = regexp.MustCompile(`\b\d{2}:\d{2} (?:[A-Z][A-Za-z]{1,5}|[-+]\d{2,4})\b`)
	clockDayRE = regexp.MustCompile(`(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}|\d{1,2} [A-Z][a-z]{2} \d{4}) $`)
)

// clocksIn returns the times Clock wrote in s, with their day when given.
func clocksIn(s string) []string {
	if !strings.Contains(s, ":") {
		return nil
	}
	var out []string
	for _, m := range clockRE.FindAllStringIndex(s, -1) {
		start := max(m[0]-16, 0)
		if d := clockDayRE.FindString(s[start:m[0]]); d != "" {
			out = append(out, d+s[m[0]:m[1]])
			continue
		}
		out = append(out, s[m[0]:m[1]])
	}
	return out
}

// parseClock reads a time Clock wrote, relative to now in loc.
func parseClock(s string, now time.Time, loc *time.Location) (time.Time, bool) {
	if loc == nil {
		loc = time.UTC
	}
	ln := now.In(loc)
	for _, layout := range []string{"2 Jan 2006 15:04 MST", "Mon 2 Jan 15:04 MST", "15:04 MST"} {
		t, err := time.ParseInLocation(layout, s, loc)
		if err != nil {
			continue
		}
		switch layout {
		case "Mon 2 Jan 15:04 MST":
			t = time.Date(ln.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, loc)
		case "15:04 MST":
			t = time.Date(ln.Year(), ln.Month(), ln.Day(), t.Hour(), t.Minute(), 0, 0, loc)
		}
		return t, true
	}
	return time.Time{}, false
}

// allClearRE finds sentences that say nothing needs doing.
var allClearRE = regexp.MustCompile(`(?i)\bno (?:provisioning )?action (?:is )?needed\b|(?:^|[.!?]\s+)nothing (?:needs )?to do\b|nothing is broken`)

// checkNoAllClear enforces InvariantNoAllClear.
func checkNoAllClear(c *Case, d Diagnosis, texts []labelled) []Violation {
	cond := conditionOf(c)
	failed := c.Latest != nil && c.Latest.Status == ResultFailure
	if !cond.blocked() && !failed {
		return nil
	}
	why := "beside a job that is " + string(cond)
	if failed {
		why = "beside a newest entry that failed"
	}
	var out []Violation
	if d.Severity == SeverityOK {
		out = append(out, Violation{Invariant: InvariantNoAllClear, Where: "severity", Text: string(d.Severity), Why: "ok " + why})
	}
	for _, t := range texts {
		if m := allClearRE.FindString(t.text); m != "" {
			out = append(out, Violation{Invariant: InvariantNoAllClear, Where: t.where, Text: t.text, Why: "says “" + strings.TrimSpace(m) + "” " + why})
		}
	}
	return out
}

// factClaim is a way of stating a fact in a sentence.
type factClaim struct {
	fact Fact
	re   *regexp.Regexp
	// shown reports whether the entries themselves show the claim, so that
	// it holds even when the fact was not read; nil when they cannot.
	shown func(c *Case) bool
}

// factClaims are the ways sentences state facts that come from outside the
// log entries. They are written for the present tense: what a log entry
// showed at its time is told in the past tense and is not a claim here.
var factClaims = []factClaim{
	{FactUserState, regexp.MustCompile(`(?i)directory shows|in the directory now|in Entra now|\b(?:is|are) (?:disabled|turned off|off|enabled|blocked) in (?:Entra|the (?:company )?directory)|accountEnabled (?:=|is) (?:false|true) in (?:Entra|the directory)|(?:is|are) in the (?:Entra )?recycle bin|is soft-deleted|work account is (?:turned )?off|(?:is|was) deleted from the (?:company )?directory|work account was deleted`), nil},
	{FactUserState, regexp.MustCompile(`(?i)is a (?:B2B )?guest\b|\bYou are a guest\b`), entriesShowGuest},
	{FactAssignment, regexp.MustCompile(`(?i)\b(?:is|are) not assigned\b|\bhave not been given\b|\bhas not been given\b|neither directly nor through|\b(?:is|are) assigned (?:directly|through|to)\b|\bassigned through group\b|only through (?:nested group|a group inside)|which is nested in|\bsits inside\b|\bYou were given\b|\bwas given\b`), nil},
	{FactAssignmentSince, regexp.MustCompile(`(?i)\b(?:was|were) (?:given|assigned)(?: [A-Za-z]+){0,6} at \d|after the last (?:provisioning )?(?:cycle|check|run)|(?:was|were) assigned again`), nil},
	// "Turned off" is a job fact only when provisioning is what is off:
	// "until text-message sign-in is turned off", "the work account is
	// turned off" are not about the job.
	{FactJobs, regexp.MustCompile(`(?i)next (?:provisioning |incremental )?cycle|\bevery \d+ (?:minutes|hours)\b|\bwithin about \d+|\bjob (?:is|was|runs|itself)\b|\b(?:provisioning|automatic accounts|synchroni[sz]ation|sync|the link)(?: (?:into|for|to|of|that sends accounts to) [^.;:,]{1,60}?)? (?:is|are) (?:now )?turned off\b|\b(?:is|are) on hold\b|\bis quarantined\b|first full pass|\bcycles? (?:run|ran|has run)\b|after the last (?:provisioning )?cycle`), nil},
	{FactScope, regexp.MustCompile(`(?i)\bis set to sync all|\bsyncs all users|\bprovisions only assigned`), nil},
}

// entriesShowGuest reports whether the user's entries show a B2B guest:
// the #EXT# marker in a UPN, or userType Guest.
func entriesShowGuest(c *Case) bool {
	for _, e := range c.Entries {
		if strings.Contains(strings.ToUpper(e.SourceUPN()), "#EXT#") {
			return true
		}
		if v, ok := e.Detail("userType"); ok && strings.EqualFold(strings.TrimSpace(v), "Guest") {
			return true
		}
	}
	return false
}

// hedgeRE finds words that make a sentence say what it depends on.
var hedgeRE = regexp.MustCompile(`(?i)\bif\b|\bunless\b|\bwhether\b|\beither\b|could not (?:read|tell|be read)|cannot tell|not known|does not know|depends|\bmay\b|\bmight\b|\bprobably\b|\bcheck (?:that|whether)\b|\bmake sure\b`)

// checkKnownFacts enforces InvariantKnownFacts.
func checkKnownFacts(c *Case, texts []labelled) []Violation {
	var out []Violation
	for _, fc := range factClaims {
		if c.known(fc.fact) || fc.shown != nil && fc.shown(c) {
			continue
		}
		why, _ := c.unknown(fc.fact)
		for _, t := range texts {
			// One search per text, then the sentence each match stands in
			// (a sentence is flagged once, for its first match).
			flagged := -1
			for _, loc := range fc.re.FindAllStringIndex(t.text, -1) {
				from, to := sentenceAround(t.text, loc[0])
				if from == flagged {
					continue
				}
				s := strings.TrimSpace(t.text[from:to])
				if hedgeRE.MatchString(s) {
					continue
				}
				flagged = from
				out = append(out, Violation{Invariant: InvariantKnownFacts, Where: t.where, Text: s,
					Why: fmt.Sprintf("states %s (“%s”), which was not read (%s)", fc.fact, t.text[loc[0]:loc[1]], why.Words())})
			}
		}
	}
	return out
}

// sentenceAround returns the bounds of the sentence of text that holds
// byte i: sentences end at '.', '!' or '?' before a space or the end.
func sentenceAround(text string, i int) (from, to int) {
	isEnd := func(k int) bool {
		return (text[k] == '.' || text[k] == '!' || text[k] == '?') && (k+1 == len(text) || text[k+1] == ' ')
	}
	for k := i - 1; k >= 0; k-- {
		if isEnd(k) {
			from = k + 1
			break
		}
	}
	to = len(text)
	for k := i; k < len(text); k++ {
		if isEnd(k) {
			to = k + 1
			break
		}
	}
	return from, to
}

var (
	guidRE       = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	stepNameRE   = regexp.MustCompile(`\bEntry[A-Z][A-Za-z]+\b`)
	httpStatusWd = regexp.MustCompile(`(?i)\b(?:HTTP|status(?: code)?|error)\s*:?\s*[1-5]\d\d\b`)
	codeLikeRE   = regexp.MustCompile(`\b[A-Z][a-z]+(?:[A-Z][a-z0-9]+){2,}\b`)
	jobStateRE   = regexp.MustCompile(`(?i)quarantin|escrow|steady state|initial cycle|incremental cycle|\bNotConfigured\b|\bNotRun\b|EntryLevelErrors|provisioning job|\bSkipReason\b`)
)

// checkPlainEndUser enforces InvariantPlainEndUser.
func checkPlainEndUser(c *Case, d Diagnosis, texts []labelled) []Violation {
	var out []Violation
	bad := func(t labelled, why string) {
		out = append(out, Violation{Invariant: InvariantPlainEndUser, Where: t.where, Text: t.text, Why: why})
	}
	ids, codes, steps := endUserSecrets(c)
	for _, t := range texts {
		plain := t.text
		// Names people know are not codes, even when they look like one.
		for _, n := range []string{d.App.Name, c.App.Name, d.User.DisplayName} {
			if n != "" {
				plain = strings.ReplaceAll(plain, n, "")
			}
		}
		if m := guidRE.FindString(plain); m != "" {
			bad(t, "shows the id "+m)
		}
		for _, id := range ids {
			if strings.Contains(plain, id) {
				bad(t, "shows the id "+id)
			}
		}
		for _, code := range codes {
			if strings.Contains(plain, code) {
				bad(t, "shows the error code "+code)
			}
		}
		if m := codeLikeRE.FindString(plain); m != "" {
			bad(t, "shows what looks like a code: "+m)
		}
		for _, s := range steps {
			if strings.Contains(plain, s) {
				bad(t, "names the step "+s)
			}
		}
		if m := stepNameRE.FindString(plain); m != "" {
			bad(t, "names the step "+m)
		}
		if m := httpStatusWd.FindString(plain); m != "" {
			bad(t, "shows the status code "+m)
		}
		if m := jobStateRE.FindString(plain); m != "" {
			bad(t, "names a job state: "+m)
		}
	}
	return out
}

// endUserSecrets lists what end-user text must not show for this case:
// ids, error codes and step names from the input.
func endUserSecrets(c *Case) (ids, codes, steps []string) {
	addID := func(s string) {
		if len(s) >= 6 {
			ids = append(ids, s)
		}
	}
	addCode := func(s string) {
		if len(s) >= 4 && !strings.EqualFold(s, "none") {
			codes = append(codes, s)
		}
	}
	if c.User != nil {
		addID(c.User.ObjectID)
	}
	addID(c.App.ID)
	for _, e := range c.Entries {
		for _, s := range []string{e.ID, e.ChangeID, e.CycleID, e.JobID, e.TenantID, e.Target.ID, e.Source.ID, e.ServicePrincipal.ID} {
			addID(s)
		}
		addCode(e.ErrorCode())
		for _, s := range e.Steps {
			if len(s.Name) >= 6 {
				steps = append(steps, s.Name)
			}
		}
	}
	if j := c.Job; j != nil {
		addID(j.ID)
		if le := j.Status.LastExecution; le != nil {
			addID(le.ActivityID)
			if le.Error != nil {
				addCode(le.Error.Code)
			}
		}
		if q := j.Status.Quarantine; q != nil {
			addCode(q.RawReason)
			if q.Error != nil {
				addCode(q.Error.Code)
			}
		}
	}
	return ids, codes, steps
}

var quoteRE = regexp.MustCompile(`“([^”]*)”`)

// checkQuotes enforces InvariantVerbatimQuotes: what stands in curly
// quotes is the input's own text (whitespace aside; a long quote may be
// cut short with "…").
func checkQuotes(c *Case, texts []labelled) []Violation {
	var out []Violation
	var hay string
	for _, t := range texts {
		for _, m := range quoteRE.FindAllStringSubmatch(t.text, -1) {
			q := strings.TrimSuffix(squashSpace(m[1]), "…")
			if q == "" {
				continue
			}
			if hay == "" {
				// A JSON body's strings are what the app said: its escapes
				// may be read.
				raw := inputText(c)
				hay = squashSpace(raw + "\n" + strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\/`, `/`).Replace(raw))
			}
			if !strings.Contains(hay, q) {
				out = append(out, Violation{Invariant: InvariantVerbatimQuotes, Where: t.where, Text: m[0],
					Why: "the quoted text is not in the input"})
			}
		}
	}
	return out
}

func squashSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// inputText is every string of the input a sentence may quote.
func inputText(c *Case) string {
	var b strings.Builder
	w := func(ss ...string) {
		for _, s := range ss {
			b.WriteString(s)
			b.WriteString("\n")
		}
	}
	for _, e := range c.Entries {
		w(e.Source.DisplayName, e.Target.DisplayName, e.SourceUPN())
		if e.Error != nil {
			w(e.Error.Code, e.Error.Reason, e.Error.AdditionalDetails, e.Error.RecommendedAction)
		}
		for _, s := range e.Steps {
			w(s.Name, s.Description)
			for k, v := range s.Details {
				w(k, v)
			}
		}
		for _, m := range e.Modified {
			w(m.Name, m.OldValue, m.NewValue)
		}
	}
	if j := c.Job; j != nil {
		if le := j.Status.LastExecution; le != nil && le.Error != nil {
			w(le.Error.Code, le.Error.Message)
		}
		if q := j.Status.Quarantine; q != nil && q.Error != nil {
			w(q.Error.Code, q.Error.Message)
		}
	}
	if u := c.User; u != nil {
		w(u.DisplayName, u.UPN, u.Mail)
	}
	if a := c.Assignment; a != nil {
		w(a.Group, a.ViaGroup, a.RoleName)
	}
	w(c.App.Name)
	return b.String()
}
