package main

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

// metrics are provbot's Prometheus metrics, served at GET /metrics by
// github.com/prometheus/client_golang with the Go runtime and process
// collectors. Each server has its own registry (tests build several).
type metrics struct {
	reg *prometheus.Registry

	lookups           *prometheus.CounterVec
	timeToCard        prometheus.Histogram
	graphDuration     *prometheus.HistogramVec
	graphThrottled    *prometheus.CounterVec
	reportingWait     prometheus.Histogram
	connectorRequests *prometheus.CounterVec
	connectorErrors   *prometheus.CounterVec
	factsSkipped      *prometheus.CounterVec
	lookupSkipped     prometheus.Histogram
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "provbot_lookups_total",
			Help: "Lookups answered, by outcome and verdict category."}, []string{"outcome", "category"}),
		timeToCard: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "provbot_time_to_card_seconds",
			Help:    "Time from a question's turn starting to its answer card having been sent to the Bot Connector.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120}}),
		graphDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "provbot_graph_request_duration_seconds",
			Help:    "Microsoft Graph request latency, by route and status.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}}, []string{"route", "status"}),
		graphThrottled: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "provbot_graph_throttled_total",
			Help: "Microsoft Graph throttling events (429 or 503 with Retry-After), by route."}, []string{"route"}),
		reportingWait: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "provbot_reporting_queue_wait_seconds",
			Help:    "Time a lookup's provisioning-log request waited for the reporting budget (5 requests per 10 s per tenant).",
			Buckets: []float64{0.01, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300}}),
		connectorRequests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "provbot_connector_requests_total",
			Help: "Bot Connector requests, by HTTP status class."}, []string{"status"}),
		connectorErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "provbot_connector_errors_total",
			Help: "Bot Connector requests that failed (status 400 and above, or no answer)."}, []string{"status"}),
		factsSkipped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "provbot_facts_skipped_total",
			Help: "Facts a lookup could not read (the answer says what it depends on), by fact and reason."}, []string{"fact", "reason"}),
		lookupSkipped: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "provbot_lookup_facts_skipped",
			Help:    "Facts one lookup could not read (the user's and every app's).",
			Buckets: []float64{0, 1, 2, 3, 5, 10, 20}}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.lookups, m.timeToCard, m.graphDuration, m.graphThrottled, m.reportingWait,
		m.connectorRequests, m.connectorErrors, m.factsSkipped, m.lookupSkipped,
	)
	return m
}

// lookedUp counts one lookup by outcome and verdicts ("none" without one).
func (m *metrics) lookedUp(outcome string, verdicts []diagnose.Category) {
	if len(verdicts) == 0 {
		m.lookups.WithLabelValues(outcome, "none").Inc()
	}
	for _, v := range verdicts {
		m.lookups.WithLabelValues(outcome, string(v)).Inc()
	}
}

// answered records one question's time to its card.
func (m *metrics) answered(d time.Duration) { m.timeToCard.Observe(d.Seconds()) }

// handler serves GET /metrics in the format the scraper asks for.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// connectorTransport counts Bot Connector requests (paths under /v3/) by
// status, around the transport the bot uses for its outbound calls.
type connectorTransport struct {
	base http.RoundTripper
	m    *metrics
}

func (t connectorTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if !strings.Contains(r.URL.Path, "/v3/") {
		return resp, err
	}
	status := "error"
	if err == nil {
		status = strconv.Itoa(resp.StatusCode/100) + "xx"
	}
	t.m.connectorRequests.WithLabelValues(status).Inc()
	if err != nil || resp.StatusCode >= 400 {
		if err == nil {
			status = strconv.Itoa(resp.StatusCode)
		}
		t.m.connectorErrors.WithLabelValues(status).Inc()
	}
	return resp, err
}

// graphObserver records Graph request metrics (the graph package calls it
// once per request, per throttling event, per skipped fact and per
// lookup).
type graphObserver struct{ m *metrics }

// ObserveRequest records one Graph request.
func (o graphObserver) ObserveRequest(route string, status int, d time.Duration) {
	o.m.graphDuration.WithLabelValues(route, strconv.Itoa(status)).Observe(d.Seconds())
}

// ObserveThrottle records one throttling event.
func (o graphObserver) ObserveThrottle(route string) {
	o.m.graphThrottled.WithLabelValues(route).Inc()
}

// ObserveSkippedFact records one fact a lookup could not read.
func (o graphObserver) ObserveSkippedFact(fact diagnose.Fact, reason diagnose.Unread) {
	if reason == "" {
		reason = "unknown"
	}
	o.m.factsSkipped.WithLabelValues(string(fact), string(reason)).Inc()
}

// ObserveReportingWait records one lookup's wait for the reporting budget.
func (o graphObserver) ObserveReportingWait(d time.Duration) { o.m.reportingWait.Observe(d.Seconds()) }

// ObserveLookupSkipped records how many facts one lookup could not read.
func (o graphObserver) ObserveLookupSkipped(n int) { o.m.lookupSkipped.Observe(float64(n)) }

var (
	_ graph.FactObserver   = graphObserver{}
	_ graph.LookupObserver = graphObserver{}
)
