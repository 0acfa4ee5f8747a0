package diagnose

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The placeholders a rule's sentences may use:
//
//	{user}       the user's name                 {app}        the app's name
//	{time}       newest entry's time (clock)     {ago}        how long ago that was
//	{action}     newest entry's action           {code}       its error code
//	{reason}     the service's reason, quoted    {http}       HTTP status quoted in the reason
//	{step}       the step that failed or skipped {skipreason} the SkipReason detail
//	{filter}     scoping clauses that failed     {target}     the target account id
//	{change}     change id                       {cycle}      cycle id
//	{job}        job id                          {group}      assigned group
//	{viagroup}   the nested group                {role}       assigned app role
//	{since}      when the assignment was made    {sinceago}   how long ago that was
//	{failures}   failures in a row               {firstfail}  when they began
//	{resolved}   when a success resolved them    {lastok}     newest success
//	{next}       the estimate in words           {lastrun}    when the job last ran
//	{qreason}    quarantine reason, plain words  {qcode}      quarantine error code
//	{qmessage}   quarantine error message        {qsince}     quarantine series start
//	{qnext}      next quarantine attempt
//	{retention}  how far back logs go            {upn}        the user's UPN
//	{threshold}  the too-many-deletes threshold  {deleted}    when the user was deleted
//	{jobstatus}  the job's status code           {schedstate} the schedule's state
//	{qrawreason} quarantine reason as on the wire {fails}     whole runs failed in a row
//	{progress}   "; 40% done" or ""
//	{httpnote}   "The app answered with HTTP status 409. " or ""
//	{status}     newest entry's status
//	{jobverdict} the job's one-line verdict      {assignment} the assignment in words
//	{escrowed}   objects awaiting retry          {lastexport} last run that wrote to the app
//	{interval}   time between cycles
//	{errsummary} " Error code X. Failed step: Y. The app answered with HTTP status N. The service said: “…”" (only the known parts), or ""
//	{qerror}     " (quarantine error X: “message”)" or ""
//	{runerror}   " (X: message)" for the last run's error, or ""
//	{priorfailures} failures before the newest success  {priorcode} the newest of their codes
//	{asof}       the time an answer about older saved files is told as of, with its year
//	{asofday}    the same, as a day          {asofwhy}    why: when the files were taken, or their newest time
//	{ifruns}     what a promise about the next cycle depends on: "" when the job runs, " if provisioning
//	             for App runs normally" when it could not be read, " once provisioning for App is turned
//	             back on" (set up, works again, ends its first full pass) when it does not run now
func (c *Case) initVars() {
	if c.vars != nil {
		return
	}
	v := make(map[string]string, 64)
	c.vars = v
	for _, k := range varNames {
		v[k] = ""
	}
	v["user"] = caseUserName(c)
	v["app"] = appName(c)
	v["upn"] = ""
	if c.User != nil {
		v["upn"] = c.User.UPN
	}
	v["retention"] = Count(int(c.Retention/(24*time.Hour)), "day")
	v["inlogs"] = "in the last " + v["retention"]
	v["retentionnote"] = " (logs are kept 30 days with Entra ID P1/P2, 7 days without)"
	if s := c.saved; s != nil {
		v["retentionnote"] = ""
		switch {
		case s.Entries == 0:
			v["inlogs"] = "in the saved logs, which hold no entries"
		case IsNever(s.From) || IsNever(s.To):
			v["inlogs"] = "in the saved logs"
		case s.To.Sub(s.From) < time.Minute:
			v["inlogs"] = "in the saved logs (" + Count(s.Entries, "entry") + ", at " + c.clock(s.From) + ")"
		default:
			v["inlogs"] = "in the saved logs (" + Count(s.Entries, "entry") + ", from " + c.clock(s.From) + " to " + c.clock(s.To) + ")"
		}
	}
	if c.asOf {
		v["asof"] = asOfWords(c)
		v["asofday"] = c.Now.In(c.Loc).Format("2 January 2006")
		v["asofwhy"] = "the newest time they hold, more than a day before the question"
		if c.saved != nil && !c.saved.Taken.IsZero() {
			v["asofwhy"] = "when they were taken"
		}
	}
	v["jobwords"] = jobWords(c)
	if e := c.Latest; e != nil {
		v["time"] = c.clock(e.ActivityTime)
		v["ago"] = c.ago(e.ActivityTime)
		v["action"] = actionNoun(e)
		v["actionname"] = string(e.Action)
		if e.Action == ActionOther {
			v["actionname"] = nonEmpty(e.RawAction, string(e.Action))
		}
		v["change"] = orNone(e.ChangeID)
		v["cycle"] = orNone(e.CycleID)
		v["job"] = orNone(e.JobID)
		v["target"] = orNone(e.Target.ID)
		if e.Error != nil {
			v["code"] = e.Error.Code
			v["reason"] = quote(e.Error.Reason)
		}
		if s, ok := e.FailedStep(); ok {
			v["step"] = stepLabel(s)
		}
		if sr, ok := e.Detail("SkipReason"); ok {
			v["skipreason"] = sr
		}
		v["filter"] = failedClauses(e)
		if n := targetHTTP(c); n != 0 {
			v["http"] = strconv.Itoa(n)
			v["httpnote"] = "The app answered with HTTP status " + v["http"] + ". "
		}
		v["status"] = nonEmpty(e.RawStatus, string(e.Status))
		v["errsummary"] = errSummary(e, v["http"])
	}
	if c.Job != nil {
		if v["job"] == "" || v["job"] == "(none)" {
			v["job"] = c.Job.ID
		}
		st := c.Job.Status
		v["jobstatus"] = nonEmpty(st.RawCode, string(st.Code))
		v["schedstate"] = nonEmpty(c.Job.Schedule.RawState, string(c.Job.Schedule.State))
		v["fails"] = strconv.FormatInt(st.CountSuccessiveCompleteFailures, 10)
		v["failruns"] = Count64(st.CountSuccessiveCompleteFailures, "complete failure")
		if pct, ok := jobProgress(c.Job); ok {
			v["progress"] = fmt.Sprintf("; %d%% done", pct)
		} else {
			v["progress"] = ""
		}
		if le := st.LastExecution; le != nil {
			t := le.Ended
			if IsNever(t) {
				t = le.Began
			}
			if !IsNever(t) {
				v["lastrun"] = c.clock(t) + " (" + c.ago(t) + ")"
			}
			if le.Error != nil && !le.Error.IsNone() {
				v["runerror"] = " (" + strings.TrimSpace(le.Error.Code+": "+le.Error.Message) + ")"
			}
		}
		if q := st.Quarantine; q != nil {
			v["qreason"] = quarantinePlain(q)
			v["qrawreason"] = nonEmpty(q.RawReason, "(empty)")
			if q.Error != nil && !q.Error.IsNone() {
				v["qcode"] = q.Error.Code
				v["qmessage"] = quote(q.Error.Message)
				v["qerror"] = " (quarantine error " + q.Error.Code
				if q.Error.Message != "" {
					v["qerror"] = strings.TrimRight(v["qerror"], " ") + ": " + v["qmessage"]
				}
				v["qerror"] += ")"
			}
			if !IsNever(q.SeriesBegan) {
				v["qsince"] = c.clock(q.SeriesBegan) + " (" + c.ago(q.SeriesBegan) + ")"
			} else if !IsNever(q.CurrentBegan) {
				v["qsince"] = c.clock(q.CurrentBegan) + " (" + c.ago(q.CurrentBegan) + ")"
			}
			if t := quarantineNextAttempt(q, c.Now); !t.IsZero() {
				v["qnext"] = c.clock(t)
			}
		}
		st2 := c.jobStatus()
		v["jobverdict"] = st2.Verdict
		v["escrowed"] = strconv.FormatInt(st2.Escrowed, 10)
		v["escrowedobjects"] = Count64(st2.Escrowed, "object")
		if lx := st.LastSuccessfulExecutionWithExports; lx != nil && !IsNever(lx.Ended) {
			v["lastexport"] = c.clock(lx.Ended)
		} else {
			v["lastexport"] = "never"
		}
		if th, ok := c.Job.Setting("QuarantineTooManyDeletesThreshold"); ok {
			v["threshold"] = th
		}
	}
	if c.Job == nil && c.App.JobsKnown {
		v["jobverdict"] = "there is none, so automatic provisioning into " + v["app"] + " was never set up."
	}
	v["interval"] = span(c.interval())
	v["ifruns"] = ifRuns(c, v["app"])
	if a := c.Assignment; a != nil {
		v["assignment"] = assignmentWords(a)
		v["group"] = a.Group
		v["viagroup"] = a.ViaGroup
		v["role"] = a.RoleName
		if !a.Since.IsZero() {
			v["since"] = c.clock(a.Since)
			v["sinceago"] = c.ago(a.Since)
		}
	}
	if c.User != nil && !c.User.DeletedAt.IsZero() {
		v["deleted"] = c.clock(c.User.DeletedAt)
	}
	if len(c.Entries) > 1 {
		n := 0
		for _, e := range c.Entries[1:] {
			if e.Status == ResultSuccess {
				break
			}
			if e.Status == ResultFailure {
				if n == 0 {
					v["priorcode"] = e.ErrorCode()
				}
				n++
			}
		}
		v["priorfailures"] = strconv.Itoa(n)
		v["priorattempts"] = Count(n, "failed attempt")
	}
	h := c.History
	v["failures"] = strconv.Itoa(h.FailuresInARow)
	v["failtimes"] = Count(h.FailuresInARow, "time")
	if !h.FirstFailureInARow.IsZero() {
		v["firstfail"] = c.clock(h.FirstFailureInARow)
	}
	if !h.ResolvedAt.IsZero() {
		v["resolved"] = c.clock(h.ResolvedAt)
	}
	if !h.LastSuccess.IsZero() {
		v["lastok"] = c.clock(h.LastSuccess)
	}
}

// varNames are every placeholder; each starts out empty.
var varNames = []string{
	"user", "app", "time", "ago", "action", "code", "reason", "http", "httpnote", "status",
	"step", "skipreason", "filter", "target", "change", "cycle", "job", "group", "viagroup",
	"role", "since", "sinceago", "failures", "firstfail", "resolved", "lastok", "next",
	"lastrun", "qreason", "qrawreason", "qcode", "qmessage", "qsince", "qnext", "runerror",
	"retention", "upn", "threshold", "deleted", "jobstatus", "schedstate", "fails", "progress",
	"priorfailures", "priorcode", "qerror", "errsummary", "jobverdict", "assignment", "escrowed", "lastexport", "interval", "inlogs", "retentionnote", "jobwords", "ifruns", "actionname", "failruns", "escrowedobjects", "priorattempts", "failtimes",
	"asof", "asofday", "asofwhy",
}

// value returns a placeholder's value ("" when unset).
func (c *Case) value(k string) string {
	c.initVars()
	return c.vars[k]
}

// setVar sets a placeholder's value.
func (c *Case) setVar(k, val string) {
	c.initVars()
	c.vars[k] = val
}

// fill replaces the placeholders in a template. Unknown placeholders are
// left as they are (tests check that none remain).
func (c *Case) fill(tmpl string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	c.initVars()
	var b strings.Builder
	b.Grow(len(tmpl) + 64)
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			break
		}
		key := tmpl[i+1 : i+j]
		val, ok := c.vars[key]
		b.WriteString(tmpl[:i])
		if ok {
			if val == "" && !optionalVars[key] {
				val = "(unknown)"
			}
			fixArticle(&b, val)
			b.WriteString(sentenceCase(b.String(), val))
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
	return quoteEnds.Replace(b.String())
}

// quoteEnds drops a sentence's full stop after a quote that already ends
// one (“… team.”. reads “… team.”); the quote itself stays verbatim.
var quoteEnds = strings.NewReplacer(".”.", ".”", "?”.", "?”", "!”.", "!”")

// ifRuns is what a promise about the next cycle depends on, said right
// after it ("the next cycle retries{ifruns}."): nothing when the job is
// known to run normally; the condition when the job could not be read;
// and when the job will run again when it is known not to run now. Every
// sentence that promises a next cycle carries it, so that none states a
// job fact the input lacks or contradicts the job's state.
func ifRuns(c *Case, app string) string {
	switch {
	case !c.known(FactJobs):
		return " if provisioning for " + app + " runs normally"
	case c.Job == nil || c.JobCode() == StatusNotConfigured:
		return " once provisioning for " + app + " is set up"
	case c.Stopped():
		return " once provisioning for " + app + " is turned back on"
	case c.Quarantined() || c.runFailed():
		return " once provisioning for " + app + " works again"
	case c.InitialCycleRunning():
		return " after the first full pass of provisioning for " + app + " ends"
	}
	return ""
}

// jobWords says what state the job is in, for "Provisioning into {app}
// {jobwords}, so …".
func jobWords(c *Case) string {
	switch {
	case !c.App.JobsKnown:
		return "could not be read"
	case c.Job == nil:
		return "was never set up"
	case c.JobCode() == StatusNotConfigured:
		return "was never finished"
	case disabledAfterQuarantine(c):
		return "was switched off after a long quarantine"
	case c.Stopped():
		return "is turned off"
	case c.Quarantined():
		return "is on hold (quarantined: " + quarantinePlain(c.Quarantine()) + ")"
	case c.runFailed():
		return "fails whole runs"
	case c.InitialCycleRunning():
		return "is still doing its first full pass"
	}
	return "runs"
}

// sentenceCase capitalises a value that starts a sentence with a lower
// case article or determiner ("the Sales group was …"). Other values,
// such as a UPN, keep their case.
func sentenceCase(before, val string) string {
	t := strings.TrimRight(before, " ")
	if t != "" && !strings.HasSuffix(t, ".") && !strings.HasSuffix(t, "!") && !strings.HasSuffix(t, "?") {
		return val
	}
	for _, w := range []string{"the ", "a ", "an ", "this ", "your "} {
		if strings.HasPrefix(val, w) {
			return strings.ToUpper(val[:1]) + val[1:]
		}
	}
	return val
}

// fixArticle makes an "a" just written before a value agree with the
// value's sound: "a {app}" becomes "an Adobe Creative Cloud".
func fixArticle(b *strings.Builder, val string) {
	s := b.String()
	var art string
	switch {
	case strings.HasSuffix(s, " a ") || s == "a ":
		art = "a "
	case strings.HasSuffix(s, " A ") || s == "A " || strings.HasSuffix(s, ". A "):
		art = "A "
	case strings.HasSuffix(s, " an ") || s == "an ":
		art = "an "
	case strings.HasSuffix(s, " An ") || s == "An ":
		art = "An "
	default:
		return
	}
	want := AOrAn(val) + " "
	if strings.EqualFold(art, want) {
		return
	}
	if art[0] == 'A' {
		want = strings.ToUpper(want[:1]) + want[1:]
	}
	rest := s[:len(s)-len(art)] + want
	b.Reset()
	b.WriteString(rest)
}

// optionalVars may be empty without being shown as "(unknown)".
var optionalVars = map[string]bool{"progress": true, "httpnote": true, "errsummary": true, "qerror": true, "runerror": true, "ifruns": true, "aftercycle": true, "retentionnote": true, "pathnote": true, "assigninner": true}

// fillAll fills every recommendation's text.
func (c *Case) fillAll(rs []Recommendation) []Recommendation {
	if len(rs) == 0 {
		return nil
	}
	out := make([]Recommendation, 0, len(rs))
	for _, r := range rs {
		// A recommendation made only of an empty placeholder does not apply.
		if t := c.fill(r.Text); strings.TrimSpace(t) != "" {
			out = append(out, Recommendation{Who: r.Who, Text: t})
		}
	}
	return out
}

// caseUserName is the user's name as sentences use it.
func caseUserName(c *Case) string {
	if c.Group != nil {
		return c.Group.Name()
	}
	if c.User != nil {
		return c.User.Name()
	}
	if c.Latest != nil {
		if n := c.Latest.Source.DisplayName; n != "" {
			return n
		}
		if upn := c.Latest.SourceUPN(); upn != "" {
			return upn
		}
		if c.Latest.Source.ID != "" {
			return "user " + c.Latest.Source.ID
		}
	}
	return "this user"
}

// clock formats a time as the sentences show it: "14:40 UTC" today,
// "Mon 2 Jan 14:40 UTC" on other days.
//
// A help-desk answer about saved files older than the question
// (Input.AsOf) shows every time with its date and year: its "today" is
// not the reader's.
func (c *Case) clock(t time.Time) string {
	if c.asOf && c.Audience != EndUser && !IsNever(t) {
		return t.In(c.Loc).Format("2 Jan 2006 15:04 MST")
	}
	return Clock(t, c.Now, c.Loc)
}

// Clock formats a time the way provbot's answers show it: "14:40 UTC" on
// the day of now, "Mon 2 Jan 14:40 UTC" in the same year, "2 Jan 2006 14:40
// UTC" otherwise, in loc (UTC when nil); "never" for the zero time.
func Clock(t, now time.Time, loc *time.Location) string {
	if IsNever(t) {
		return "never"
	}
	if loc == nil {
		loc = time.UTC
	}
	lt, ln := t.In(loc), now.In(loc)
	if lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay() {
		return lt.Format("15:04 MST")
	}
	if lt.Year() == ln.Year() {
		return lt.Format("Mon 2 Jan 15:04 MST")
	}
	return lt.Format("2 Jan 2006 15:04 MST")
}

// ago says how long before now t was, in words.
func (c *Case) ago(t time.Time) string {
	d := c.Now.Sub(t)
	if d < 0 {
		return "in " + span(-d)
	}
	if d < time.Minute {
		return "just now"
	}
	return span(d) + " ago"
}

// span says a duration in rounded words: "25 minutes", "3 hours", "2 days".
func span(d time.Duration) string {
	switch {
	case d < 90*time.Second:
		return "1 minute"
	case d < 90*time.Minute:
		return plural(int(d.Round(time.Minute)/time.Minute), "minute")
	case d < 36*time.Hour:
		return plural(int(d.Round(time.Hour)/time.Hour), "hour")
	default:
		return plural(int(d.Round(24*time.Hour)/(24*time.Hour)), "day")
	}
}

func plural(n int, unit string) string { return Count(n, unit) }

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// quote trims a service message and puts it in quotes, shortened to a
// readable length.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	const max = 400
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return "“" + s + "”"
}

// modifiedNames lists the attributes the newest entry sent or changed
// (its modifiedProperties), in order, without repeats.
func modifiedNames(c *Case) []string {
	if c.Latest == nil {
		return nil
	}
	var out []string
	for _, m := range c.Latest.Modified {
		if m.Name != "" && !slices.Contains(out, m.Name) {
			out = append(out, m.Name)
		}
	}
	return out
}

// entryValue finds a value the newest entry holds for an attribute whose
// name contains one of hints (ignoring case): first among its modified
// properties' new values, then among its steps' details. Templates use it
// before they fall back to saying a value is unknown.
func entryValue(c *Case, hints ...string) (name, value string, ok bool) {
	if c.Latest == nil {
		return "", "", false
	}
	match := func(k string) bool {
		lk := strings.ToLower(k)
		for _, h := range hints {
			if strings.Contains(lk, strings.ToLower(h)) {
				return true
			}
		}
		return false
	}
	for _, m := range c.Latest.Modified {
		if match(m.Name) && strings.TrimSpace(m.NewValue) != "" {
			return m.Name, m.NewValue, true
		}
	}
	for _, s := range c.Latest.Steps {
		for _, k := range slices.Sorted(maps.Keys(s.Details)) {
			if match(k) && strings.TrimSpace(s.Details[k]) != "" {
				return k, s.Details[k], true
			}
		}
	}
	return "", "", false
}

// quoteStep quotes a step's description verbatim and lists its details
// after it, unquoted: “description” (key = value; …).
func quoteStep(s Step) string {
	out := quote(s.Description)
	if len(s.Details) == 0 {
		return nonEmpty(out, "nothing")
	}
	keys := slices.Sorted(maps.Keys(s.Details))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+" = "+shorten(s.Details[k], 200))
	}
	if out == "" {
		return strings.Join(parts, "; ")
	}
	return out + " (" + strings.Join(parts, "; ") + ")"
}

func stepLabel(s Step) string {
	if s.Name == "" {
		return string(s.Type)
	}
	return s.Name + " (" + string(s.Type) + ")"
}

// failedClauses lists the scoping clauses that evaluated to false, from the
// JSON-in-a-string ScopeEvaluationResult detail.
func failedClauses(e *Entry) string {
	raw, ok := e.Detail("ScopeEvaluationResult")
	if !ok || raw == "" {
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return raw
	}
	var failed []string
	for k, v := range m {
		if b, ok := v.(bool); ok && !b {
			failed = append(failed, k)
		} else if s, ok := v.(string); ok && strings.EqualFold(s, "false") {
			failed = append(failed, k)
		}
	}
	slices.Sort(failed)
	return strings.Join(failed, "; ")
}

// errSummary says what is known about an entry's failure, leaving out
// what is not: code, failed step, HTTP status, the service's reason.
func errSummary(e *Entry, http string) string {
	var b strings.Builder
	if code := e.ErrorCode(); code != "" {
		b.WriteString(" Error code " + code + ".")
	}
	if s, ok := e.FailedStep(); ok {
		b.WriteString(" Failed step: " + stepLabel(s) + ".")
	}
	if http != "" {
		b.WriteString(" The app answered with HTTP status " + http + ".")
	}
	if e.Error != nil && strings.TrimSpace(e.Error.Reason) != "" {
		b.WriteString(" The service said: " + quote(e.Error.Reason))
	}
	return b.String()
}
