//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/logtest"
)

// The end-to-end benchmark's settings (go test flags).
var (
	e2eLatency = flag.Duration("e2e.latency", 50*time.Millisecond, "the fake Graph's latency per request in BenchmarkServeEndToEnd")
	e2eSteady  = flag.Duration("e2e.steady", 30*time.Second, "how long BenchmarkServeEndToEnd sends 6 new users a second")
	e2eAckOnly = flag.Bool("e2e.ack-only", false, "BenchmarkServeEndToEnd measures only the acknowledgements")
)

// e2eUsers is how many generated users the benchmark's tenant holds.
const e2eUsers = 800

// e2eTenant is the demo tenant plus generated users, each with three
// ServiceNow entries, the first e2eHelpDesk of them in the help-desk
// group.
type e2eTenant struct {
	tenant *fakegraph.Tenant
	ids    []string
	appID  string
}

const e2eHelpDesk = 40

func newE2ETenant(b *testing.B) e2eTenant {
	now := time.Now()
	tenant, err := fakegraph.DemoTenant(now)
	if err != nil {
		b.Fatal(err)
	}
	var appID string
	for _, c := range fakegraph.DemoCast() {
		if c.App == "ServiceNow" && c.AppID != "" {
			appID = c.AppID
		}
	}
	et := e2eTenant{tenant: tenant, appID: appID, ids: make([]string, e2eUsers)}
	for i := range et.ids {
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", 0x70000000+i, i)
		et.ids[i] = id
		tenant.AddUser(fakegraph.Object{"id": id, "displayName": fmt.Sprintf("Bench User %d", i),
			"userPrincipalName": e2eUPN(i), "mail": e2eUPN(i), "accountEnabled": true})
		for k := range 3 {
			tenant.AddProvisioning(fakegraph.Object{
				"id":                     fmt.Sprintf("e2e-%d-%d", i, k),
				"activityDateTime":       now.Add(-time.Hour - time.Duration(k)*time.Minute).UTC().Format(time.RFC3339),
				"jobId":                  "ServiceNowOutDelta.e4bbf44533ea4eabb17027f3a92e92aa.f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1",
				"provisioningAction":     "update",
				"servicePrincipal":       map[string]any{"id": appID, "displayName": "ServiceNow"},
				"sourceIdentity":         map[string]any{"id": id, "displayName": "Bench User", "identityType": "User", "details": map[string]any{}},
				"targetIdentity":         map[string]any{"id": "t-" + id, "displayName": "Bench User", "identityType": "User", "details": map[string]any{}},
				"provisioningStatusInfo": map[string]any{"status": "success", "errorInformation": nil},
				"provisioningSteps":      []any{},
				"modifiedProperties":     []any{},
			})
		}
	}
	tenant.AddMembers(fakegraph.DemoHelpDeskGroupID, et.ids[:e2eHelpDesk]...)
	return et
}

func e2eUPN(i int) string { return fmt.Sprintf("bench%d@contoso.com", i) }

// e2eBot is `provbot serve` against the fakes, with a watcher that
// records when each conversation got its first card.
type e2eBot struct {
	base      string
	issuer    *bftest.Issuer
	connector *bftest.Connector
	graph     *fakegraph.Server
	proc      *os.Process // serve, in a process of its own

	mu    sync.Mutex
	cards map[string]time.Time // conversation id → first card
	busy  map[string]string    // conversation id → the busy note
	// serviceURL is the connector as the activities name it (the proxy).
	serviceURL string
	// bearer is the channel's token, signed once: the Bot Connector uses
	// one token until it expires, and serve remembers it once verified.
	bearer string
}

// startE2E starts serve against a fake Graph with latency L on every
// request and Microsoft's reporting throttle.
func startE2E(b *testing.B, et e2eTenant) *e2eBot {
	gsrv := fakegraph.NewTestServer(b, et.tenant, fakegraph.WithThrottle(graph.DefaultReportBudget, graph.DefaultReportWindow))
	for _, p := range []string{"/v1.0/*", "/v1.0/*/*", "/v1.0/*/*/*", "/v1.0/*/*/*/*", "/v1.0/*/*/*/*/*", "/beta/*", "/beta/*/*/*/*"} {
		gsrv.Fault(fakegraph.Route("*", p), fakegraph.Latency(*e2eLatency))
	}
	issuer := bftest.NewIssuer(b, bftest.IssuerOptions{AppID: serveAppID})
	tokens := bftest.NewTokenEndpoint(b, bftest.TokenEndpointOptions{ClientID: serveAppID, ClientSecret: serveSecret})
	connector := bftest.NewConnector(b)
	connector.RequireTokensFrom(tokens)
	e := &e2eBot{graph: gsrv, cards: map[string]time.Time{}, busy: map[string]string{}}
	// The bot talks to the connector through a proxy that notes when each
	// card and busy note arrives (polling the connector's log would cost
	// more CPU than the bot).
	target, _ := url.Parse(connector.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.note(r.URL.Path, body, time.Now())
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	b.Cleanup(front.Close)
	env := map[string]string{
		"MicrosoftAppId": serveAppID, "MicrosoftAppPassword": serveSecret,
		"ToBotFromChannelOpenIdMetadataUrl": issuer.MetadataURL, "ToChannelFromBotLoginUrl": tokens.URL,
		"PROVBOT_GRAPH_URL": gsrv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none",
		"PROVBOT_HELPDESK_GROUPS": fakegraph.DemoHelpDeskGroupID, "PROVBOT_TENANTS": fakegraph.DemoTenantID,
		"PROVBOT_STORE": "sqlite://" + filepath.Join(b.TempDir(), "provbot.db"),
	}
	stderr := &logtest.Buffer{}
	e.proc = startServeProcess(b, env, stderr)
	addr := waitFor(b, "the listening address", stderr.String, regexp.MustCompile(`"msg":"listening".*?"addr":"([^"]+)"`))
	e.base, e.issuer, e.connector = "http://"+addr, issuer, connector
	e.serviceURL = front.URL
	e.bearer = issuer.Bearer(front.URL)
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get(e.base + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), "ready") && resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("serve never got ready:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return e
}

var convInPath = regexp.MustCompile(`^/v3/conversations/([^/]+)/activities`)

// procCPU is the CPU time (user and system) the process pid has used,
// all its threads, from /proc/{pid}/stat in clock ticks of 10 ms.
func procCPU(pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses.
	fields := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// note records a card or busy note on its way to the connector.
func (e *e2eBot) note(path string, body []byte, at time.Time) {
	m := convInPath.FindStringSubmatch(path)
	if m == nil {
		return
	}
	conv, _ := url.PathUnescape(m[1])
	var a struct {
		Text        string            `json:"text"`
		Attachments []json.RawMessage `json:"attachments"`
	}
	if json.Unmarshal(body, &a) != nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, had := e.cards[conv]; !had && len(a.Attachments) > 0 {
		e.cards[conv] = at
	}
	if strings.HasPrefix(a.Text, "Busy: ") {
		e.busy[conv] = a.Text
	}
}

// cardAt returns when conv got its card.
func (e *e2eBot) cardAt(conv string) (time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, ok := e.cards[conv]
	return t, ok
}

// ask posts a signed question from the user aad in conversation conv and
// returns the time the acknowledgement took.
func (e *e2eBot) ask(b *testing.B, client *http.Client, conv, aad, text string) time.Duration {
	body, _ := json.Marshal(map[string]any{
		"type": "message", "id": "m-" + conv, "channelId": "msteams", "serviceUrl": e.serviceURL,
		"from":         map[string]any{"id": "29:" + aad, "aadObjectId": aad},
		"conversation": map[string]any{"conversationType": "personal", "id": conv, "tenantId": fakegraph.DemoTenantID},
		"recipient":    map[string]any{"id": "28:" + serveAppID, "name": "provbot"},
		"text":         text,
		"channelData":  map[string]any{"tenant": map[string]any{"id": fakegraph.DemoTenantID}},
	})
	req, _ := http.NewRequest(http.MethodPost, e.base+"/api/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", e.bearer)
	began := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(began)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("activity answered %d", resp.StatusCode)
	}
	return took
}

// waitCard waits up to limit for conv's card and returns the time from
// since to it (limit when it never came).
func (e *e2eBot) waitCard(conv string, since time.Time, limit time.Duration) (time.Duration, bool) {
	for deadline := since.Add(limit); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if at, ok := e.cardAt(conv); ok {
			return at.Sub(since), true
		}
	}
	return limit, false
}

// naiveClient is the naive baseline: for each question one request to
// resolve the user by UPN and then one for their provisioning logs, one
// user after the other, waiting out every 429's Retry-After.
type naiveClient struct {
	base string
	hc   *http.Client
}

// answer looks one user up the naive way.
func (n naiveClient) answer(upn, appID string) error {
	var user struct {
		ID string `json:"id"`
	}
	if err := n.get("/users/"+url.PathEscape(upn)+"?$select=id,displayName,userPrincipalName", &user); err != nil {
		return err
	}
	filter := "sourceIdentity/id eq '" + user.ID + "' and servicePrincipal/id eq '" + appID + "'"
	var logs struct {
		Value []json.RawMessage `json:"value"`
	}
	return n.get("/auditLogs/provisioning?$top=500&$filter="+url.QueryEscape(filter), &logs)
}

func (n naiveClient) get(path string, v any) error {
	for {
		resp, err := n.hc.Get(n.base + path)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			time.Sleep(time.Duration(max(secs, 1)) * time.Second)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return json.Unmarshal(body, v)
	}
}

// peakRSS is the process pid's peak resident memory (VmHWM), in bytes.
func peakRSS(pid int) uint64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// percentile returns the p-th percentile (0–100) of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// BenchmarkServeEndToEnd starts `provbot serve` in a process of its own
// (this test binary started again: TestServeProcess) against a fake Graph answering every request after -e2e.latency (L) and enforcing
// Microsoft's reporting throttle (5 requests per 10 s), a token issuer, a
// token endpoint and a Bot Connector, sends signed Teams activities, and
// reports, each beside a naive baseline measured in the same run:
//
//   - round trips: time to card over L for an end user asking about their
//     own account in one app, and the help desk asking by UPN about one
//     app and all apps (every asker and subject new, so nothing is
//     cached but the app catalogue); naive: resolve, then the logs;
//   - a steady 6 new users a second for -e2e.steady: users answered per
//     10 s and the p50/p95 time to card; naive: the same arrivals served
//     one after the other;
//   - the acknowledgement of 500 activities from 50 senders (each sends
//     its next one when the last is acknowledged), p50/p99; naive: the
//     same senders against a bare net/http handler that reads the body
//     and answers 200 (the floor on this machine);
//   - serve's CPU time per lookup and its peak resident memory (the
//     fakes and the load run in the benchmark's process).
//
// It runs only with -bench (a run takes about two minutes):
//
//	go test ./cmd/provbot -run '^$' -bench ServeEndToEnd -benchtime 1x -timeout 30m
func BenchmarkServeEndToEnd(b *testing.B) {
	L := *e2eLatency
	et := newE2ETenant(b)
	e := startE2E(b, et)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	naive := naiveClient{base: e.graph.URL() + "/v1.0", hc: client}
	next := e2eHelpDesk // the next generated user nobody asked about yet
	user := func() int { next++; return next - 1 }
	pace := func() { time.Sleep(graph.DefaultReportWindow / time.Duration(graph.DefaultReportBudget)) }

	b.ResetTimer()
	for range b.N {
		// Round trips, one question at a time, paced so that the
		// reporting budget never makes one wait.
		type rtCase struct {
			name string
			ask  func(i, conv string) (asker, text string)
		}
		helpDesk := 0
		cases := []rtCase{
			{"self-one-app", func(i, _ string) (string, string) { return i, "why can't I get into ServiceNow?" }},
			{"helpdesk-upn-one-app", func(i, _ string) (string, string) {
				helpDesk++
				return et.ids[helpDesk%e2eHelpDesk], "check " + e2eUPN(slices.Index(et.ids, i)) + " in ServiceNow"
			}},
			{"helpdesk-upn-all-apps", func(i, _ string) (string, string) {
				helpDesk++
				return et.ids[helpDesk%e2eHelpDesk], "check " + e2eUPN(slices.Index(et.ids, i))
			}},
		}
		rtRuns := 5
		if *e2eAckOnly {
			rtRuns, cases = 0, nil
		}
		for _, c := range cases {
			var sum float64
			for k := range rtRuns {
				subject := et.ids[user()]
				asker, text := c.ask(subject, "")
				conv := fmt.Sprintf("a:rt-%s-%d", c.name, k)
				began := time.Now()
				e.ask(b, client, conv, asker, text)
				d, ok := e.waitCard(conv, began, 20*time.Second)
				if !ok {
					b.Fatalf("%s: no card", c.name)
				}
				sum += float64(d) / float64(L)
				pace()
			}
			b.ReportMetric(sum/float64(rtRuns), "L-"+c.name)
		}
		var naiveRT float64
		for range rtRuns {
			i := user()
			began := time.Now()
			if err := naive.answer(e2eUPN(i), et.appID); err != nil {
				b.Fatal(err)
			}
			naiveRT += float64(time.Since(began)) / float64(L)
			pace()
		}
		if !*e2eAckOnly {
			b.ReportMetric(naiveRT/float64(rtRuns), "L-naive")
			time.Sleep(graph.DefaultReportWindow) // a fresh window
		}

		if !*e2eAckOnly {
			// A steady 6 new users a second.
			steady := func(serve func(i int, conv string, arrived time.Time) (time.Duration, bool)) (perWindow float64, p50, p95 time.Duration, unanswered int) {
				n := int(e2eSteady.Seconds()) * 6
				lat := make([]time.Duration, n)
				ok := make([]bool, n)
				var wg sync.WaitGroup
				start := time.Now()
				for k := range n {
					arrive := start.Add(time.Duration(k) * time.Second / 6)
					time.Sleep(time.Until(arrive))
					i := user()
					wg.Go(func() { lat[k], ok[k] = serve(i, fmt.Sprintf("a:steady-%d", i), arrive) })
				}
				wg.Wait()
				last := time.Duration(0)
				for k := range n {
					if !ok[k] {
						unanswered++
					}
					last = max(last, start.Add(time.Duration(k)*time.Second/6).Add(lat[k]).Sub(start))
				}
				slices.Sort(lat)
				answered := n - unanswered
				return float64(answered) * float64(graph.DefaultReportWindow) / float64(max(last, graph.DefaultReportWindow)), percentile(lat, 50), percentile(lat, 95), unanswered
			}
			cpu0 := procCPU(e.proc.Pid)
			lookups := 0
			perWindow, p50, p95, missed := steady(func(i int, conv string, arrived time.Time) (time.Duration, bool) {
				e.ask(b, client, conv, et.ids[i], "why can't I get into ServiceNow?")
				return e.waitCard(conv, arrived, *e2eSteady+30*time.Second)
			})
			lookups += int(e2eSteady.Seconds()) * 6
			cpu := procCPU(e.proc.Pid) - cpu0
			b.ReportMetric(perWindow, "users/10s")
			b.ReportMetric(p50.Seconds(), "p50-s")
			b.ReportMetric(p95.Seconds(), "p95-s")
			b.ReportMetric(float64(missed), "unanswered")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(lookups), "cpu-ms/lookup")
			time.Sleep(graph.DefaultReportWindow)

			// The naive baseline: the same arrivals, one at a time.
			var line sync.Mutex
			cut := *e2eSteady + 30*time.Second
			nPerWindow, nP50, nP95, nMissed := steady(func(i int, _ string, arrived time.Time) (time.Duration, bool) {
				line.Lock()
				defer line.Unlock()
				if time.Since(arrived) > cut {
					return cut, false
				}
				if err := naive.answer(e2eUPN(i), et.appID); err != nil {
					b.Fatal(err)
				}
				return time.Since(arrived), true
			})
			b.ReportMetric(nPerWindow, "naive-users/10s")
			b.ReportMetric(nP50.Seconds(), "naive-p50-s")
			b.ReportMetric(nP95.Seconds(), "naive-p95-s")
			b.ReportMetric(float64(nMissed), "naive-unanswered")
			time.Sleep(graph.DefaultReportWindow)

		}

		// 500 activities from 50 senders, against serve and a bare handler.
		acks := func(base string, bearer bool) (p50, p99 time.Duration) {
			var mu sync.Mutex
			var all []time.Duration
			var wg sync.WaitGroup
			for s := range 50 {
				sender := et.ids[user()]
				wg.Go(func() {
					for k := range 10 {
						conv := fmt.Sprintf("a:ack-%d-%s", k, sender)
						var d time.Duration
						if bearer {
							d = e.ask(b, client, conv, sender, "why can't I get into ServiceNow?")
						} else {
							began := time.Now()
							resp, err := client.Post(base, "application/json", strings.NewReader(`{"type":"message","text":"`+conv+`"}`))
							if err != nil {
								b.Error(err)
								return
							}
							_, _ = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							d = time.Since(began)
						}
						mu.Lock()
						all = append(all, d)
						mu.Unlock()
					}
					_ = s
				})
			}
			wg.Wait()
			slices.Sort(all)
			return percentile(all, 50), percentile(all, 99)
		}
		bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.WriteHeader(http.StatusOK)
		}))
		bP50, bP99 := acks(bare.URL, false)
		bare.Close()
		aP50, aP99 := acks("", true)
		b.ReportMetric(float64(aP50.Microseconds())/1000, "ack-p50-ms")
		b.ReportMetric(float64(aP99.Microseconds())/1000, "ack-p99-ms")
		b.ReportMetric(float64(bP50.Microseconds())/1000, "bare-ack-p50-ms")
		b.ReportMetric(float64(bP99.Microseconds())/1000, "bare-ack-p99-ms")
	}
	b.StopTimer()
	b.ReportMetric(float64(peakRSS(e.proc.Pid))/(1<<20), "serve-peak-rss-MiB")
	b.ReportMetric(float64(peakRSS(os.Getpid()))/(1<<20), "fakes-and-load-peak-rss-MiB")
}
