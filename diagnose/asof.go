package diagnose

import "time"

// StaleAfter is how much older than the question saved files must be
// before an answer is told as of their time rather than of now.
const StaleAfter = 24 * time.Hour

// AsOf is the time an answer describes. A live question is about now.
// Saved files describe the time they were taken: when the person asking
// says when (SavedLogs.Taken), that time (or the newest time the files
// hold, if that is later); otherwise, when the newest time
// the files hold (Newest) is more than StaleAfter before now, that time.
// Files replayed later are told as they stood then: a job quarantined for
// five days when they were saved is not "quarantined for six months", and
// a next attempt they name is not long past. ok is false when the answer
// is about now.
func (in Input) AsOf(now time.Time) (t time.Time, ok bool) {
	if in.Saved == nil {
		return now, false
	}
	newest := in.Newest(now)
	if tk := in.Saved.Taken; !tk.IsZero() {
		// Files are not taken before the newest time they hold.
		tk = latest(tk, newest)
		return tk, !tk.Equal(now)
	}
	if newest.IsZero() || now.Sub(newest) <= StaleAfter {
		return now, false
	}
	return newest, true
}

// Newest is the newest time the input holds that is not after now: its
// entries' activity times (or, for saved files, the newest of the file's
// entries) and its jobs' runs, steady states, quarantines and progress.
// Future times (a quarantine's next attempt, a clock set wrong) are left
// out. Zero when the input holds no time.
func (in Input) Newest(now time.Time) time.Time {
	var newest time.Time
	see := func(t time.Time) {
		if !IsNever(t) && !t.After(now) && t.After(newest) {
			newest = t
		}
	}
	for i := range in.Entries {
		see(in.Entries[i].ActivityTime)
	}
	if in.Saved != nil {
		see(in.Saved.To)
	}
	for _, a := range in.Apps {
		for _, j := range a.Jobs {
			st := j.Status
			for _, x := range []*Execution{st.LastExecution, st.LastSuccessfulExecution, st.LastSuccessfulExecutionWithExports} {
				if x != nil {
					see(x.Began)
					see(x.Ended)
				}
			}
			see(st.SteadyStateLastAchieved)
			see(st.SteadyStateFirstAchieved)
			if q := st.Quarantine; q != nil {
				see(q.CurrentBegan)
				see(q.SeriesBegan)
			}
			for _, p := range st.Progress {
				see(p.ObservedAt)
			}
		}
	}
	return newest
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// asOfWords says, for the note that opens an answer about older files,
// when the answer is as of: always with the year, since that is rarely
// this year's.
func asOfWords(c *Case) string {
	return c.Now.In(c.Loc).Format("2 Jan 2006 15:04 MST")
}
