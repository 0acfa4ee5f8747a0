package graph_test

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// backgroundEntries makes n successful update entries for userID in the
// Salesforce app, one minute apart, newest first starting an hour ago.
func backgroundEntries(userID string, n int) []fakegraph.Object {
	out := make([]fakegraph.Object, n)
	for i := range out {
		out[i] = fakegraph.Object{
			"id":                     fmt.Sprintf("bg-%s-%04d", userID[:4], i),
			"activityDateTime":       testNow().Add(-time.Hour - time.Duration(i)*time.Minute).Format(time.RFC3339),
			"jobId":                  "SfSandboxOutDelta.e4bbf44533ea4eabb17027f3a92e92aa.f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1",
			"provisioningAction":     "update",
			"servicePrincipal":       map[string]any{"id": salesforceID, "displayName": "Salesforce"},
			"sourceIdentity":         map[string]any{"id": userID, "displayName": "Someone", "identityType": "User", "details": map[string]any{}},
			"targetIdentity":         map[string]any{"id": "t-" + userID[:4], "displayName": "Someone", "identityType": "User", "details": map[string]any{}},
			"provisioningStatusInfo": map[string]any{"status": "success", "errorInformation": nil},
			"provisioningSteps":      []any{},
			"modifiedProperties":     []any{},
		}
	}
	return out
}

func TestProvisioningLogsSendsDocumentedEscapedFilters(t *testing.T) {
	e := newEnv(t, nil, nil)
	since := testNow().Add(-6 * time.Hour)
	for _, tc := range []struct {
		name    string
		q       graph.LogQuery
		filter  string
		wantIDs []string
	}{
		{"by user", graph.LogQuery{UserID: adaID},
			"sourceIdentity/id eq '" + adaID + "'", []string{"p-ada-update", "p-ada-create"}},
		{"by user, app, time, status", graph.LogQuery{UserID: adaID, AppID: salesforceID, Since: since, Status: diagnose.ResultFailure},
			"sourceIdentity/id eq '" + adaID + "' and servicePrincipal/id eq '" + salesforceID + "' and activityDateTime gt 2025-03-01T06:00:00Z and provisioningStatusInfo/status eq 'failure'",
			[]string{"p-ada-create"}},
		{"by target id", graph.LogQuery{TargetID: "005Dn000003ZOEE"},
			"targetIdentity/id eq '005Dn000003ZOEE'", []string{"p-zoe-delete"}},
		{"staged deletes whatever their casing", graph.LogQuery{Action: diagnose.ActionStagedDelete},
			"tolower(provisioningAction) eq 'stageddelete'", []string{"p-zoe-delete"}},
		{"an injection in an id matches nothing", graph.LogQuery{UserID: "x' or 1 eq 1 or 'a"},
			"sourceIdentity/id eq 'x'' or 1 eq 1 or ''a'", nil},
		{"ids are case-sensitive, as Graph's filters are", graph.LogQuery{AppID: strings.ToUpper(salesforceID)},
			"servicePrincipal/id eq '" + strings.ToUpper(salesforceID) + "'", nil},
		{"unicode and emoji go through", graph.LogQuery{TargetID: "Zoë 🚀"},
			"targetIdentity/id eq 'Zoë 🚀'", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.srv.Reset()
			got, err := e.client.ProvisioningLogs(t.Context(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, en := range got {
				ids = append(ids, en.ID)
			}
			if !slices.Equal(ids, tc.wantIDs) {
				t.Errorf("ids = %v, want %v", ids, tc.wantIDs)
			}
			reqs := requests(e.srv, "/auditLogs/provisioning")
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Filter != tc.filter {
				t.Errorf("$filter = %q, want %q", r.Filter, tc.filter)
			}
			q, _ := url.ParseQuery(r.RawQuery)
			if q.Get("$top") == "" || q.Get("$orderby") != "activityDateTime desc" || r.Status != 200 {
				t.Errorf("query %q answered %d; want $top and $orderby", r.RawQuery, r.Status)
			}
		})
	}
}

func TestProvisioningLogsRefusesBadValuesBeforeAnyRequest(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, q := range []graph.LogQuery{
		{UserID: "a\nb"},
		{TargetID: "nul\x00"},
		{AppID: "\x1b[31m"},
		{Status: diagnose.ResultUnknown},
		{Action: "explode"},
	} {
		if _, err := e.client.ProvisioningLogs(t.Context(), q); !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("ProvisioningLogs(%+v) error = %v, want ErrInvalid", q, err)
		}
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests went out", n)
	}
}

func TestProvisioningLogsFollowsNextLinkUpToTheCap(t *testing.T) {
	tenant := loadTenant(t)
	tenant.AddProvisioning(backgroundEntries(bobID, 1200)...)
	e := newEnv(t, tenant, nil, graph.WithLogCap(1100))
	var progress [][2]int
	got, err := e.client.ProvisioningLogs(t.Context(), graph.LogQuery{UserID: bobID, Progress: func(pages, entries int) {
		progress = append(progress, [2]int{pages, entries})
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1100 {
		t.Fatalf("got %d entries, want the cap of 1100", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].ActivityTime.After(got[i-1].ActivityTime) {
			t.Fatalf("entries not newest first at %d", i)
		}
	}
	if want := [][2]int{{1, 500}, {2, 1000}, {3, 1100}}; !slices.Equal(progress, want) {
		t.Errorf("progress = %v, want %v", progress, want)
	}
	reqs := requests(e.srv, "/auditLogs/provisioning")
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		q, _ := url.ParseQuery(r.RawQuery)
		if q.Get("$top") != "500" {
			t.Errorf("request %d has $top %q", i, q.Get("$top"))
		}
		if i > 0 && q.Get("$skiptoken") == "" {
			t.Errorf("request %d did not follow the next link: %s", i, r.RawQuery)
		}
	}

	e.srv.Reset()
	few, err := e.client.ProvisioningLogs(t.Context(), graph.LogQuery{UserID: bobID, Max: 7})
	if err != nil || len(few) != 7 {
		t.Fatalf("Max 7: %d entries, %v", len(few), err)
	}
	if q, _ := url.ParseQuery(requests(e.srv, "/auditLogs/provisioning")[0].RawQuery); q.Get("$top") != "7" {
		t.Errorf("Max 7 sent $top %q", q.Get("$top"))
	}
}

func TestProvisioningLogsFailsWholeWhenAPageFailsMidway(t *testing.T) {
	for _, tc := range []struct {
		name   string
		effect fakegraph.Effect
		code   string
	}{
		{"server error", fakegraph.Status(500), "InternalServerError"},
		{"malformed JSON", fakegraph.MalformedJSON(), graph.CodeMalformedResponse},
		{"body cut short", fakegraph.TruncatedBody(), graph.CodeTransport},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tenant := loadTenant(t)
			tenant.AddProvisioning(backgroundEntries(bobID, 700)...)
			e := newEnv(t, tenant, nil, graph.WithLogCap(1000))
			e.srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/provisioning").Page(2), tc.effect)
			got, err := e.client.ProvisioningLogs(t.Context(), graph.LogQuery{UserID: bobID})
			if got != nil {
				t.Errorf("partial data returned: %d entries", len(got))
			}
			var ge *graph.Error
			if !errors.Is(err, graph.ErrUnavailable) || !errors.As(err, &ge) || ge.Code != tc.code {
				t.Fatalf("error = %v, want ErrUnavailable with code %s", err, tc.code)
			}
			if !strings.Contains(ge.Op, "page 2") {
				t.Errorf("error op %q does not say which page failed", ge.Op)
			}
		})
	}
}

func TestProvisioningLogsNeedsPermissionAndLicence(t *testing.T) {
	for _, tc := range []struct {
		name       string
		edit       func(*fakegraph.Tenant)
		permission string
		code       string
		msg        string
	}{
		{"without AuditLog.Read.All", func(t *fakegraph.Tenant) { t.Deny("AuditLog.Read.All") }, "AuditLog.Read.All", "Authentication_MSGraphPermissionMissing", ""},
		{"without Directory.Read.All", func(t *fakegraph.Tenant) { t.Deny("Directory.Read.All") }, "Directory.Read.All", "Authentication_MSGraphPermissionMissing", ""},
		{"without Entra ID P1/P2", func(t *fakegraph.Tenant) { t.Unlicensed = true }, "", graph.CodeNonPremium, "P1 or P2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tenant := loadTenant(t)
			tc.edit(tenant)
			e := newEnv(t, tenant, nil)
			_, err := e.client.ProvisioningLogs(t.Context(), graph.LogQuery{UserID: adaID})
			var ge *graph.Error
			if !errors.Is(err, graph.ErrForbidden) || !errors.As(err, &ge) {
				t.Fatalf("error = %v, want ErrForbidden", err)
			}
			if ge.Permission != tc.permission || ge.Code != tc.code || !strings.Contains(ge.Message, tc.msg) || ge.RequestID == "" {
				t.Errorf("error = %+v", ge)
			}
		})
	}
}
