package graph_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

func appNames(apps []diagnose.App) []string {
	var out []string
	for _, a := range apps {
		out = append(out, a.Name)
	}
	return out
}

func TestAppsListsTheAppsThatProvision(t *testing.T) {
	e := newEnv(t, nil, nil)
	apps, err := e.client.Apps(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// Dropbox has no job; Microsoft Graph is Microsoft's own.
	want := []string{"Box", "Contoso SCIM App", "Salesforce", "ServiceNow", "ServiceNow Dev", "Slack"}
	if got := appNames(apps); !slices.Equal(got, want) {
		t.Errorf("apps = %v, want %v", got, want)
	}
	for _, a := range apps {
		if !a.JobsKnown || len(a.Jobs) != 1 {
			t.Errorf("%s: %d jobs, known %v", a.Name, len(a.Jobs), a.JobsKnown)
		}
	}
	for _, r := range requests(e.srv, "/synchronization/jobs") {
		if r.Path == "/v1.0/servicePrincipals/"+msGraphID+"/synchronization/jobs" {
			t.Error("asked for the jobs of Microsoft's own service principal")
		}
	}
	if f := requests(e.srv, "/servicePrincipals")[0].Filter; f != "servicePrincipalType eq 'Application'" {
		t.Errorf("service principal filter = %q", f)
	}
}

func TestAppsAreCachedAndRefreshedInTheBackground(t *testing.T) {
	e := newEnv(t, nil, nil)
	if err := e.client.Warm(t.Context()); err != nil {
		t.Fatal(err)
	}
	lists := func() int { return len(requests(e.srv, "/v1.0/servicePrincipals")) }
	if _, err := e.client.Apps(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := lists(); n != 1 {
		t.Errorf("%d list requests, want 1", n)
	}
	e.srv.Update(func(t *fakegraph.Tenant) {
		t.AddJob(dropboxID, fakegraph.Object{"id": "DropboxOutDelta.1", "templateId": "DropboxOutDelta",
			"schedule": map[string]any{"interval": "PT40M", "state": "Active"}, "status": map[string]any{"code": "Active"}})
	})
	e.clock.Advance(11 * time.Minute)
	// A stale catalog answers at once while a new one is built.
	apps, err := e.client.Apps(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(appNames(apps), "Dropbox") {
		t.Error("the stale catalog already has Dropbox")
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		apps, err = e.client.Apps(t.Context())
		if err == nil && slices.Contains(appNames(apps), "Dropbox") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("the catalog was not rebuilt: %v, %v", appNames(apps), err)
}

func TestFindAppsUnderstandsNamesAndIDs(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"service now", []string{"ServiceNow"}},
		{"salesforce", []string{"Salesforce"}},
		{"SCIM", []string{"Contoso SCIM App"}},
		{"service", []string{"ServiceNow", "ServiceNow Dev"}},
		{"slak", []string{"Slack"}},
		{salesforceID, []string{"Salesforce"}},
		{"f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1", []string{"Salesforce"}}, // the application id
		{dropboxID, []string{"Dropbox"}},                                 // no job, but asked for by id
	} {
		apps, err := e.client.FindApps(t.Context(), tc.query)
		if err != nil {
			t.Errorf("FindApps(%q): %v", tc.query, err)
			continue
		}
		if got := appNames(apps); !slices.Equal(got, tc.want) {
			t.Errorf("FindApps(%q) = %v, want %v", tc.query, got, tc.want)
		}
		for _, a := range apps {
			if !a.JobsKnown {
				t.Errorf("FindApps(%q): %s has no jobs read", tc.query, a.Name)
			}
		}
	}
	for _, q := range []string{"zzzzzz", "12345678-1234-4234-8234-123456789012"} {
		if _, err := e.client.FindApps(t.Context(), q); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("FindApps(%q) error = %v, want ErrNotFound", q, err)
		}
	}
	for _, q := range []string{"", "bo\nx"} {
		if _, err := e.client.FindApps(t.Context(), q); !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("FindApps(%q) error = %v, want ErrInvalid", q, err)
		}
	}
}

func TestJobsRefusesANameAndCachesForAMinute(t *testing.T) {
	e := newEnv(t, nil, nil)
	if _, err := e.client.Jobs(t.Context(), "Salesforce"); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("a name: %v, want ErrInvalid", err)
	}
	for range 3 {
		if _, err := e.client.Jobs(t.Context(), salesforceID); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(time.Minute)
	if _, err := e.client.Jobs(t.Context(), salesforceID); err != nil {
		t.Fatal(err)
	}
	if n := len(requests(e.srv, "/synchronization/jobs")); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	jobs, err := e.client.Jobs(t.Context(), dropboxID)
	if err != nil || len(jobs) != 0 {
		t.Errorf("an app without provisioning: %v, %v", jobs, err)
	}
}
