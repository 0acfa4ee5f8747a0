package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

// TestLogsListsEveryonesEntriesAsThePortalDoes asks "what failed in the
// last day?" without naming anyone, from the demo tenant and from a saved
// download: everyone's failures, nothing else, newest first; a cap that
// cuts the list says so.
func TestLogsListsEveryonesEntriesAsThePortalDoes(t *testing.T) {
	all := filepath.Join(t.TempDir(), "all.json")
	if code, _, errOut := cli(t, "logs", "--demo", "--max", "100000", "--format", "json", "--out", all); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	for _, src := range [][]string{{"--demo"}, {"--logs", all}} {
		t.Run(src[0], func(t *testing.T) {
			args := append([]string{"logs", "--status", "failure", "--since", "24h", "--format", "json"}, src...)
			code, out, errOut := cli(t, args...)
			if code != 0 {
				t.Fatalf("%v: exit %d\n%s", args, code, errOut)
			}
			got, err := graph.ReadLogs(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			people := map[string]bool{}
			for i, e := range got {
				people[e.Source.ID] = true
				if e.Status != diagnose.ResultFailure {
					t.Errorf("entry %s of %s is %s", e.ID, e.Source.DisplayName, e.Status)
				}
				if e.ActivityTime.Before(time.Now().Add(-25 * time.Hour)) {
					t.Errorf("entry %s is from %v, before the last day", e.ID, e.ActivityTime)
				}
				if i > 0 && e.ActivityTime.After(got[i-1].ActivityTime) {
					t.Errorf("not newest first at %d", i)
				}
			}
			if len(people) < 3 {
				t.Errorf("the last day's failures are of %d people, want everyone's (the demo has several)", len(people))
			}

			code, out, errOut = cli(t, append([]string{"logs", "--max", "5"}, src...)...)
			if code != 0 || !strings.Contains(out, "5 entries.") || !strings.Contains(errOut, "More entries match: these are the newest 5. Raise --max") {
				t.Errorf("a cap of 5: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			code, out, errOut = cli(t, append([]string{"logs", "--max", "100000"}, src...)...)
			if code != 0 || strings.Contains(errOut, "More entries match") {
				t.Errorf("no cap in the way: exit %d\nstderr:\n%s", code, errOut)
			}
		})
	}

	code, _, errOut := cli(t, "logs", "--demo", "--source", "workspace")
	if code != 2 || !strings.Contains(errOut, "searches the Log Analytics workspace for one user") {
		t.Errorf("everyone from the workspace: exit %d\n%s", code, errOut)
	}
}

func TestParseSinceReadsTodayInTheChosenZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database")
	}
	now := time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC) // already the 26th in Berlin
	for _, tc := range []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		{"today", time.UTC, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		{"Today", berlin, time.Date(2026, 11, 26, 0, 0, 0, 0, berlin)},
		{"yesterday", berlin, time.Date(2026, 11, 25, 0, 0, 0, 0, berlin)},
		{"24h", berlin, now.Add(-24 * time.Hour)},
		{"7d", time.UTC, now.Add(-7 * 24 * time.Hour)},
		{"2026-11-20", berlin, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
	} {
		got, err := parseSince(tc.in, now, tc.loc)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("parseSince(%q, %s) = %v, %v; want %v", tc.in, tc.loc, got, err, tc.want)
		}
	}
	if _, err := parseSince("last tuesday", now, time.UTC); err == nil {
		t.Error("parseSince accepted \"last tuesday\"")
	}
}

func TestProgressLineRedrawsOneLine(t *testing.T) {
	var b bytes.Buffer
	p := progressLine(&b, 2000)
	p(1, 500)
	p(2, 1000)
	lines := strings.Split(b.String(), "\r\x1b[K")
	if len(lines) != 3 || lines[0] != "" || strings.Contains(b.String(), "\n") {
		t.Fatalf("progress %q: want two redraws of one line", b.String())
	}
	if !strings.Contains(lines[2], "page 2, 1000 of at most 2000 entries") || !strings.Contains(lines[2], "50%") {
		t.Errorf("last redraw %q", lines[2])
	}
}
