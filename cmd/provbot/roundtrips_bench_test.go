package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// graphLatency is the fake Graph's latency per request in the round-trip
// benchmark: large against the machine's own work, so that elapsed time
// over it counts the sequential waves of requests.
const graphLatency = 50 * time.Millisecond

// latencyTransport delays every request by d, as a distant Graph would.
type latencyTransport struct {
	base http.RoundTripper
	d    time.Duration
}

func (l latencyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case <-time.After(l.d):
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	return l.base.RoundTrip(r)
}

// swappedDirectory is the conversation's Directory, replaced by a fresh
// Graph client before each question so that every question is someone's
// first (nothing cached but the app catalogue).
type swappedDirectory struct{ *graph.Client }

// BenchmarkQuestionRoundTrips answers one question per operation through
// the real conversation and the Graph adapter over HTTP, against the demo
// tenant served with graphLatency per request, and reports the sequential
// Graph round trips the answer waited for (elapsed time over the latency)
// and the Graph requests it sent. The naive baseline, every request one
// after the other, would wait graph-requests/op round trips.
//
//	go test ./cmd/provbot -run '^$' -bench QuestionRoundTrips -benchtime 20x
func BenchmarkQuestionRoundTrips(b *testing.B) {
	cast := map[string]fakegraph.CastMember{}
	for _, c := range fakegraph.DemoCast() {
		cast[c.DisplayName] = c
	}
	for _, bc := range []struct {
		name, asker, text string
	}{
		{"end user asks about own account in one app", cast["Adele Vance"].ObjectID, "why can't I get into ServiceNow?"},
		{"end user asks about all own apps", cast["Adele Vance"].ObjectID, "check my accounts"},
		{"help desk asks by UPN in one app", cast["Henrietta Mueller"].ObjectID, "check adele.vance@contoso.com in ServiceNow"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchmarkRoundTrips(b, bc.asker, bc.text)
		})
	}
}

func benchmarkRoundTrips(b *testing.B, asker, text string) {
	now := time.Now()
	clock := func() time.Time { return now }
	tenant, err := fakegraph.DemoTenant(now)
	if err != nil {
		b.Fatal(err)
	}
	gsrv := fakegraph.NewTestServer(b, tenant, fakegraph.WithNow(clock), fakegraph.WithThrottle(0, 0))
	logger := slog.New(slog.DiscardHandler)
	dir := &swappedDirectory{}
	conv, err := bot.NewConversation(bot.ConversationConfig{Directory: dir, Logger: logger, Now: clock, LookupContext: lookupHooks})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := botframework.NewServer(botframework.Config{}, conv, botframework.Options{ListenAddr: "127.0.0.1:0", Logger: logger, Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	web := httptest.NewServer(srv.Handler())
	b.Cleanup(web.Close)
	connector := bftest.NewConnector(b)

	var waited, sent float64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		gc, err := graph.NewUnauthenticated(gsrv.URL()+"/v1.0", graph.WithLogger(logger), graph.WithNow(clock),
			graph.WithHelpDeskGroups(fakegraph.DemoHelpDeskGroupID), graph.WithReportBudget(0, 0),
			graph.WithHTTPClient(&http.Client{Transport: latencyTransport{base: http.DefaultTransport, d: graphLatency}}))
		if err != nil {
			b.Fatal(err)
		}
		if err := gc.Warm(context.Background()); err != nil {
			b.Fatal(err)
		}
		dir.Client = gc
		before := len(gsrv.Requests())
		calls := len(connector.Calls())
		conv := fmt.Sprintf("a:rt-%d", i)
		body, _ := json.Marshal(map[string]any{
			"type": "message", "id": "m-" + conv, "channelId": "msteams", "serviceUrl": connector.URL,
			"from":         map[string]any{"id": "29:" + asker, "aadObjectId": asker},
			"conversation": map[string]any{"conversationType": "personal", "id": conv, "tenantId": fakegraph.DemoTenantID},
			"recipient":    map[string]any{"id": "28:provbot", "name": "provbot"},
			"text":         text,
			"channelData":  map[string]any{"tenant": map[string]any{"id": fakegraph.DemoTenantID}},
		})
		b.StartTimer()
		start := time.Now()
		resp, err := http.Post(web.URL+"/api/messages", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		for !hasCard(connector.Calls()[calls:]) {
			time.Sleep(time.Millisecond)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		waited += float64(elapsed) / float64(graphLatency)
		sent += float64(len(gsrv.Requests()) - before)
	}
	b.ReportMetric(waited/float64(b.N), "round-trips/op")
	b.ReportMetric(sent/float64(b.N), "graph-requests/op")
}

// hasCard reports whether one of the connector calls carried a card.
func hasCard(calls []bftest.Call) bool {
	for _, c := range calls {
		if atts, ok := c.Body["attachments"].([]any); ok && len(atts) > 0 {
			return true
		}
	}
	return false
}
