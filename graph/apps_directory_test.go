package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/provbot/provbot/diagnose"
)

// An app without provisioning (single sign-on only) is found by name, so
// that a question about it is answered about it and not about the
// provisioning app with the closest name.
func TestFindAppsFindsAnAppWithoutProvisioningByName(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, q := range []string{"Dropbox", "dropbox", "Dropbox Plus"} {
		apps, err := e.client.FindApps(t.Context(), q)
		if err != nil {
			t.Fatalf("FindApps(%q): %v", q, err)
		}
		i := slices.IndexFunc(apps, func(a diagnose.App) bool { return a.Name == "Dropbox" })
		if i < 0 {
			t.Fatalf("FindApps(%q) = %v, want Dropbox among them", q, appNames(apps))
		}
		if a := apps[i]; a.ID != dropboxID || !a.JobsKnown || len(a.Jobs) != 0 {
			t.Errorf("FindApps(%q): Dropbox %+v, want its id with its jobs read (none)", q, a)
		}
	}
	var filters []string
	for _, r := range requests(e.srv, "/v1.0/servicePrincipals") {
		filters = append(filters, r.Filter)
	}
	if !slices.Contains(filters, "servicePrincipalType eq 'Application' and startswith(displayName,'Dropbox')") {
		t.Errorf("service principal filters %q: no search by the name's first word", filters)
	}
	// A provisioning app's own name needs no search.
	before := len(requests(e.srv, "/v1.0/servicePrincipals"))
	if _, err := e.client.FindApps(t.Context(), "Salesforce"); err != nil {
		t.Fatal(err)
	}
	if n := len(requests(e.srv, "/v1.0/servicePrincipals")) - before; n != 0 {
		t.Errorf("%d service principal requests for a provisioning app's exact name", n)
	}
}

// The catalogue the conversation reads questions with costs no request
// once built, and carries ids and names only.
func TestAppCatalogIsNamesAndIDsWithoutRequests(t *testing.T) {
	e := newEnv(t, nil, nil)
	if err := e.client.Warm(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := len(e.srv.Requests())
	apps, err := e.client.AppCatalog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.srv.Requests()) - before; n != 0 {
		t.Errorf("AppCatalog sent %d requests after Warm", n)
	}
	want := []string{"Box", "Contoso SCIM App", "Salesforce", "ServiceNow", "ServiceNow Dev", "Slack"}
	if got := appNames(apps); !slices.Equal(got, want) {
		t.Errorf("AppCatalog = %v, want %v", got, want)
	}
	for _, a := range apps {
		if a.ID == "" || a.JobsKnown || len(a.Jobs) > 0 || strings.TrimSpace(a.Name) == "" {
			t.Errorf("%+v: want an id and a name, jobs not read", a)
		}
	}
}
