package workspace_test

import (
	"context"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/workspace"
	"github.com/provbot/provbot/workspace/lafake"
)

// The fixed clock and the workspace of these tests.
var (
	now  = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	wsID = "b3a1e9f2-6c4d-4e8a-9f10-2d7c5b8a4e61"
	day  = 24 * time.Hour
)

// adele and bob are two users of the tests' tenant.
var (
	adele = lafake.Person{ObjectID: "7faf8ab2-3d56-4244-b585-20c8a42ed2b8", UPN: "adele@contoso.com", Name: "Adele Vance"}
	bob   = lafake.Person{ObjectID: "0e3c2a1d-9b8f-4e7d-a6c5-b4a3f2e1d0c9", UPN: "bob@contoso.com", Name: "Bob Kelly"}
	sf    = lafake.App{ID: "1f0c5a7e-6b2d-4c3a-9e8f-7d6c5b4a3f21", AppID: "aef16669-920f-540b-99e6-1e2714f3f273", Name: "Salesforce",
		JobID: "SalesforceOutDelta.7928d5b574424a97ae2d66f9a9972eca", TargetSystemID: "265ada74-4936-5b4a-9ed4-294a2c71b642"}
	tenant = "7928d5b5-7442-4a97-ae2d-66f9a9972eca"
)

// startFake serves rows from a fake Log Analytics API on loopback and
// returns it with a client that reads it through the Azure SDK.
func startFake(t *testing.T, rows []lafake.Row, fopts []lafake.Option, copts ...workspace.Option) (*lafake.Server, *workspace.Client) {
	t.Helper()
	fake := lafake.New([]*lafake.Workspace{{ID: wsID, Rows: rows}}, append([]lafake.Option{lafake.WithNow(func() time.Time { return now })}, fopts...)...)
	if err := fake.StartLoopback(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	c, err := workspace.New(nil, wsID, append([]workspace.Option{workspace.WithEndpoint(fake.URL()),
		workspace.WithNow(func() time.Time { return now }), workspace.WithRetry(0, 0)}, copts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return fake, c
}

// history writes one person's events in an app as rows.
func history(p lafake.Person, a lafake.App, entries ...diagnose.Entry) []lafake.Row {
	var rows []lafake.Row
	for _, e := range entries {
		rows = append(rows, lafake.RowFromEntry(e, wsID, lafake.Style{}))
	}
	return rows
}

// made is an entry: p's account created in a, ago before now.
func made(p lafake.Person, a lafake.App, ago time.Duration, mods ...func(*diagnose.Entry)) diagnose.Entry {
	at := now.Add(-ago)
	e := diagnose.Entry{
		ID: "ent-" + p.UPN + "-" + at.Format("20060102150405"), ActivityTime: at, ChangeID: "chg-" + at.Format("150405"),
		CycleID: "cyc-" + at.Format("1504"), JobID: a.JobID, TenantID: tenant,
		Action: diagnose.ActionCreate, RawAction: "create", Status: diagnose.ResultSuccess, RawStatus: "success",
		Source:           diagnose.Identity{ID: p.ObjectID, DisplayName: p.Name, Type: "User", Details: map[string]string{"UserPrincipalName": p.UPN}},
		Target:           diagnose.Identity{ID: "005Dn" + p.ObjectID[:8], DisplayName: p.Name, Type: "User"},
		ServicePrincipal: diagnose.ServicePrincipal{ID: a.ID, Name: a.Name},
		TargetSystem:     diagnose.System{ID: a.TargetSystemID, DisplayName: a.Name, Details: map[string]string{"ServicePrincipalId": a.ID}},
		InitiatedBy:      diagnose.Initiator{DisplayName: "Azure AD Provisioning Service", Type: "system"},
		Duration:         1500 * time.Millisecond,
		Steps: []diagnose.Step{
			{Name: "EntryImportAdd", Type: diagnose.StepImport, RawType: "import", Status: diagnose.ResultSuccess, RawStatus: "success",
				Description: "Received User '" + p.UPN + "' change of type (Add) from Azure Active Directory",
				Details:     map[string]string{"userPrincipalName": p.UPN}},
			{Name: "EntryExportAdd", Type: diagnose.StepExport, RawType: "export", Status: diagnose.ResultSuccess, RawStatus: "success",
				Description: "User '" + p.UPN + "' was created in " + a.Name, Details: map[string]string{"ReportableIdentifier": p.UPN}},
		},
	}
	for _, m := range mods {
		m(&e)
	}
	return e
}

// search runs a search with a short deadline.
func search(t *testing.T, c *workspace.Client, s workspace.Search) (workspace.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return c.Search(ctx, s)
}
