package graph_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

func TestResolveUserFindsPeopleHowTheyAreAskedFor(t *testing.T) {
	e := newEnv(t, nil, nil)
	if err := e.client.Warm(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, ref string
		want      []string // object ids, in order
	}{
		{"object id", adaID, []string{adaID}},
		{"object id in capitals", strings.ToUpper(adaID), []string{adaID}},
		{"user principal name", "ada@contoso.com", []string{adaID}},
		{"UPN in another case", "ADA@Contoso.com", []string{adaID}},
		{"mail that is not the UPN", "Conan.OBrien@contoso.com", []string{conanID}},
		{"an alias among the proxy addresses", "countess@contoso.com", []string{adaID}},
		{"a guest's UPN with #EXT#", "grace_fabrikam.com#EXT#@contoso.onmicrosoft.com", []string{graceID}},
		{"two people who share a first name", "Ada", []string{adaByronID, adaID}},
		{"full display name", "Ada Lovelace", []string{adaID}},
		{"surname with an apostrophe", "O'Brien", []string{conanID}},
		{"display name with an apostrophe", "Conan O'Brien", []string{conanID}},
		{"a name that looks like an injection finds only its owner", "x' or 1 eq 1 or 'a", []string{injectionID}},
		{"unicode given name", "Zoë", []string{zoeID}},
		{"unicode surname", "Müller", []string{zoeID}},
		{"emoji inside a display name", "Zoë 🚀", []string{zoeID}},
		{"a deleted user by name", "Old Timer", []string{deletedID}},
		{"a deleted user by object id", deletedID, []string{deletedID}},
		{"a deleted user by mail", "old.timer@contoso.com", []string{deletedID}},
		{"exact match first", "ada.byron@contoso.com", []string{adaByronID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.client.ResolveUser(t.Context(), tc.ref)
			if err != nil {
				t.Fatalf("ResolveUser(%q): %v", tc.ref, err)
			}
			var ids []string
			for _, u := range got {
				ids = append(ids, u.ObjectID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("ResolveUser(%q) = %v, want %v", tc.ref, ids, tc.want)
			}
		})
	}
}

func TestResolveUserReportsFacts(t *testing.T) {
	e := newEnv(t, nil, nil)
	got, err := e.client.ResolveUser(t.Context(), "Old")
	if err != nil {
		t.Fatal(err)
	}
	want := diagnose.User{ObjectID: deletedID, UPN: "66666666666646668666666666666666old.timer@contoso.com", DisplayName: "Old Timer",
		Mail: "old.timer@contoso.com", Enabled: true, SoftDeleted: true, DeletedAt: testNow().Add(-48 * time.Hour)}
	if len(got) != 1 || got[0] != want {
		t.Errorf("deleted user = %+v, want %+v", got, want)
	}
	got, err = e.client.ResolveUser(t.Context(), graceID)
	if err != nil {
		t.Fatal(err)
	}
	if g := got[0]; !g.Guest || !g.Enabled || g.SoftDeleted || g.DisplayName != "Grace Hopper" {
		t.Errorf("guest = %+v", g)
	}
	got, err = e.client.ResolveUser(t.Context(), conanID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Enabled {
		t.Errorf("disabled user reads as enabled: %+v", got[0])
	}
}

func TestResolveUserSendsEscapedDocumentedFilters(t *testing.T) {
	e := newEnv(t, nil, nil)
	if _, err := e.client.ResolveUser(t.Context(), "O'Brien"); err != nil {
		t.Fatal(err)
	}
	var filters []string
	for _, r := range requests(e.srv, "/users") {
		filters = append(filters, r.Filter)
	}
	want := "startswith(displayName,'O''Brien') or startswith(givenName,'O''Brien') or startswith(surname,'O''Brien') or " +
		"startswith(userPrincipalName,'O''Brien') or startswith(mail,'O''Brien')"
	if !slices.Contains(filters, want) {
		t.Errorf("user filters = %q, want %q", filters, want)
	}
	for _, r := range e.srv.Requests() {
		if r.Status >= 400 {
			t.Errorf("%s %s?%s answered %d: a filter Graph would refuse", r.Method, r.Path, r.RawQuery, r.Status)
		}
	}
}

func TestResolveUserRefusesBadInputBeforeAnyRequest(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, ref := range []string{"", "   ", "ada\n@contoso.com", "nul\x00", "bad \xff"} {
		_, err := e.client.ResolveUser(t.Context(), ref)
		if !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("ResolveUser(%q) error = %v, want ErrInvalid", ref, err)
		}
	}
	for _, r := range e.srv.Requests() {
		if strings.Contains(strings.ToLower(r.Path), "/users") {
			t.Errorf("a request went out: %s %s", r.Method, r.Path)
		}
	}
}

func TestResolveUserNotFound(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, ref := range []string{"nobody", "nobody@contoso.com", "12345678-1234-4234-8234-123456789012", "🚀"} {
		_, err := e.client.ResolveUser(t.Context(), ref)
		if !errors.Is(err, graph.ErrNotFound) || !errors.Is(err, diagnose.ErrNotFound) {
			t.Errorf("ResolveUser(%q) error = %v, want ErrNotFound", ref, err)
		}
	}
}

func TestResolveUserWithoutPermissionNamesIt(t *testing.T) {
	tenant := loadTenant(t)
	tenant.Deny("User.Read.All")
	e := newEnv(t, tenant, nil)
	_, err := e.client.ResolveUser(t.Context(), "ada@contoso.com")
	var ge *graph.Error
	if !errors.Is(err, graph.ErrForbidden) || !errors.As(err, &ge) || ge.Permission != "User.Read.All" {
		t.Errorf("error = %v, want ErrForbidden naming User.Read.All", err)
	}
}
