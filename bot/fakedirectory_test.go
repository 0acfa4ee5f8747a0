package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// The people and apps of the fake directory.
const (
	joniID   = "c3c3c3c3-0000-4000-8000-000000000004"
	ghID     = "sp-github"
	travelID = "sp-travel"
	hrID     = "sp-contoso-hr"
	adobeID  = "sp-adobe"
)

var (
	megan       = diagnose.User{ObjectID: meganID, UPN: "megan.bowen@contoso.com", Mail: "megan.bowen@contoso.com", DisplayName: "Megan Bowen", Enabled: true}
	adele       = diagnose.User{ObjectID: adeleID, UPN: "adele.vance@contoso.com", Mail: "adele.vance@contoso.com", DisplayName: "Adele Vance", Enabled: true}
	adeleMoreau = diagnose.User{ObjectID: adele2, UPN: "adele.moreau@contoso.com", DisplayName: "Adele Moreau", Enabled: true}
	hank        = diagnose.User{ObjectID: hankID, UPN: "hank@contoso.com", DisplayName: "Hank Helpdesk", Enabled: true}
	joni        = diagnose.User{ObjectID: joniID, UPN: "joni.sherman@contoso.com", DisplayName: "Joni Sherman", Enabled: true}
)

// fakeDirectory answers from memory, counts calls, and can be slowed down,
// held or made to fail.
type fakeDirectory struct {
	now     time.Time
	gathers atomic.Int32
	calls   atomic.Int32 // every call but the catalogue's
	// catalogCalls counts the catalogue reads.
	catalogCalls atomic.Int32
	resolves     sync.Map // ref → count
	queries      []diagnose.Query
	mu           sync.Mutex
	err          error         // returned by Gather when set
	delay        time.Duration // Gather's latency
	// helpDeskErr fails the help-desk check; helpDeskGate, when set, is
	// waited for before the check answers.
	helpDeskErr  error
	helpDeskGate chan struct{}
	// gatherStarted is closed when Gather is first called.
	gatherStarted chan struct{}
	startOnce     sync.Once
	// unassigned makes Gather find no app for the user; ignoreApp makes
	// it answer about Salesforce and ServiceNow whatever app was asked.
	unassigned, ignoreApp bool
}

func newFakeDirectory(now time.Time) *fakeDirectory {
	return &fakeDirectory{now: now, gatherStarted: make(chan struct{})}
}

// roundTrip counts one call that would be a Graph request.
func (f *fakeDirectory) roundTrip(ctx context.Context) error {
	f.calls.Add(1)
	return ctx.Err()
}

func (f *fakeDirectory) users() []diagnose.User {
	return []diagnose.User{megan, adele, adeleMoreau, hank, joni}
}

// ResolveUser matches an object id, a UPN, or the start of a display
// name or of one of its words, as Graph's startswith filters do.
func (f *fakeDirectory) ResolveUser(ctx context.Context, ref string) ([]diagnose.User, error) {
	if err := f.roundTrip(ctx); err != nil {
		return nil, err
	}
	n, _ := f.resolves.LoadOrStore(ref, new(atomic.Int32))
	n.(*atomic.Int32).Add(1)
	var out []diagnose.User
	lref := strings.ToLower(ref)
	for _, u := range f.users() {
		match := strings.EqualFold(u.ObjectID, ref) || strings.EqualFold(u.UPN, ref) || strings.HasPrefix(strings.ToLower(u.DisplayName), lref)
		for _, w := range strings.Fields(strings.ToLower(u.DisplayName)) {
			match = match || strings.HasPrefix(w, lref)
		}
		if match {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("resolve %q: %w", ref, diagnose.ErrNotFound)
	}
	return out, nil
}

func (f *fakeDirectory) job() diagnose.Job {
	end := f.now.Add(-10 * time.Minute)
	run := &diagnose.Execution{State: diagnose.ExecutionSucceeded, Began: end.Add(-2 * time.Minute), Ended: end}
	return diagnose.Job{ID: "job", Schedule: diagnose.Schedule{Interval: 40 * time.Minute, State: diagnose.ScheduleActive},
		Status: diagnose.JobStatus{Code: diagnose.StatusActive, LastExecution: run, LastSuccessfulExecution: run, SteadyStateFirstAchieved: f.now.Add(-30 * 24 * time.Hour)}}
}

// quarantinedJob is a job on hold because the app refused provisioning's
// credentials, with an error message that names another person.
func (f *fakeDirectory) quarantinedJob() diagnose.Job {
	j := f.job()
	since := f.now.Add(-3 * 24 * time.Hour)
	j.Status.Code = diagnose.StatusQuarantine
	j.Status.LastExecution = &diagnose.Execution{State: diagnose.ExecutionFailed, Began: f.now.Add(-time.Hour), Ended: f.now.Add(-time.Hour),
		ActivityID: "act-1234", Error: &diagnose.SyncError{Code: "GitHubInvalidCredentials", Message: "Token of grady.archie@contoso.com was revoked"}}
	j.Status.Quarantine = &diagnose.Quarantine{Reason: diagnose.QuarantineException, CurrentBegan: since, SeriesBegan: since,
		NextAttempt: f.now.Add(time.Hour), Error: &diagnose.SyncError{Code: "GitHubInvalidCredentials", Message: "Token of grady.archie@contoso.com was revoked"}}
	return j
}

// Apps are the provisioning apps. Adobe Creative Cloud is single sign-on
// only: not among them, but FindApps finds it by name.
func (f *fakeDirectory) Apps(ctx context.Context) ([]diagnose.App, error) {
	f.catalogCalls.Add(1)
	return f.apps()
}

func (f *fakeDirectory) apps() ([]diagnose.App, error) {
	j := f.job()
	return []diagnose.App{
		{ID: sfID, Name: "Salesforce", JobsKnown: true, Jobs: []diagnose.Job{j}},
		{ID: snID, Name: "ServiceNow", JobsKnown: true, Jobs: []diagnose.Job{j}},
		{ID: ghID, Name: "GitHub Enterprise", JobsKnown: true, Jobs: []diagnose.Job{f.quarantinedJob()}},
		{ID: hrID, Name: "Contoso HR", JobsKnown: true, Jobs: []diagnose.Job{j}},
		{ID: travelID, Name: "Contoso Travel", JobsKnown: true, Jobs: []diagnose.Job{j}},
	}, nil
}

func (f *fakeDirectory) adobe() diagnose.App {
	return diagnose.App{ID: adobeID, Name: "Adobe Creative Cloud", JobsKnown: true}
}

func (f *fakeDirectory) AppCatalog(ctx context.Context) ([]diagnose.App, error) {
	f.catalogCalls.Add(1)
	apps, _ := f.apps()
	for i := range apps {
		apps[i] = diagnose.App{ID: apps[i].ID, Name: apps[i].Name}
	}
	return apps, nil
}

// FindApps finds an app by id or exact name (with apps of the same first
// letter as the closest others), and apps outside the catalogue by the
// first word of their name, as graph's does.
func (f *fakeDirectory) FindApps(ctx context.Context, name string) ([]diagnose.App, error) {
	if err := f.roundTrip(ctx); err != nil {
		return nil, err
	}
	apps, _ := f.apps()
	all := append(apps, f.adobe())
	var exact, rest []diagnose.App
	for _, a := range all {
		if strings.EqualFold(a.ID, name) || strings.EqualFold(strings.ReplaceAll(a.Name, " ", ""), strings.ReplaceAll(name, " ", "")) {
			exact = append(exact, a)
		}
	}
	if len(exact) > 0 {
		return exact, nil
	}
	first, _, _ := strings.Cut(strings.ToLower(name), " ")
	for _, a := range all {
		if a.ID == adobeID && strings.HasPrefix(strings.ToLower(a.Name), first) ||
			a.ID != adobeID && strings.HasPrefix(strings.ToLower(a.Name), first[:1]) {
			rest = append(rest, a)
		}
	}
	if len(rest) == 0 {
		return nil, fmt.Errorf("find apps %q: %w", name, diagnose.ErrNotFound)
	}
	return rest, nil
}

func (f *fakeDirectory) Gather(ctx context.Context, q diagnose.Query) (diagnose.Input, error) {
	f.gathers.Add(1)
	f.mu.Lock()
	f.queries = append(f.queries, q)
	f.mu.Unlock()
	f.startOnce.Do(func() { close(f.gatherStarted) })
	if err := f.roundTrip(ctx); err != nil {
		return diagnose.Input{}, fmt.Errorf("gather: %w", err)
	}
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return diagnose.Input{}, fmt.Errorf("gather: %w", ctx.Err())
		}
	}
	if f.err != nil {
		return diagnose.Input{}, f.err
	}
	if q.GroupID != "" {
		return f.gatherGroup(q)
	}
	if q.UserID == salesID {
		return diagnose.Input{}, fmt.Errorf("gather: no user has the object id %s: %w", q.UserID, diagnose.ErrNotFound)
	}
	var user diagnose.User
	for _, u := range f.users() {
		if u.ObjectID == q.UserID {
			user = u
		}
	}
	if f.unassigned {
		return diagnose.Input{User: &user}, nil
	}
	apps, _ := f.apps()
	apps = append(apps, f.adobe())
	entry := diagnose.Entry{ActivityTime: f.now.Add(-2 * time.Hour), ChangeID: "chg-1", CycleID: "cyc-1", JobID: "job",
		Action: diagnose.ActionCreate, Status: diagnose.ResultFailure,
		Error:            &diagnose.ErrorInfo{Code: "ServiceNowEntryConflict", Reason: "HTTP status code 409: a user with this userName already exists (owner: Grady Archie)"},
		Source:           diagnose.Identity{ID: user.ObjectID, DisplayName: user.DisplayName, Type: "User"},
		ServicePrincipal: diagnose.ServicePrincipal{ID: snID, Name: "ServiceNow"},
		Steps: []diagnose.Step{{Name: "EntryImportAdd", Type: diagnose.StepImport, Status: diagnose.ResultSuccess},
			{Name: "EntryExportAdd", Type: diagnose.StepExport, Status: diagnose.ResultFailure, Description: "Failed to create User in ServiceNow"}}}
	ok := entry
	ok.ServicePrincipal = diagnose.ServicePrincipal{ID: sfID, Name: "Salesforce"}
	ok.Status, ok.Error, ok.ChangeID = diagnose.ResultSuccess, nil, "chg-2"
	ok.Steps = []diagnose.Step{{Name: "EntryExportAdd", Type: diagnose.StepExport, Status: diagnose.ResultSuccess}}
	in := diagnose.Input{User: &user, Entries: []diagnose.Entry{entry, ok}, Apps: apps[:2]}
	if q.AppID != "" && !f.ignoreApp {
		in.Apps = nil
		for _, a := range apps {
			if a.ID == q.AppID {
				in.Apps = []diagnose.App{a}
			}
		}
		var es []diagnose.Entry
		for _, e := range in.Entries {
			if e.ServicePrincipal.ID == q.AppID {
				es = append(es, e)
			}
		}
		in.Entries = es
	}
	return in, nil
}

// ResolveGroup knows one group, Sales.
func (f *fakeDirectory) ResolveGroup(ctx context.Context, ref string) ([]diagnose.Group, error) {
	if err := f.roundTrip(ctx); err != nil {
		return nil, err
	}
	if strings.EqualFold(ref, "Sales") || strings.EqualFold(ref, salesID) {
		return []diagnose.Group{{ObjectID: salesID, DisplayName: "Sales"}}, nil
	}
	return nil, fmt.Errorf("resolve group %q: %w", ref, diagnose.ErrNotFound)
}

// gatherGroup: the Sales group was never created in Salesforce, because a
// group of the same name already exists there.
func (f *fakeDirectory) gatherGroup(q diagnose.Query) (diagnose.Input, error) {
	if q.GroupID != salesID {
		return diagnose.Input{}, fmt.Errorf("gather group: %w", diagnose.ErrNotFound)
	}
	apps, _ := f.apps()
	e := diagnose.Entry{ActivityTime: f.now.Add(-time.Hour), ChangeID: "chg-g", JobID: "job", Action: diagnose.ActionCreate, Status: diagnose.ResultFailure,
		Error:            &diagnose.ErrorInfo{Code: "SalesforceEntryConflict", Reason: "HTTP status code 409: a group named Sales already exists"},
		Source:           diagnose.Identity{ID: salesID, DisplayName: "Sales", Type: "Group"},
		ServicePrincipal: diagnose.ServicePrincipal{ID: sfID, Name: "Salesforce"}}
	in := diagnose.Input{Group: &diagnose.Group{ObjectID: salesID, DisplayName: "Sales"}, Entries: []diagnose.Entry{e}, Apps: apps[:1]}
	return in, nil
}

func (f *fakeDirectory) IsHelpDesk(ctx context.Context, userID string) (bool, error) {
	if f.helpDeskGate != nil {
		select {
		case <-f.helpDeskGate:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	if err := f.roundTrip(ctx); err != nil {
		return false, err
	}
	if f.helpDeskErr != nil {
		return false, f.helpDeskErr
	}
	return userID == hankID, nil
}
