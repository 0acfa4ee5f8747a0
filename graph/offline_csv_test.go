package graph_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

// writeFiles writes name → content into a new folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A download as a spreadsheet user may hand it over: a byte-order mark,
// CRLF line ends, column names spelt otherwise than provbot writes them,
// a reason quoted over two lines with a comma and quotes in it, steps out
// of order.
const (
	portalEntries = "\ufeffDate,ChangeId,Cycle ID,Job ID,Id,Action,Status,Error Code,Reason,sourceIdentity.id,Source Name,Source Type,User Principal Name,Target ID,Service Principal ID,Service Principal Name\r\n" +
		"2026-11-20T08:15:02Z,c-1,cy-1,ServiceNowOutDelta.x.y,e-1,Create,Failure,ServiceNowEntryConflict,\"ServiceNow answered 409:\r\n\"\"user_name, already taken\"\"\",u-1,Adele Vance,User,adele.vance@contoso.com,,sp-1,ServiceNow\r\n" +
		"2026-11-19T08:15:02Z,c-2,cy-0,ServiceNowOutDelta.x.y,e-2,Update,Success,,,u-2,Megan Bowen,User,megan.bowen@contoso.com,t-2,sp-1,ServiceNow\r\n"
	portalSteps = "\ufeffChange ID,Step,Name,Type,Status,Description,Details\r\n" +
		"c-1,2,EntryExportAdd,Export,Failure,Failed to create User,\"{\"\"ReportableIdentifier\"\":\"\"adele.vance@contoso.com\"\"}\"\r\n" +
		"c-1,1,EntryImport,Import,Success,Retrieved User,\"{\"\"userPrincipalName\"\":\"\"adele.vance@contoso.com\"\",\"\"accountEnabled\"\":true}\"\r\n" +
		"c-9,1,EntryImport,Import,Success,Someone else,\r\n"
	portalProps = "\ufeffChange ID,Name,Old Value,New Value\r\n" +
		"c-2,jobTitle,Designer,'=Lead Designer\r\n" +
		" c-2 ,department,\" R&D \",\"\"\r\n"
)

func TestReadLogPathJoinsThePortalsThreeCSVFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		graph.CSVEntriesFile: portalEntries, graph.CSVStepsFile: portalSteps, graph.CSVPropertiesFile: portalProps,
	})
	want := []diagnose.Entry{
		{
			ID: "e-1", ActivityTime: time.Date(2026, 11, 20, 8, 15, 2, 0, time.UTC), ChangeID: "c-1", CycleID: "cy-1", JobID: "ServiceNowOutDelta.x.y",
			Action: diagnose.ActionCreate, RawAction: "Create", Status: diagnose.ResultFailure, RawStatus: "Failure",
			Error: &diagnose.ErrorInfo{Code: "ServiceNowEntryConflict", Reason: "ServiceNow answered 409:\n\"user_name, already taken\""},
			Steps: []diagnose.Step{
				{Name: "EntryImport", Type: diagnose.StepImport, RawType: "Import", Status: diagnose.ResultSuccess, RawStatus: "Success",
					Description: "Retrieved User", Details: map[string]string{"userPrincipalName": "adele.vance@contoso.com", "accountEnabled": "true"}},
				{Name: "EntryExportAdd", Type: diagnose.StepExport, RawType: "Export", Status: diagnose.ResultFailure, RawStatus: "Failure",
					Description: "Failed to create User", Details: map[string]string{"ReportableIdentifier": "adele.vance@contoso.com"}},
			},
			Source:           diagnose.Identity{ID: "u-1", DisplayName: "Adele Vance", Type: "User", Details: map[string]string{"UserPrincipalName": "adele.vance@contoso.com"}},
			ServicePrincipal: diagnose.ServicePrincipal{ID: "sp-1", Name: "ServiceNow"},
		},
		{
			ID: "e-2", ActivityTime: time.Date(2026, 11, 19, 8, 15, 2, 0, time.UTC), ChangeID: "c-2", CycleID: "cy-0", JobID: "ServiceNowOutDelta.x.y",
			Action: diagnose.ActionUpdate, RawAction: "Update", Status: diagnose.ResultSuccess, RawStatus: "Success",
			Modified: []diagnose.ModifiedProperty{{Name: "jobTitle", OldValue: "Designer", NewValue: "=Lead Designer"},
				{Name: "department", OldValue: " R&D "}},
			Source:           diagnose.Identity{ID: "u-2", DisplayName: "Megan Bowen", Type: "User", Details: map[string]string{"UserPrincipalName": "megan.bowen@contoso.com"}},
			Target:           diagnose.Identity{ID: "t-2"},
			ServicePrincipal: diagnose.ServicePrincipal{ID: "sp-1", Name: "ServiceNow"},
		},
	}
	for _, p := range []string{dir, filepath.Join(dir, graph.CSVEntriesFile)} {
		got, read, err := graph.ReadLogPath(p)
		if err != nil {
			t.Fatalf("ReadLogPath(%s): %v", p, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("ReadLogPath(%s) entries (-want +got):\n%s", p, d)
		}
		s := read.String()
		for _, w := range []string{
			"Read 2 entries from " + p + " (CSV; ProvisioningLogs.csv: 2 rows, ProvisioningLogs_ProvisioningSteps.csv: 2 steps, ProvisioningLogs_ModifiedProperties.csv: 2 properties).",
			"Columns not found in ProvisioningLogs.csv (left empty): Error Category, Recommended Action, Additional Details, Source System, Target System, Target Name, Target Type, Initiated By, Initiator Type, Duration (ms), Tenant ID.",
			"ProvisioningLogs_ProvisioningSteps.csv: 1 step name a change id that no entry has; left out.",
		} {
			if !strings.Contains(s, w) {
				t.Errorf("what was read does not say %q:\n%s", w, s)
			}
		}
	}
}

func TestReadLogPathFindsTheDownloadHoweverItWasSaved(t *testing.T) {
	three := map[string]string{graph.CSVEntriesFile: portalEntries, graph.CSVStepsFile: portalSteps, graph.CSVPropertiesFile: portalProps}
	zipped := func(prefix string) string {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for name, content := range three {
			w, _ := zw.Create(prefix + name)
			_, _ = w.Write([]byte(content))
		}
		_ = zw.Close()
		return buf.String()
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		open  string
		steps int
		says  string
	}{
		{"renamed, with its companions", map[string]string{"adele.csv": portalEntries, "adele_ProvisioningSteps.csv": portalSteps, "adele_ModifiedProperties.csv": portalProps},
			"adele.csv", 2, "adele_ProvisioningSteps.csv: 2 steps"},
		{"the main file alone", map[string]string{"ProvisioningLogs.csv": portalEntries}, "ProvisioningLogs.csv", 0,
			"No ProvisioningLogs_ProvisioningSteps.csv beside it: the entries carry no steps."},
		{"a .zip of the three", map[string]string{"download.zip": zipped("")}, "download.zip", 2, "ProvisioningLogs_ProvisioningSteps.csv: 2 steps"},
		{"a .zip with a folder", map[string]string{"download.zip": zipped("ProvisioningLogs/")}, "download.zip", 2, "ProvisioningLogs/ProvisioningLogs_ProvisioningSteps.csv: 2 steps"},
		{"a folder with renamed files", map[string]string{"a.csv": portalEntries, "b.csv": portalSteps, "c.csv": portalProps}, ".", 2, "b.csv: 2 steps"},
		{"JSON in a file named .csv", map[string]string{"logs.csv": `{"value": [{"id": "j1", "activityDateTime": "2026-11-20T08:15:02Z", "changeId": "c-1"}]}`}, "logs.csv", 0, "(JSON)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			got, read, err := graph.ReadLogPath(filepath.Join(dir, tc.open))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Fatal("no entries")
			}
			steps := 0
			for _, e := range got {
				steps += len(e.Steps)
			}
			if steps != tc.steps {
				t.Errorf("%d steps joined, want %d", steps, tc.steps)
			}
			if !strings.Contains(read.String(), tc.says) {
				t.Errorf("what was read does not say %q:\n%s", tc.says, read.String())
			}
		})
	}
}

func TestReadLogPathReadsSpreadsheetQuirks(t *testing.T) {
	header := "Date (UTC),Change ID,Status,Source ID,Source Name\n"
	utf16le := func(s string) string {
		u := utf16.Encode([]rune(s))
		b := []byte{0xff, 0xfe}
		for _, c := range u {
			b = append(b, byte(c), byte(c>>8))
		}
		return string(b)
	}
	for _, tc := range []struct {
		name, file string
		want       time.Time
		source     string
		says       string
	}{
		{"month first with AM/PM", header + "11/20/2026 8:15:02 PM,c,Success,u,x\n", time.Date(2026, 11, 20, 20, 15, 2, 0, time.UTC), "u", ""},
		{"day first with dots", header + "20.11.2026 20:15,c,Success,u,x\n", time.Date(2026, 11, 20, 20, 15, 0, 0, time.UTC), "u", ""},
		{"day first settled by another row", header + "03/04/2026 10:00,c,Success,u,x\n13/04/2026 10:00,d,Success,u,x\n", time.Date(2026, 4, 3, 10, 0, 0, 0, time.UTC), "u", ""},
		{"unsettled order is said", header + "03/04/2026 10:00,c,Success,u,x\n", time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC), "u", "read month first"},
		{"a space instead of T, fractions", header + "2026-11-20 20:15:02.1234567,c,Success,u,x\n", time.Date(2026, 11, 20, 20, 15, 2, 123456700, time.UTC), "u", ""},
		{"an offset", header + "2026-11-20T21:15:02+01:00,c,Success,u,x\n", time.Date(2026, 11, 20, 20, 15, 2, 0, time.UTC), "u", ""},
		{"semicolons (a European spreadsheet)", strings.ReplaceAll(header, ",", ";") + "2026-11-20T20:15:02Z;c;Success;u;Zoë, the 2nd\n",
			time.Date(2026, 11, 20, 20, 15, 2, 0, time.UTC), "u", "cells separated by semicolons"},
		{"UTF-16 with tabs (Excel's Unicode text)", utf16le(strings.ReplaceAll(header, ",", "\t") + "2026-11-20T20:15:02Z\tc\tSuccess\tu\tZoë\n"),
			time.Date(2026, 11, 20, 20, 15, 2, 0, time.UTC), "u", "read as UTF-16"},
		{"Latin-1", header + "2026-11-20T20:15:02Z,c,Success,u,Zo\xeb\n", time.Date(2026, 11, 20, 20, 15, 2, 0, time.UTC), "u", "read as Latin-1"},
		{"a guarded formula", header + "2026-11-20T20:15:02Z,c,Success,'-u,x\n", time.Date(2026, 11, 20, 20, 15, 2, 0, time.UTC), "-u", ""},
		{"a row without a date is left out and said", header + "2026-11-20T20:15:02Z,c,Success,u,x\nsoon,d,Success,v,y\n",
			time.Date(2026, 11, 20, 20, 15, 2, 0, time.UTC), "u", "1 row without a readable date left out (line 3)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"logs.csv": tc.file})
			got, read, err := graph.ReadLogPath(filepath.Join(dir, "logs.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if !got[0].ActivityTime.Equal(tc.want) || got[0].ActivityTime.Location() != time.UTC {
				t.Errorf("time %v, want %v", got[0].ActivityTime, tc.want)
			}
			if got[0].Source.ID != tc.source {
				t.Errorf("source id %q, want %q", got[0].Source.ID, tc.source)
			}
			if strings.Contains(tc.name, "UTF-16") || strings.Contains(tc.name, "Latin-1") || strings.Contains(tc.name, "semicolons") {
				if !strings.HasPrefix(got[0].Source.DisplayName, "Zoë") {
					t.Errorf("name %q, want Zoë…", got[0].Source.DisplayName)
				}
			}
			if tc.says != "" && !strings.Contains(read.String(), tc.says) {
				t.Errorf("what was read does not say %q:\n%s", tc.says, read.String())
			}
		})
	}
}

func TestReadLogPathSaysWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		open  string
		want  string
	}{
		{"the steps file given", map[string]string{graph.CSVStepsFile: portalSteps}, graph.CSVStepsFile,
			"is the steps file of the portal's CSV download: give the main file (ProvisioningLogs.csv) or the folder"},
		{"the properties file given", map[string]string{graph.CSVPropertiesFile: portalProps}, graph.CSVPropertiesFile, "is the modified properties file"},
		{"some other CSV", map[string]string{"users.csv": "Name,Email\nAdele,adele@contoso.com\n"}, "users.csv",
			`users.csv is neither JSON nor one of the portal's CSV files: it has no Date (UTC) column with Status, Action or Source ID (its columns: "Name", "Email")`},
		{"an unclosed quote", map[string]string{"logs.csv": "Date,Status,Change ID\n2026-11-20,Success,\"c\n"}, "logs.csv", "logs.csv: line 2"},
		{"an empty file", map[string]string{"logs.csv": "\ufeff\r\n"}, "logs.csv", "the file is empty"},
		{"dates in both orders", map[string]string{"logs.csv": "Date,Status\n13/04/2026 10:00,Success\n04/13/2026 10:00,Success\n"}, "logs.csv",
			`the dates are written both day first ("13/04/2026 10:00") and month first ("04/13/2026 10:00")`},
		{"a folder without logs", map[string]string{"notes.txt": "Name\nx\n"}, ".", "no provisioning logs"},
		{"a folder with two downloads", map[string]string{"a.csv": portalEntries, "b.csv": portalEntries}, ".", "2 CSV files of entries (a.csv, b.csv)"},
		{"a binary file", map[string]string{"logs.xlsx": "PK\x05\x06" + strings.Repeat("\x00", 18)}, "logs.xlsx", "NUL bytes"},
		{"companion without a change id", map[string]string{"l.csv": portalEntries, "l_ProvisioningSteps.csv": "Step,Type,Description\n1,Import,x\n"}, "l.csv",
			"l_ProvisioningSteps.csv does not have the columns of the portal's steps file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			_, _, err := graph.ReadLogPath(filepath.Join(dir, tc.open))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to say %q", err, tc.want)
			}
		})
	}
}
