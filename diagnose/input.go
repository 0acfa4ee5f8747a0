package diagnose

import "time"

// Input is everything known about one user, for one or more apps.
type Input struct {
	// User is the person the question is about; nil when unknown (for
	// example when diagnosing a downloaded log file).
	User *User
	// Group, when set, makes the question about a group's own provisioning
	// instead of a user's: its entries are read, and the sentences speak of
	// the group. Answers about groups are written for the help desk.
	Group *Group
	// Entries are the user's provisioning log entries, for any app, in any
	// order. Entries about other objects (groups, other users) are ignored.
	Entries []Entry
	// Apps are the apps to diagnose. Apps that appear in Entries are added
	// automatically; list an app here to diagnose it even without entries,
	// or to give its job and assignment facts.
	Apps []App
	// Audience is who the sentences are for.
	Audience Audience
	// Location is where clock times in sentences are shown; UTC when nil.
	Location *time.Location
	// Retention is how far back the logs go (30 days with Entra ID P1/P2,
	// 7 days free); DefaultRetention when zero.
	Retention time.Duration
	// Archive, when set, says that an older log source (a Log Analytics
	// workspace) was searched too, and how that went; Entries then include
	// what it found, each with its Origin.
	Archive *Archive
	// Saved describes the saved log file the entries were read from; nil
	// for a live lookup, whose entries cover the retention window.
	Saved *SavedLogs
	// Unknown lists the facts about the user that could not be read, and
	// why (FactUserState when the directory was not read, for example
	// offline). Facts listed here hold for every app.
	Unknown Unknowns
}

// SavedLogs describes a saved provisioning log file: what it holds is all
// that is known, so sentences speak of "the saved logs", not of the last
// 30 days.
type SavedLogs struct {
	// Entries is how many entries the file holds (for anyone).
	Entries int
	// From and To bound the entries' activity times; zero when empty.
	From, To time.Time
	// Taken is when the files were saved, when the person asking says so;
	// zero lets the answer work it out from the files (Input.AsOf).
	Taken time.Time
}

// DefaultRetention is how long Entra keeps provisioning logs with a
// premium licence.
const DefaultRetention = 30 * 24 * time.Hour

// App is one app and what is known about its provisioning.
type App struct {
	// ID is the enterprise app's service principal object id.
	ID string
	// Name is the app's display name.
	Name string
	// Jobs are the app's provisioning jobs. Only meaningful when JobsKnown.
	Jobs []Job
	// JobsKnown is true when Jobs was fetched (an empty list then means
	// provisioning was never set up).
	JobsKnown bool
	// Assignment is the user's assignment to the app; nil when unknown.
	Assignment *Assignment
	// InScope is the number of assigned users, groups and group members
	// (N in Microsoft's initial-cycle estimate); zero when unknown.
	InScope int
	// Unknown lists the facts about this app that could not be read, and
	// why (FactJobs, FactAssignment, FactAssignmentSince, FactScope).
	Unknown Unknowns
}

// Job returns the job that entries with the given job id belong to, or the
// app's first job when no id matches, or nil when there is none.
func (a *App) Job(jobID string) *Job {
	if !a.JobsKnown || len(a.Jobs) == 0 {
		return nil
	}
	for i := range a.Jobs {
		if jobID != "" && a.Jobs[i].ID == jobID {
			return &a.Jobs[i]
		}
	}
	return &a.Jobs[0]
}
