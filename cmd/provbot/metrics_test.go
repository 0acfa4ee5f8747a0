package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
	b := scrape(t, m)
	for _, want := range []string{
		"# TYPE provbot_facts_skipped_total counter",
		`provbot_facts_skipped_total{fact="assignment-since",reason="budget"} 2`,
		`provbot_facts_skipped_total{fact="jobs",reason="unknown"} 1`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("exposition lacks %q:\n%s", want, b)
		}
	}
}

// scrape returns the exposition GET /metrics serves, in the text format.
func scrape(t *testing.T, m *metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

// TestMetricsHaveRuntimeProcessAndLatencyHistograms: the exposition has
// the Go runtime and process collectors, and histograms for the time to
// card, the wait for the reporting budget and the facts each lookup
// skipped, with what was observed.
func TestMetricsHaveRuntimeProcessAndLatencyHistograms(t *testing.T) {
	m := newMetrics()
	o := graphObserver{m}
	m.answered(1500 * time.Millisecond)
	o.ObserveReportingWait(12 * time.Second)
	o.ObserveLookupSkipped(2)
	m.lookedUp("answered", nil)
	b := scrape(t, m)
	for _, want := range []string{
		"go_goroutines ",
		"process_cpu_seconds_total ",
		"process_resident_memory_bytes ",
		`provbot_time_to_card_seconds_bucket{le="2"} 1`,
		`provbot_time_to_card_seconds_bucket{le="1"} 0`,
		`provbot_reporting_queue_wait_seconds_bucket{le="20"} 1`,
		`provbot_reporting_queue_wait_seconds_bucket{le="10"} 0`,
		`provbot_lookup_facts_skipped_bucket{le="2"} 1`,
		`provbot_lookups_total{category="none",outcome="answered"} 1`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("exposition lacks %q:\n%s", want, b)
		}
	}
}
