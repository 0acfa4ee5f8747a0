package workspace_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/workspace"
	"github.com/provbot/provbot/workspace/lafake"
)

func TestSearchFindsOneUsersOlderHistoryThroughTheSDK(t *testing.T) {
	old := made(adele, sf, 90*day)
	rows := append(history(adele, sf, old), history(bob, sf, made(bob, sf, 40*day))...)
	rows = append(rows, lafake.Background(now, tenant, wsID, lafake.BackgroundPeople("contoso.com", 20), []lafake.App{sf}, 1)...)
	fake, c := startFake(t, rows, nil)

	res, err := search(t, c, workspace.Search{UserID: adele.ObjectID})
	if err != nil {
		t.Fatal(err)
	}
	want := old
	want.Origin = diagnose.OriginWorkspace
	want.RawStatus = "Success" // ResultType's spelling
	if len(res.Entries) != 1 {
		t.Fatalf("%d entries, want Adele's one", len(res.Entries))
	}
	if d := cmp.Diff(want, res.Entries[0]); d != "" {
		t.Errorf("entry after the round trip through the workspace (-want +got):\n%s", d)
	}
	if res.Partial != "" || res.Truncated || !res.Since.Equal(now.Add(-workspace.DefaultLookback)) {
		t.Errorf("result %+v", res)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if strings.Contains(r.Query, adele.ObjectID) || !strings.Contains(r.Prefer, "wait=") || r.Workspace != wsID {
		t.Errorf("request %+v", r)
	}
	if !strings.HasPrefix(r.Timespan, now.Add(-workspace.DefaultLookback).Format(time.RFC3339)+"/") {
		t.Errorf("timespan %q, want the two-year lookback", r.Timespan)
	}
}

func TestEveryRowStyleReadsBackToTheSameEntry(t *testing.T) {
	e := made(adele, sf, 120*day, func(e *diagnose.Entry) {
		e.Modified = []diagnose.ModifiedProperty{{Name: "title", OldValue: "Analyst", NewValue: "Lead"}, {Name: "manager", OldValue: "x"}}
		e.SourceSystem = diagnose.System{ID: "78252af7-b5d1-5da6-a85d-637e303b8322", DisplayName: "Azure Active Directory"}
	})
	for _, tc := range []struct {
		name  string
		style lafake.Style
		// sourceSystem: the agent type in SourceSystem hides the source system.
		sourceSystem bool
		noDuration   bool
	}{
		{name: "the documented layout (Id and Name keys, the agent type in SourceSystem)"},
		{name: "Graph's key spelling", style: lafake.Style{GraphKeys: true}},
		{name: "the source system as JSON in SourceSystem", style: lafake.Style{SourceSystemJSON: true}, sourceSystem: true},
		{name: "the action in the Action column", style: lafake.Style{ActionColumn: true}},
		{name: "ResultType spelt in lower case", style: lafake.Style{LowerResult: true}},
		{name: "a null DurationMs", style: lafake.Style{NoDuration: true}, noDuration: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := startFake(t, []lafake.Row{lafake.RowFromEntry(e, wsID, tc.style)}, nil)
			res, err := search(t, c, workspace.Search{UPN: adele.UPN})
			if err != nil || len(res.Entries) != 1 {
				t.Fatalf("%d entries, err %v", len(res.Entries), err)
			}
			want := e
			want.Origin = diagnose.OriginWorkspace
			if !tc.sourceSystem {
				want.SourceSystem = diagnose.System{}
			}
			if tc.noDuration {
				want.Duration = 0
			}
			got := res.Entries[0]
			if tc.style.LowerResult {
				want.RawStatus = "success"
			} else {
				want.RawStatus = "Success"
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestSearchMatchesExactlyAfterTheCoarseFilter(t *testing.T) {
	// "adele@contoso.com" is inside "madele@contoso.com"; the query's
	// contains finds both, the client keeps only Adele's.
	madele := lafake.Person{ObjectID: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", UPN: "madele@contoso.com", Name: "Madele Ortiz"}
	g := made(adele, sf, 50*day, func(e *diagnose.Entry) { e.ID, e.Source.Type = "group-entry", "Group" })
	rows := append(history(adele, sf, made(adele, sf, 60*day)), history(madele, sf, made(madele, sf, 61*day), g)...)
	// A former employee whose UPN Adele was given later.
	formerAdele := lafake.Person{ObjectID: "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a", UPN: adele.UPN, Name: "Adele Vance"}
	rows = append(rows, history(formerAdele, sf, made(formerAdele, sf, 700*day))...)
	_, c := startFake(t, rows, nil)
	for _, tc := range []struct {
		name string
		s    workspace.Search
		want int
	}{
		{"by UPN alone, not a longer UPN that contains it: both people who held it", workspace.Search{UPN: "ADELE@contoso.com"}, 2},
		{"by target id", workspace.Search{TargetIDs: []string{"005Dn" + madele.ObjectID[:8]}}, 1},
		{"by user id and app", workspace.Search{UserID: adele.ObjectID, AppID: sf.ID}, 1},
		{"by user id and another app", workspace.Search{UserID: adele.ObjectID, AppID: "00000000-0000-0000-0000-000000000001"}, 0},
		{"a UPN once held by someone else: their history is not the user's", workspace.Search{UserID: adele.ObjectID, UPN: adele.UPN}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := search(t, c, tc.s)
			if err != nil || len(res.Entries) != tc.want {
				t.Fatalf("%d entries, want %d (err %v)", len(res.Entries), tc.want, err)
			}
		})
	}
}

func TestCoverageSaysHowFarTheTableReaches(t *testing.T) {
	rows := append(history(adele, sf, made(adele, sf, 300*day)), history(bob, sf, made(bob, sf, 2*day))...)
	fake, c := startFake(t, rows, nil)
	cv, err := c.Coverage(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if cv.Rows != 2 || !cv.Oldest.Equal(now.Add(-300*day)) || !cv.Newest.Equal(now.Add(-2*day)) {
		t.Errorf("coverage %+v", cv)
	}
	if _, err := c.Coverage(t.Context()); err != nil || len(fake.Requests()) != 1 {
		t.Errorf("coverage was not reused: %d requests, err %v", len(fake.Requests()), err)
	}
}

func TestThrottlingIsAnsweredHonestly(t *testing.T) {
	t.Run("past the request limit: ErrThrottled at once with the service's wait, not a hang", func(t *testing.T) {
		fake, c := startFake(t, history(adele, sf, made(adele, sf, 90*day)), []lafake.Option{lafake.WithThrottle(2, time.Minute)},
			workspace.WithRetry(2, 10*time.Second))
		for range 2 {
			if _, err := search(t, c, workspace.Search{UserID: adele.ObjectID}); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		_, err := search(t, c, workspace.Search{UserID: adele.ObjectID})
		var we *workspace.Error
		if !errors.Is(err, diagnose.ErrThrottled) || !errors.As(err, &we) || we.RetryAfter != time.Minute {
			t.Fatalf("err %v, want ErrThrottled with RetryAfter 1m", err)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("took %s: a wait longer than the client's cap must not be waited out", el)
		}
		if got := workspace.Plain(err); got != "the workspace asked provbot to slow down; try again in 60 seconds" {
			t.Errorf("plain %q", got)
		}
		if n := len(fake.Requests()); n != 3 {
			t.Errorf("%d requests, want 3 (no retry of a 60 s wait)", n)
		}
	})
	t.Run("a short Retry-After is waited out and the query retried", func(t *testing.T) {
		fake, c := startFake(t, history(adele, sf, made(adele, sf, 90*day)), nil, workspace.WithRetry(2, 10*time.Second))
		fake.FailNext(http.StatusTooManyRequests)
		res, err := search(t, c, workspace.Search{UserID: adele.ObjectID})
		if err != nil || len(res.Entries) != 1 {
			t.Fatalf("%d entries, err %v", len(res.Entries), err)
		}
		if reqs := fake.Requests(); len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 200 {
			t.Errorf("requests %+v", reqs)
		}
	})
	t.Run("too many queries at once: the ones past the queue are refused with 429", func(t *testing.T) {
		fake, c := startFake(t, history(adele, sf, made(adele, sf, 90*day)),
			[]lafake.Option{lafake.WithConcurrency(1, 0, time.Second), lafake.WithQueryDelay(300 * time.Millisecond)})
		errs := make(chan error, 3)
		for range 3 {
			go func() { _, err := search(t, c, workspace.Search{UserID: adele.ObjectID}); errs <- err }()
		}
		throttled := 0
		for range 3 {
			if err := <-errs; errors.Is(err, diagnose.ErrThrottled) {
				throttled++
			} else if err != nil {
				t.Errorf("err %v", err)
			}
		}
		if throttled != 2 || len(fake.Requests()) != 3 {
			t.Errorf("%d throttled of %d requests, want 2 of 3", throttled, len(fake.Requests()))
		}
	})
}

func TestPartialResultsSayWhatIsMissing(t *testing.T) {
	var rows []lafake.Row
	for i := range 6 {
		rows = append(rows, history(adele, sf, made(adele, sf, time.Duration(40+i*30)*day))...)
	}
	_, c := startFake(t, rows, []lafake.Option{lafake.WithMaxRecords(3)})
	res, err := search(t, c, workspace.Search{UserID: adele.ObjectID})
	if err != nil {
		t.Fatalf("a partial answer is not an error: %v", err)
	}
	if len(res.Entries) != 3 || !strings.Contains(res.Partial, "record count limit 3") {
		t.Errorf("%d entries, partial %q", len(res.Entries), res.Partial)
	}
	if !res.Entries[0].ActivityTime.Equal(now.Add(-40 * day)) {
		t.Errorf("the newest entries come first: %s", res.Entries[0].ActivityTime)
	}
}

func TestFailuresNameWhatIsMissing(t *testing.T) {
	for _, tc := range []struct {
		name      string
		setup     func(f *lafake.Server)
		workspace string
		kind      error
		plain     string
		check     func(e *workspace.Error) bool
	}{
		{name: "no role on the workspace: the Log Analytics Reader role is named",
			setup: func(f *lafake.Server) { f.Deny(wsID) }, kind: diagnose.ErrForbidden,
			plain: "provbot lacks the Log Analytics Reader role on the workspace", check: (*workspace.Error).MissingRole},
		{name: "a workspace id that does not exist", workspace: "00000000-0000-0000-0000-00000000abcd",
			kind: diagnose.ErrNotFound, plain: "the workspace was not found"},
		{name: "a workspace that never received provisioning logs",
			setup: func(f *lafake.Server) {}, workspace: "11111111-2222-3333-4444-555555555555", kind: diagnose.ErrInvalid,
			plain: "the workspace holds no provisioning logs", check: (*workspace.Error).MissingTable},
		{name: "the service failing", setup: func(f *lafake.Server) { f.FailNext(503) }, kind: diagnose.ErrUnavailable,
			plain: "the workspace did not answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := lafake.New([]*lafake.Workspace{{ID: wsID}, {ID: "11111111-2222-3333-4444-555555555555", NoTable: true}})
			if err := fake.StartLoopback(); err != nil {
				t.Fatal(err)
			}
			defer fake.Close()
			if tc.setup != nil {
				tc.setup(fake)
			}
			id := wsID
			if tc.workspace != "" {
				id = tc.workspace
			}
			c, err := workspace.New(nil, id, workspace.WithEndpoint(fake.URL()), workspace.WithRetry(0, 0))
			if err != nil {
				t.Fatal(err)
			}
			_, err = search(t, c, workspace.Search{UserID: adele.ObjectID})
			var we *workspace.Error
			if !errors.Is(err, tc.kind) || !errors.As(err, &we) {
				t.Fatalf("err %v, want %v", err, tc.kind)
			}
			if got := workspace.Plain(err); got != tc.plain {
				t.Errorf("plain %q, want %q", got, tc.plain)
			}
			if tc.check != nil && !tc.check(we) {
				t.Errorf("%+v", we)
			}
		})
	}
}

// staticToken is a credential that always gives the same token.
type staticToken string

func (s staticToken) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if len(o.Scopes) != 1 || o.Scopes[0] != "https://api.loganalytics.io/.default" && !strings.HasSuffix(o.Scopes[0], "/.default") {
		return azcore.AccessToken{}, errors.New("unexpected scopes")
	}
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestTheTokenGoesOnlyOverTLS(t *testing.T) {
	fake := lafake.New([]*lafake.Workspace{{ID: wsID, Rows: history(adele, sf, made(adele, sf, 90*day))}},
		lafake.WithToken("secret-token"), lafake.WithNow(func() time.Time { return now }))
	ts := httptest.NewTLSServer(fake)
	defer ts.Close()
	c, err := workspace.New(staticToken("secret-token"), wsID, workspace.WithEndpoint(ts.URL+"/v1"), workspace.WithHTTPClient(ts.Client()),
		workspace.WithNow(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	res, err := search(t, c, workspace.Search{UserID: adele.ObjectID})
	if err != nil || len(res.Entries) != 1 || !fake.Requests()[0].Authorized {
		t.Fatalf("%d entries, err %v", len(res.Entries), err)
	}
	bad, _ := workspace.New(staticToken("wrong"), wsID, workspace.WithEndpoint(ts.URL+"/v1"), workspace.WithHTTPClient(ts.Client()))
	if _, err := search(t, bad, workspace.Search{UserID: adele.ObjectID}); !errors.Is(err, diagnose.ErrForbidden) {
		t.Errorf("a refused token: err %v, want ErrForbidden", err)
	}
	if _, err := workspace.New(staticToken("x"), wsID, workspace.WithEndpoint("http://127.0.0.1:1/v1")); err == nil ||
		!strings.Contains(err.Error(), "only sent over https") {
		t.Errorf("a token over plain http: err %v", err)
	}
	if _, err := workspace.New(nil, wsID, workspace.WithEndpoint("https://api.loganalytics.io/v1")); err == nil {
		t.Error("a client without credentials talks to Azure")
	}
	if _, err := workspace.New(nil, "not-a-guid"); err == nil {
		t.Error("a workspace id that is not a GUID was accepted")
	}
}
