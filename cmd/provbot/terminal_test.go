package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// hostile is what a directory name, a log field or an app's message can
// hold: a screen clear, a window title, a hyperlink, a clipboard write, an
// 8-bit CSI, a bell, backspaces, a carriage return and a right-to-left
// override.
const hostile = "X\x1b[2J\x1b]0;pwned\x07\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\" +
	"\x1b]52;c;Y3VybA==\x07\u009b31m\a\b\b\rY\u202eZ"

// fillStrings sets every string reachable from v to s, allocating
// pointers and giving slices and maps one element, so that a renderer
// test covers every field, those added later included.
func fillStrings(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.Struct && v.Type().Elem().PkgPath() == "time" {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fillStrings(v.Elem(), s)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillStrings(v.Index(0), s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fillStrings(k, s)
		fillStrings(e, s)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				fillStrings(v.Field(i), s)
			}
		}
	}
}

// assertNoTerminalControls fails when out holds anything a terminal obeys
// other than our own colours and newlines.
func assertNoTerminalControls(t *testing.T, what, out string) {
	t.Helper()
	for _, c := range []string{ansiReset, ansiBold, ansiDim, ansiRed, ansiGreen, ansiYellow, ansiBlue} {
		out = strings.ReplaceAll(out, c, "")
	}
	for i, r := range out {
		if r == '\n' {
			continue
		}
		if r < 0x20 || 0x7f <= r && r <= 0x9f || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069 {
			t.Errorf("%s: U+%04X at byte %d: %q", what, r, i, out[max(0, i-30):min(len(out), i+30)])
			return
		}
	}
}

func TestTerminalRenderersCarryNoControlFromData(t *testing.T) {
	var d diagnose.Diagnosis
	fillStrings(reflect.ValueOf(&d).Elem(), hostile)
	d.Audience, d.Severity = diagnose.HelpDesk, diagnose.SeverityError
	d.Ticket.Time = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	ds := []diagnose.Diagnosis{d, d}
	now := d.Ticket.Time.Add(time.Hour)
	for _, color := range []bool{false, true} {
		var text, md bytes.Buffer
		o := renderOptions{Color: color, Width: 80, Now: now, Loc: time.UTC}
		if err := writeText(&text, ds, o); err != nil {
			t.Fatal(err)
		}
		if err := writeMarkdown(&md, ds, o); err != nil {
			t.Fatal(err)
		}
		assertNoTerminalControls(t, "text", text.String())
		assertNoTerminalControls(t, "markdown", md.String())
		if color && !strings.Contains(text.String(), ansiBold+"What to do"+ansiReset) {
			t.Errorf("our own colours are gone:\n%q", text.String())
		}
		if !strings.Contains(text.String(), "Xlink YZ") {
			t.Errorf("the printable text of the data is gone:\n%s", text.String())
		}
	}
	if ds[0].Headline != hostile {
		t.Error("rendering changed the diagnoses")
	}
	var e diagnose.Entry
	fillStrings(reflect.ValueOf(&e).Elem(), hostile)
	var table bytes.Buffer
	if err := writeLogsTable(&table, []diagnose.Entry{e}, now, time.UTC); err != nil {
		t.Fatal(err)
	}
	assertNoTerminalControls(t, "logs table", table.String())
}

// TestCommandsPrintNoTerminalControlFromLogData runs the commands on a
// saved log file whose names, steps and messages carry escape sequences.
func TestCommandsPrintNoTerminalControlFromLogData(t *testing.T) {
	at := time.Now().Add(-time.Hour).UTC()
	entry := func(id, name, upn string) diagnose.Entry {
		return diagnose.Entry{
			ID: id, ChangeID: id, CycleID: "c-" + id, JobID: "job", ActivityTime: at,
			Action: diagnose.ActionCreate, Status: diagnose.ResultFailure,
			Source:           diagnose.Identity{ID: "5e6c9a0e-ab4d-4239-8ad0-174391d110e" + id, DisplayName: name, Type: "User", Details: map[string]string{"UserPrincipalName": upn}},
			ServicePrincipal: diagnose.ServicePrincipal{ID: "11111111-2222-4333-8444-555555555555", Name: "Service" + hostile},
			Error:            &diagnose.ErrorInfo{Code: "Err" + hostile, Reason: "The app said: " + hostile},
			Steps:            []diagnose.Step{{Name: "EntryExportAdd", Type: diagnose.StepExport, Status: diagnose.ResultFailure, Description: "Failed " + hostile}},
		}
	}
	f := filepath.Join(t.TempDir(), "logs.json")
	var buf bytes.Buffer
	if err := graph.WriteLogs(&buf, []diagnose.Entry{entry("1", "Mallory "+hostile, "mallory@contoso.com"), entry("2", "Mallory Two"+hostile, "m2@contoso.com")}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"diagnose", "mallory@contoso.com", "--logs", f},
		{"diagnose", "mallory@contoso.com", "--logs", f, "--format", "markdown"},
		{"logs", "--source-id", "5e6c9a0e-ab4d-4239-8ad0-174391d110e1", "--logs", f},
		{"diagnose", "Mallory", "--logs", f}, // two people match: an error that lists their names
	} {
		var out, errOut bytes.Buffer
		run(context.Background(), args, envOf(map[string]string{"TERM": "dumb"}), &out, &errOut)
		assertNoTerminalControls(t, strings.Join(args[:2], " ")+" stdout", out.String())
		assertNoTerminalControls(t, strings.Join(args[:2], " ")+" stderr", errOut.String())
		if out.Len()+errOut.Len() == 0 {
			t.Errorf("%v printed nothing", args)
		}
	}
}

// TestStatusAndCheckPrintNoTerminalControlFromGraph runs status on a
// tenant whose app names carry escape sequences, and check against a Graph
// whose error message does.
func TestStatusAndCheckPrintNoTerminalControlFromGraph(t *testing.T) {
	tenant, err := fakegraph.DemoTenant(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range tenant.ServicePrincipals {
		sp["displayName"] = fmt.Sprint(sp["displayName"]) + hostile
	}
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	srv.Fault(fakegraph.Route("GET", "/v1.0/auditLogs/provisioning"), fakegraph.Status(http.StatusBadRequest, fakegraph.WithError("BadRequest", "Refused "+hostile)))
	env := envOf(map[string]string{"PROVBOT_GRAPH_URL": srv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none", "TERM": "dumb"})
	for _, args := range [][]string{{"status"}, {"check", "--skip-bot"}} {
		var out, errOut bytes.Buffer
		run(context.Background(), args, env, &out, &errOut)
		assertNoTerminalControls(t, args[0]+" stdout", out.String())
		assertNoTerminalControls(t, args[0]+" stderr", errOut.String())
		if !strings.Contains(out.String(), "Xlink YZ") {
			t.Errorf("%s does not show the data's printable text:\n%s", args[0], out.String())
		}
	}
}
