package main

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
)

// metrics holds provbot's Prometheus metrics and writes them in the text
// exposition format (version 0.0.4) at GET /metrics. It is small on
// purpose: a few counters and histograms with labels.
type metrics struct {
	mu       sync.Mutex
	counters map[string]*counterVec
	hists    map[string]*histVec
	order    []string
	help     map[string]string
}

type counterVec struct {
	labels []string
	values map[string]float64 // key: label values joined by \xff
}

type histVec struct {
	labels  []string
	buckets []float64
	series  map[string]*histSeries
}

type histSeries struct {
	counts []uint64 // per bucket (not cumulative)
	sum    float64
	count  uint64
}

func newMetrics() *metrics {
	m := &metrics{counters: map[string]*counterVec{}, hists: map[string]*histVec{}, help: map[string]string{}}
	m.counter("provbot_lookups_total", "Lookups answered, by outcome and verdict category.", "outcome", "category")
	m.histogram("provbot_graph_request_duration_seconds", "Microsoft Graph request latency, by route and status.",
		[]float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}, "route", "status")
	m.counter("provbot_graph_throttled_total", "Microsoft Graph throttling events (429 or 503 with Retry-After), by route.", "route")
	m.counter("provbot_connector_requests_total", "Bot Connector requests, by HTTP status class.", "status")
	m.counter("provbot_connector_errors_total", "Bot Connector requests that failed (status 400 and above, or no answer).", "status")
	m.counter("provbot_facts_skipped_total", "Facts a lookup could not read (the answer says what it depends on), by fact and reason.", "fact", "reason")
	return m
}

func (m *metrics) counter(name, help string, labels ...string) {
	m.counters[name] = &counterVec{labels: labels, values: map[string]float64{}}
	m.order = append(m.order, name)
	m.help[name] = help
}

func (m *metrics) histogram(name, help string, buckets []float64, labels ...string) {
	m.hists[name] = &histVec{labels: labels, buckets: buckets, series: map[string]*histSeries{}}
	m.order = append(m.order, name)
	m.help[name] = help
}

// add increases a counter; values are the label values in order.
func (m *metrics) add(name string, delta float64, values ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.counters[name]
	if !ok || len(values) != len(c.labels) {
		return
	}
	c.values[strings.Join(values, "\xff")] += delta
}

// observe records one histogram observation.
func (m *metrics) observe(name string, v float64, values ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.hists[name]
	if !ok || len(values) != len(h.labels) {
		return
	}
	key := strings.Join(values, "\xff")
	s := h.series[key]
	if s == nil {
		s = &histSeries{counts: make([]uint64, len(h.buckets))}
		h.series[key] = s
	}
	for i, b := range h.buckets {
		if v <= b {
			s.counts[i]++
			break
		}
	}
	s.sum += v
	s.count++
}

// write renders every metric in the Prometheus text format.
func (m *metrics) write(w io.Writer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	for _, name := range m.order {
		fmt.Fprintf(&b, "# HELP %s %s\n", name, m.help[name])
		if c, ok := m.counters[name]; ok {
			fmt.Fprintf(&b, "# TYPE %s counter\n", name)
			for _, key := range sortedKeys(c.values) {
				fmt.Fprintf(&b, "%s%s %s\n", name, labelString(c.labels, key, "", ""), formatFloat(c.values[key]))
			}
			continue
		}
		h := m.hists[name]
		fmt.Fprintf(&b, "# TYPE %s histogram\n", name)
		for _, key := range sortedKeys(h.series) {
			s := h.series[key]
			var cum uint64
			for i, le := range h.buckets {
				cum += s.counts[i]
				fmt.Fprintf(&b, "%s_bucket%s %d\n", name, labelString(h.labels, key, "le", formatFloat(le)), cum)
			}
			fmt.Fprintf(&b, "%s_bucket%s %d\n", name, labelString(h.labels, key, "le", "+Inf"), s.count)
			fmt.Fprintf(&b, "%s_sum%s %s\n", name, labelString(h.labels, key, "", ""), formatFloat(s.sum))
			fmt.Fprintf(&b, "%s_count%s %d\n", name, labelString(h.labels, key, "", ""), s.count)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// labelString renders {a="x",b="y"} with an optional extra label.
func labelString(names []string, key, extraName, extraValue string) string {
	var vals []string
	if len(names) > 0 {
		vals = strings.Split(key, "\xff")
	}
	parts := make([]string, 0, len(names)+1)
	for i, n := range names {
		parts = append(parts, n+`="`+escapeLabel(vals[i])+`"`)
	}
	if extraName != "" {
		parts = append(parts, extraName+`="`+extraValue+`"`)
	}
	if len(parts) == 0 {
		return ""
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func formatFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// handler serves GET /metrics.
func (m *metrics) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		if err := m.write(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
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
	t.m.add("provbot_connector_requests_total", 1, status)
	if err != nil || resp.StatusCode >= 400 {
		if err == nil {
			status = strconv.Itoa(resp.StatusCode)
		}
		t.m.add("provbot_connector_errors_total", 1, status)
	}
	return resp, err
}

// graphObserver records Graph request metrics (the graph package calls it
// once per request and per throttling event).
type graphObserver struct{ m *metrics }

// ObserveRequest records one Graph request.
func (o graphObserver) ObserveRequest(route string, status int, d time.Duration) {
	o.m.observe("provbot_graph_request_duration_seconds", d.Seconds(), route, strconv.Itoa(status))
}

// ObserveThrottle records one throttling event.
func (o graphObserver) ObserveThrottle(route string) {
	o.m.add("provbot_graph_throttled_total", 1, route)
}

// ObserveSkippedFact records one fact a lookup could not read.
func (o graphObserver) ObserveSkippedFact(fact diagnose.Fact, reason diagnose.Unread) {
	if reason == "" {
		reason = "unknown"
	}
	o.m.add("provbot_facts_skipped_total", 1, string(fact), string(reason))
}

var _ graph.FactObserver = graphObserver{}
