package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/graph/fakegraph"
)

// TestCSVExportDiagnosesAsTheJSONExportDoes exports every entry of the
// demo tenant as JSON, turns that into the portal's three CSV files, and
// diagnoses every person of the demo cast offline from each: the CSV
// download says everything the diagnosis needs, so both give the same
// answers. Every user row of the CSV names its user principal name.
func TestCSVExportDiagnosesAsTheJSONExportDoes(t *testing.T) {
	dir := t.TempDir()
	csvDir, jsonFile := filepath.Join(dir, "csv"), filepath.Join(dir, "all.json")
	for _, args := range [][]string{
		{"logs", "--demo", "--max", "100000", "--format", "json", "--out", jsonFile},
		{"logs", "--logs", jsonFile, "--max", "100000", "--format", "csv", "--out", csvDir},
	} {
		if code, out, errOut := cli(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
	}

	// The user principal name column.
	raw, err := os.ReadFile(filepath.Join(csvDir, csvEntriesFile))
	if err != nil {
		t.Fatal(err)
	}
	// The file starts with a byte-order mark, for spreadsheets.
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[strings.TrimPrefix(name, "\ufeff")] = i
	}
	empty := 0
	for _, r := range rows[1:] {
		if r[col["Source Type"]] == "User" && r[col["Source User Principal Name"]] == "" {
			empty++
		}
	}
	if empty > 0 {
		t.Errorf("%d of %d user rows have no Source User Principal Name", empty, len(rows)-1)
	}

	code, _, errOut := cli(t, "logs", "--logs", csvDir, "--max", "1")
	if code != 0 || !strings.Contains(errOut, "entries from "+csvDir+" (CSV; ProvisioningLogs.csv: ") || strings.Contains(errOut, "Columns not found") {
		t.Errorf("reading the export back: exit %d, it says:\n%s", code, errOut)
	}

	for _, c := range fakegraph.DemoCast() {
		t.Run(c.DisplayName, func(t *testing.T) {
			t.Parallel()
			fromJSON := offlineDiagnoses(t, c.UPN, jsonFile)
			fromCSV := offlineDiagnoses(t, c.UPN, csvDir)
			if d := cmp.Diff(fromJSON, fromCSV); d != "" {
				t.Errorf("diagnoses from JSON (-) and from CSV (+) differ:\n%s", d)
			}
		})
	}
}

// offlineDiagnoses diagnoses upn from a saved download, as JSON values
// without the time of the run; nil when the download has no entry of
// upn.
func offlineDiagnoses(t *testing.T, upn, logs string) any {
	t.Helper()
	code, out, errOut := cli(t, "diagnose", upn, "--logs", logs, "--format", "json")
	if code != 0 {
		if strings.Contains(errOut, "no user matching") {
			return nil
		}
		t.Fatalf("diagnose %s --logs %s: exit %d\n%s", upn, logs, code, errOut)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	delete(v, "generatedAt")
	return v
}
