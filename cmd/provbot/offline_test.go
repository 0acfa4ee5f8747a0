package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// fileNow is the time the saved files in testdata were taken at.
var fileNow = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// cliAt runs a command to completion with the clock at now.
func cliAt(t *testing.T, now time.Time, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	e := env{getenv: envOf(map[string]string{"TERM": "dumb"}), stdout: &out, stderr: &errOut, now: func() time.Time { return now }}
	return runEnv(ctx, args, e), out.String(), errOut.String()
}

func testdata(parts ...string) string {
	return filepath.Join(append([]string{"testdata"}, parts...)...)
}

// TestDiagnoseExplainsSilenceFromTheJob: a saved log file with nothing
// about the person asked about (empty, or only other people) still gets
// an answer, from the job: every state a job can be in, for the person as
// given (object id, UPN, mail or name), exit 0. Every answer keeps the
// invariants.
func TestDiagnoseExplainsSilenceFromTheJob(t *testing.T) {
	jobs := []struct {
		file, category string
		says           string
	}{
		{"paused.json", "job-paused", "turned off"},
		{"quarantined-credentials.json", "job-quarantined-credentials", "no longer accepts its sign-in"},
		{"quarantined-escrow.json", "job-quarantined-errors", "too many accounts failed"},
		{"quarantined-too-many-deletes.json", "job-quarantined-deletes", "too many accounts were about to be removed"},
		{"quarantined-404.json", "job-quarantined-other", "cannot be found at the saved address"},
		{"quarantined-on-demand.json", "job-quarantined-other", "Microsoft put provisioning"},
		{"quarantined-cross-tenant.json", "cross-tenant-policy", "automatic invitation redemption"},
		{"quarantined-ingestion.json", "job-quarantined-other", "on hold"},
		{"disabled-after-quarantine.json", "job-disabled-after-quarantine", "switched off"},
		{"not-configured.json", "job-not-configured", "never finished"},
		{"empty-list.json", "job-not-configured", "not set up"},
		{"initial-cycle.json", "initial-cycle-running", "first full pass"},
		{"active.json", "no-logs", "There is no record"},
	}
	people := []string{"7faf8ab2-3d56-4244-b585-20c8a42ed2b8", "adele.vance@contoso.com", "Adele Vance"}
	logs := []string{"empty.json", "others.json"}
	for _, jb := range jobs {
		for _, lf := range logs {
			for _, who := range people {
				t.Run(jb.file+"/"+lf+"/"+who, func(t *testing.T) {
					args := []string{"diagnose", who, "--logs", testdata("logs", lf), "--job", testdata("jobs", jb.file), "--format", "json"}
					code, out, errOut := cliAt(t, fileNow, args...)
					if code != 0 {
						t.Fatalf("exit %d: %s", code, errOut)
					}
					var got diagnoseOutput
					if err := json.Unmarshal([]byte(out), &got); err != nil {
						t.Fatalf("JSON output: %v\n%s", err, out)
					}
					if len(got.Diagnoses) != 1 {
						t.Fatalf("%d diagnoses, want 1: %+v", len(got.Diagnoses), got.Diagnoses)
					}
					d := got.Diagnoses[0]
					if string(d.Category) != jb.category {
						t.Errorf("category %s (rule %s), want %s: %s", d.Category, d.RuleID, jb.category, d.Headline)
					}
					if !strings.Contains(d.Headline+" "+d.Explanation, jb.says) {
						t.Errorf("answer does not say %q:\n%s\n%s", jb.says, d.Headline, d.Explanation)
					}
					if !strings.Contains(d.Headline, who) {
						t.Errorf("headline does not say the person back as given (%q): %s", who, d.Headline)
					}
					checkOfflineInvariants(t, args)
				})
			}
		}
	}
}

// checkOfflineInvariants rebuilds the offline input of a diagnose command
// and checks every answer's invariants against it, for the help desk (the
// offline commands' audience) and, when the person has a name to be called
// by, for the person themselves.
func checkOfflineInvariants(t *testing.T, args []string) {
	t.Helper()
	var sf sourceFlags
	fs := newFlags(env{stderr: io.Discard}, "diagnose", "")
	var format string
	fs.StringVar(&format, "format", "", "")
	sf.register(fs, true)
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		t.Fatal(err)
	}
	src, err := openFiles(env{stderr: io.Discard}, sf)
	if err != nil {
		t.Fatal(err)
	}
	in, err := offlineInput(src, pos[0], "")
	if err != nil {
		t.Fatal(err)
	}
	auds := []diagnose.Audience{diagnose.HelpDesk}
	if in.User != nil && (in.User.DisplayName != "" || in.User.UPN != "") {
		auds = append(auds, diagnose.EndUser)
	}
	for _, aud := range auds {
		in.Audience = aud
		for _, d := range diagnose.Diagnose(in, fileNow) {
			for _, v := range diagnose.CheckInvariants(in, d, fileNow) {
				t.Errorf("%s: %s", aud, v)
			}
		}
	}
}

// TestDiagnoseAGroupOffline: a group's entries answer "the Sales group",
// by name, by "the … group", or by id; Graph's own example is about a
// group and is read as it is.
func TestDiagnoseAGroupOffline(t *testing.T) {
	example := filepath.Join("..", "..", "diagnose", "testdata", "graph", "provisioningObjectSummary-list-v1-example2-failure-entryconflict.json")
	for _, tc := range []struct {
		name     string
		args     []string
		category string
		says     string
	}{
		{"by name", []string{"diagnose", "Sales", "--logs", testdata("logs", "others.json"), "--job", testdata("jobs", "active.json")},
			"provisioned", "The Sales group exists in Salesforce"},
		{"as the help desk asks", []string{"diagnose", "the Sales group", "--logs", testdata("logs", "others.json"), "--job", testdata("jobs", "active.json")},
			"provisioned", "the Sales group"},
		{"by id, while its app is quarantined: nothing held back, so it stays provisioned but not ok",
			[]string{"diagnose", "0b5fd1a2-53a7-4d3c-9f0e-6a1c2d3e4f50", "--logs", testdata("logs", "others.json"), "--job", testdata("jobs", "quarantined-credentials.json")},
			"provisioned", "the Sales group"},
		{"Graph's example: a group with the same name exists", []string{"diagnose", "Self-service Pilot", "--logs", example},
			"matching-conflict", "the Self-service Pilot group"},
		{"a group the file does not mention, answered from the job", []string{"diagnose", "the Finance group", "--logs", testdata("logs", "others.json"), "--job", testdata("jobs", "paused.json")},
			"job-paused", "the Finance group is not created or updated there"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cliAt(t, fileNow, append(tc.args, "--format", "json")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got diagnoseOutput
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("JSON output: %v\n%s", err, out)
			}
			if len(got.Diagnoses) != 1 {
				t.Fatalf("%d diagnoses: %s", len(got.Diagnoses), out)
			}
			d := got.Diagnoses[0]
			if string(d.Category) != tc.category || !strings.Contains(d.Headline+" "+d.Explanation, tc.says) || d.User.Type != diagnose.SubjectGroup {
				t.Errorf("%s / %s, subject %+v, want %s saying %q:\n%s\n%s", d.RuleID, d.Category, d.User, tc.category, tc.says, d.Headline, d.Explanation)
			}
			if d.Severity == diagnose.SeverityOK && strings.Contains(tc.args[4], "quarantined") {
				t.Errorf("ok beside a quarantined job")
			}
			checkOfflineInvariants(t, tc.args)
		})
	}
}

// TestDiagnoseAGroupLive: the help desk asks about a group of the demo
// tenant by "the … group" or its bare name; an end user may not.
func TestDiagnoseAGroupLive(t *testing.T) {
	for _, ref := range []string{"the Sales group", "Sales"} {
		code, out, errOut := cli(t, "diagnose", ref, "--app", "Slack", "--demo", "--format", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", ref, code, errOut)
		}
		var got diagnoseOutput
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("JSON output: %v\n%s", err, out)
		}
		if len(got.Diagnoses) != 1 || got.Diagnoses[0].Category != diagnose.JobQuarantinedDeletes ||
			!strings.Contains(got.Diagnoses[0].Headline, "the Sales group") || got.User.Type != diagnose.SubjectGroup {
			t.Errorf("%s: %+v", ref, got)
		}
	}
	code, _, errOut := cli(t, "diagnose", "the Sales group", "--demo", "--as", "adele.vance@contoso.com")
	if code != 1 || !strings.Contains(errOut, "not a group's") {
		t.Errorf("an end user asking about a group: exit %d, %s", code, errOut)
	}
}

// TestDiagnoseSavedFilesAsOf: files saved long ago are told as of their
// newest time, named in the note and in asOf; --as-of says when they were
// taken (now: the clock), and may not be before what they hold.
func TestDiagnoseSavedFilesAsOf(t *testing.T) {
	dir := filepath.Join(corpusDir, "21-scim-token-expired-quarantine")
	args := []string{"diagnose", "hema@contoso.com", "--logs", filepath.Join(dir, "logs.json"), "--job", filepath.Join(dir, "job.json"), "--format", "json"}
	for _, tc := range []struct {
		name     string
		extra    []string
		asOf     time.Time
		category diagnose.Category
		note     string
	}{
		{"as of the files' newest time", nil, time.Date(2025, 6, 25, 7, 5, 0, 0, time.UTC), diagnose.JobQuarantinedCredentials, "F01"},
		{"as of when the asker says they were taken", []string{"--as-of", "2025-06-25T09:00Z"}, time.Date(2025, 6, 25, 9, 0, 0, 0, time.UTC), diagnose.JobQuarantinedCredentials, "F01"},
		{"as of now: still quarantined and scheduled, so not called switched off", []string{"--as-of", "now"}, time.Time{}, diagnose.JobQuarantinedCredentials, "J20"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cliAt(t, fileNow, append(args, tc.extra...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var got diagnoseOutput
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("JSON output: %v\n%s", err, out)
			}
			d := got.Diagnoses[0]
			if d.Category != tc.category || !d.AsOf.Equal(tc.asOf) {
				t.Errorf("%s (%s) as of %v, want %s as of %v: %s", d.Category, d.RuleID, d.AsOf, tc.category, tc.asOf, d.Headline)
			}
			if !slices.ContainsFunc(d.Notes, func(n diagnose.Note) bool { return n.RuleID == tc.note }) {
				t.Errorf("no note %s: %+v", tc.note, d.Notes)
			}
		})
	}
	for _, bad := range [][]string{
		append(slices.Clone(args), "--as-of", "2025-06-01"),
		append(slices.Clone(args), "--as-of", "yesterday"),
		{"diagnose", "adele.vance@contoso.com", "--demo", "--as-of", "now"},
	} {
		if code, _, errOut := cliAt(t, fileNow, bad...); code != 2 || !strings.Contains(errOut, "--as-of") {
			t.Errorf("%v: exit %d, %s; want a usage error about --as-of", bad, code, errOut)
		}
	}
}
