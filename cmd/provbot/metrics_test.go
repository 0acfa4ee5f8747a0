package main

import (
	"strings"
	"testing"

	"github.com/provbot/provbot/diagnose"
)

// TestSkippedFactsAreCounted: every fact a lookup could not read is a
// counter sample labelled with the fact and the reason.
func TestSkippedFactsAreCounted(t *testing.T) {
	m := newMetrics()
	o := graphObserver{m}
	o.ObserveSkippedFact(diagnose.FactAssignmentSince, diagnose.UnreadBudget)
	o.ObserveSkippedFact(diagnose.FactAssignmentSince, diagnose.UnreadBudget)
	o.ObserveSkippedFact(diagnose.FactJobs, "")
	var b strings.Builder
	if err := m.write(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# TYPE provbot_facts_skipped_total counter",
		`provbot_facts_skipped_total{fact="assignment-since",reason="budget"} 2`,
		`provbot_facts_skipped_total{fact="jobs",reason="unknown"} 1`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("exposition lacks %q:\n%s", want, b.String())
		}
	}
}
