package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/logtest"
	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/store/sqlite"
)

// actionBot is the demo's wiring with its state store, as `provbot demo`
// runs it, for the approved fixes: questions go through castBot.ask,
// button clicks through click (an Action.Execute invoke).
type actionBot struct {
	*castBot
	store store.Store
	graph *fakegraph.Server
}

func newActionBot(t *testing.T, mutate ...func(*fakegraph.Tenant)) *actionBot {
	t.Helper()
	return newActionBotWithAdmins(t, demoAdminGroups(), mutate...)
}

// newActionBotWithAdmins is newActionBot with admins as the admin groups.
func newActionBotWithAdmins(t *testing.T, admins []string, mutate ...func(*fakegraph.Tenant)) *actionBot {
	t.Helper()
	now := time.Now()
	tenant, err := fakegraph.DemoTenant(now)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mutate {
		m(tenant)
	}
	clock := func() time.Time { return now }
	gsrv := fakegraph.NewTestServer(t, tenant, fakegraph.WithNow(clock), fakegraph.WithThrottle(0, 0))
	logs := &logtest.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	gc, err := graph.NewUnauthenticated(gsrv.URL()+"/v1.0", graph.WithLogger(logger), graph.WithNow(clock),
		graph.WithHelpDeskGroups(fakegraph.DemoHelpDeskGroupID), graph.WithAdminGroups(admins...), graph.WithReportBudget(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStore(t.Context(), storeSettings{Kind: "sqlite", Path: sqlite.Memory}, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := buildServer(serverParts{listener: l, graph: gc, store: st, metrics: newMetrics(), logger: logger, now: clock,
		helpDeskContact: "the Contoso help desk", tenantID: fakegraph.DemoTenantID})
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.http.Serve(l) }()
	t.Cleanup(func() { _ = srv.http.Close() })
	cb := &castBot{t: t, url: "http://" + l.Addr().String() + "/api/messages", connector: bftest.NewConnector(t), logs: logs}
	return &actionBot{castBot: cb, store: st, graph: gsrv}
}

// click sends an Action.Execute invoke from the user with data and
// returns the card that replaces the clicked one.
func (b *actionBot) click(from string, data map[string]any) string {
	b.t.Helper()
	conv := fmt.Sprintf("a:click-%d", b.seq.Add(1))
	verb, _ := data["verb"].(string)
	body, _ := json.Marshal(map[string]any{
		"type": "invoke", "name": "adaptiveCard/action", "id": "i-" + conv, "channelId": "msteams", "serviceUrl": b.connector.URL,
		"from":         map[string]any{"id": "29:" + from, "name": "Clicker " + from[:4], "aadObjectId": from},
		"conversation": map[string]any{"conversationType": "personal", "id": conv, "tenantId": fakegraph.DemoTenantID},
		"recipient":    map[string]any{"id": "28:provbot", "name": "provbot"},
		"value":        map[string]any{"action": map[string]any{"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
		"channelData":  map[string]any{"tenant": map[string]any{"id": fakegraph.DemoTenantID}},
	})
	req, _ := http.NewRequest(http.MethodPost, b.url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		StatusCode int             `json:"statusCode"`
		Type       string          `json:"type"`
		Value      json.RawMessage `json:"value"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.StatusCode != http.StatusOK {
		b.t.Fatalf("invoke %s: HTTP %d, invoke status %d, %v", verb, resp.StatusCode, out.StatusCode, err)
	}
	return string(out.Value)
}

// buttonData finds the data of the card's Action.Execute with the verb;
// nil when the card has none.
func buttonData(cardJSON, verb string) map[string]any {
	var root any
	if err := json.Unmarshal([]byte(cardJSON), &root); err != nil {
		return nil
	}
	var found map[string]any
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["type"] == "Action.Execute" && x["verb"] == verb && found == nil {
				found, _ = x["data"].(map[string]any)
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(root)
	return found
}

func castIDs() map[string]string {
	ids := map[string]string{}
	for _, c := range fakegraph.DemoCast() {
		ids[c.DisplayName] = c.ObjectID
	}
	return ids
}

// TestDemoHenriettaProvisionsDiegoOnDemand is the demo story:
// Henrietta (help desk) asks about Diego in ServiceNow, is offered
// Provision now, confirms, and sees in place that his account was
// created; the audit keeps who, what, for whom and Graph's request-id.
// Neither Diego nor anyone replaying Henrietta's confirmation can do it.
func TestDemoHenriettaProvisionsDiegoOnDemand(t *testing.T) {
	b := newActionBot(t)
	ids := castIDs()
	henrietta, diego := ids["Henrietta Mueller"], ids["Diego Siciliani"]

	// Diego himself is an end user: no actions on his card.
	own := b.ask(diego, "I just got ServiceNow, when can I use it?")
	if buttonData(own.card, bot.VerbProvision) != nil {
		t.Fatal("an end user's card offers provisioning on demand")
	}
	ans := b.ask(henrietta, "check diego.siciliani@contoso.com in ServiceNow")
	if len(ans.verdicts) != 1 || ans.verdicts[0] != "ServiceNow=pending-next-cycle" {
		t.Fatalf("verdicts %v", ans.verdicts)
	}
	offer := buttonData(ans.card, bot.VerbProvision)
	if offer == nil {
		t.Fatalf("no Provision now on Henrietta's card: %s", ans.card)
	}
	if offer["user"] != diego {
		t.Fatalf("offer data %v", offer)
	}
	// Diego clicking the help desk's button (he can send any data) is refused.
	if got := b.click(diego, offer); !strings.Contains(got, "Only the help desk can do this") {
		t.Errorf("Diego's click: %s", got)
	}
	confirm := b.click(henrietta, offer)
	if !strings.Contains(confirm, "Provision Diego Siciliani") || !strings.Contains(confirm, "provisions no one that the cycle would skip") {
		t.Fatalf("confirmation: %s", confirm)
	}
	yes := buttonData(confirm, bot.VerbProvisionConfirm)
	if yes == nil || yes["token"] == nil || yes["user"] != nil || yes["app"] != nil {
		t.Fatalf("the confirm button must carry only a token: %v", yes)
	}
	// Another help-desk member cannot answer Henrietta's confirmation.
	other := "0f0f0f0f-0000-4000-8000-00000000beef"
	if got := b.click(other, yes); !strings.Contains(got, "isn't yours") && !strings.Contains(got, "Only the help desk") {
		t.Errorf("someone else's click: %s", got)
	}
	if n := len(requestsTo(b.graph, "/provisionOnDemand")); n != 0 {
		t.Fatalf("%d on-demand requests before Henrietta confirmed", n)
	}
	result := b.click(henrietta, yes)
	for _, want := range []string{"Provisioned on demand", "was created in ServiceNow", "request-id"} {
		if !strings.Contains(result, want) {
			t.Errorf("result lacks %q: %s", want, result)
		}
	}
	// The card in place is the new diagnosis: provisioned.
	if !strings.Contains(result, "✓ OK") {
		t.Errorf("the diagnosis in place is not provisioned: %s", result)
	}
	// A second click of the same confirmation does not write again.
	again := b.click(henrietta, yes)
	if !strings.Contains(again, "Already done") {
		t.Errorf("second click: %s", again)
	}
	posts := requestsTo(b.graph, "/provisionOnDemand")
	if len(posts) != 1 {
		t.Fatalf("%d on-demand requests, want exactly 1", len(posts))
	}
	recs, err := b.store.AuditRecords(t.Context(), time.Time{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	var ok, refused int
	for _, r := range recs {
		switch {
		case r.Action == "provision-on-demand" && r.Outcome == "ok":
			ok++
			if r.Actor != henrietta || r.Subject != diego || r.App == "" || r.RequestID != posts[0].RequestID {
				t.Errorf("audit record %+v; want Henrietta for Diego with request-id %s", r, posts[0].RequestID)
			}
		case r.Outcome == "refused":
			refused++
		}
	}
	if ok != 1 || refused < 2 {
		t.Errorf("audit: %d ok, %d refused; want 1 and at least 2: %+v", ok, refused, recs)
	}
	// Asking again later: provisioned, and no offer any more.
	after := b.ask(henrietta, "check diego.siciliani@contoso.com in ServiceNow")
	if len(after.verdicts) != 1 || after.verdicts[0] != "ServiceNow=provisioned" || buttonData(after.card, bot.VerbProvision) != nil {
		t.Errorf("after: %v, offer %v", after.verdicts, buttonData(after.card, bot.VerbProvision))
	}
}

// TestDemoAdminRestartsQuarantinedJob: restarting asks twice (is the
// cause fixed; what a restart does), then restarts with the admin
// center's reset scope and shows the job no longer quarantined.
func TestDemoAdminRestartsQuarantinedJob(t *testing.T) {
	b := newActionBot(t)
	ids := castIDs()
	henrietta, lynne := ids["Henrietta Mueller"], ids["Lynne Robbins"]
	ans := b.ask(henrietta, "check lynne.robbins@contoso.com in Salesforce")
	offer := buttonData(ans.card, bot.VerbRestart)
	if offer == nil {
		t.Fatalf("no restart offered to an admin for a quarantined job (%v): %s", ans.verdicts, ans.card)
	}
	if got := b.click(lynne, offer); !strings.Contains(got, "Only admins can restart provisioning") {
		t.Errorf("an end user's click: %s", got)
	}
	first := b.click(henrietta, offer)
	if !strings.Contains(first, "Has it been fixed") || !strings.Contains(first, "SalesforceInvalidCredentials") && !strings.Contains(first, "credentials are invalid") {
		t.Fatalf("first confirmation: %s", first)
	}
	second := b.click(henrietta, buttonData(first, bot.VerbRestartConfirm))
	if !strings.Contains(second, "new initial cycle") || !strings.Contains(second, "Restart now") {
		t.Fatalf("second confirmation: %s", second)
	}
	if n := len(requestsTo(b.graph, "/restart")); n != 0 {
		t.Fatalf("%d restarts before the second confirmation", n)
	}
	// The first confirmation's token was used up by the second step.
	if got := b.click(henrietta, buttonData(first, bot.VerbRestartConfirm)); !strings.Contains(got, "expired") {
		t.Errorf("replaying the first step: %s", got)
	}
	done := b.click(henrietta, buttonData(second, bot.VerbRestartConfirm))
	if !strings.Contains(done, "Restart requested") {
		t.Fatalf("result: %s", done)
	}
	posts := requestsTo(b.graph, "/restart")
	if len(posts) != 1 || !strings.Contains(string(posts[0].Body), "QuarantineState") {
		t.Fatalf("restart requests: %+v", posts)
	}
	recs, _ := b.store.AuditRecords(t.Context(), time.Time{}, 100)
	found := false
	for _, r := range recs {
		found = found || r.Action == "restart-job" && r.Outcome == "ok" && r.Actor == henrietta && r.RequestID == posts[0].RequestID
	}
	if !found {
		t.Errorf("no audit record of the restart: %+v", recs)
	}
}

// TestNoActionsWithoutWritePermission: when Graph refuses a write with
// 403, provbot stops offering actions.
func TestNoActionsWithoutWritePermission(t *testing.T) {
	b := newActionBot(t, func(tn *fakegraph.Tenant) { tn.DeniedPermissions = []string{"Synchronization.ReadWrite.All"} })
	ids := castIDs()
	henrietta := ids["Henrietta Mueller"]
	ans := b.ask(henrietta, "check diego.siciliani@contoso.com in ServiceNow")
	offer := buttonData(ans.card, bot.VerbProvision)
	if offer == nil {
		t.Fatal("before any refusal an unauthenticated test client assumes the permission")
	}
	yes := buttonData(b.click(henrietta, offer), bot.VerbProvisionConfirm)
	got := b.click(henrietta, yes)
	if !strings.Contains(got, "Synchronization.ReadWrite.All") {
		t.Errorf("refused write: %s", got)
	}
	again := b.ask(henrietta, "check diego.siciliani@contoso.com in ServiceNow")
	if buttonData(again.card, bot.VerbProvision) != nil {
		t.Error("still offered after Graph refused a write")
	}
}

// requestsTo returns the fake Graph's requests whose path ends with suffix.
func requestsTo(srv *fakegraph.Server, suffix string) []fakegraph.Request {
	var out []fakegraph.Request
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// TestConfirmationsAreBoundToTheirAsker: a confirmation answers only for
// the person it was made for, whatever else a click sends; forged or
// unknown tokens are refused; what is written comes from the server's
// copy, never from the card.
func TestConfirmationsAreBoundToTheirAsker(t *testing.T) {
	ids := castIDs()
	henrietta, diego, megan, christie := ids["Henrietta Mueller"], ids["Diego Siciliani"], ids["Megan Bowen"], ids["Christie Cline"]
	b := newActionBot(t, func(tn *fakegraph.Tenant) {
		// Megan joins the help desk (and so the demo's admins) for this test.
		tn.GroupMembers[fakegraph.DemoHelpDeskGroupID] = append(tn.GroupMembers[fakegraph.DemoHelpDeskGroupID], megan)
	})
	ans := b.ask(henrietta, "check diego.siciliani@contoso.com in ServiceNow")
	yes := buttonData(b.click(henrietta, buttonData(ans.card, bot.VerbProvision)), bot.VerbProvisionConfirm)
	if yes == nil {
		t.Fatal("no confirmation")
	}
	if got := b.click(megan, yes); !strings.Contains(got, "This confirmation isn't yours") {
		t.Errorf("another help-desk member's click: %s", got)
	}
	for _, token := range []string{"../../etc", "", strings.Repeat("a", 80), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		forged := map[string]any{"provbot": "provbot", "verb": bot.VerbProvisionConfirm, "token": token}
		if got := b.click(henrietta, forged); !strings.Contains(got, "This confirmation has expired") {
			t.Errorf("token %q: %s", token, got)
		}
	}
	if n := len(requestsTo(b.graph, "/provisionOnDemand")); n != 0 {
		t.Fatalf("%d writes from refused clicks", n)
	}
	// Card data naming someone else changes nothing: the server's copy says Diego.
	tampered := map[string]any{"provbot": "provbot", "verb": bot.VerbProvisionConfirm, "token": yes["token"], "user": christie}
	if got := b.click(henrietta, tampered); !strings.Contains(got, "Provisioned on demand") {
		t.Fatalf("Henrietta's own confirmation: %s", got)
	}
	posts := requestsTo(b.graph, "/provisionOnDemand")
	if len(posts) != 1 || !strings.Contains(string(posts[0].Body), diego) || strings.Contains(string(posts[0].Body), christie) {
		t.Errorf("writes: %d, body %s", len(posts), posts[0].Body)
	}
	recs, _ := b.store.AuditRecords(t.Context(), time.Time{}, 100)
	refusedMegan := false
	for _, r := range recs {
		refusedMegan = refusedMegan || r.Actor == megan && r.Outcome == "refused" && strings.Contains(r.Detail, "someone else")
	}
	if !refusedMegan {
		t.Errorf("Megan's refused click is not in the audit: %+v", recs)
	}
}

// TestActionsNeedAStore: without a state store (nowhere to keep
// confirmations or the audit) nothing is offered and a click is refused.
func TestActionsNeedAStore(t *testing.T) {
	b := &actionBot{castBot: newCastBot(t)}
	ids := castIDs()
	henrietta, diego := ids["Henrietta Mueller"], ids["Diego Siciliani"]
	ans := b.ask(henrietta, "check diego.siciliani@contoso.com in ServiceNow")
	if buttonData(ans.card, bot.VerbProvision) != nil {
		t.Error("offered without a store")
	}
	forged := map[string]any{"provbot": "provbot", "verb": bot.VerbProvision, "user": diego, "app": "79867c67-c485-5f9f-8ac7-e327ede941e0"}
	if got := b.click(henrietta, forged); !strings.Contains(got, "not set up to take actions") {
		t.Errorf("click: %s", got)
	}
}

// TestProvisionOnDemandLimitExplained: when Microsoft's limit of 5
// on-demand provisionings per 10 seconds is used up, the card says so in
// plain words with when to try again, offers Try again, and the audit
// keeps the failed attempt with Graph's request-id.
func TestProvisionOnDemandLimitExplained(t *testing.T) {
	b := newActionBot(t)
	ids := castIDs()
	henrietta, christie := ids["Henrietta Mueller"], ids["Christie Cline"]
	ans := b.ask(henrietta, "check diego.siciliani@contoso.com in ServiceNow")
	yes := buttonData(b.click(henrietta, buttonData(ans.card, bot.VerbProvision)), bot.VerbProvisionConfirm)
	// Someone else (the admin center, another tool) uses up the tenant's limit.
	other, err := graph.NewUnauthenticated(b.graph.URL()+"/v1.0", graph.WithReportBudget(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := other.ProvisionOnDemand(t.Context(), "79867c67-c485-5f9f-8ac7-e327ede941e0",
			"ServiceNowOutDelta.82e407ec31bc56ceaed5375dddebdfd3.0250aab7-45b1-582b-88fb-da510ada5557", christie); err != nil {
			t.Fatal(err)
		}
	}
	got := b.click(henrietta, yes)
	for _, want := range []string{"I couldn't provision Diego Siciliani", "5 every 10 seconds", "Try again in"} {
		if !strings.Contains(got, want) {
			t.Errorf("card lacks %q: %s", want, got)
		}
	}
	if buttonData(got, bot.VerbProvisionConfirm) == nil {
		t.Error("no Try again")
	}
	recs, _ := b.store.AuditRecords(t.Context(), time.Time{}, 100)
	failed := false
	for _, r := range recs {
		failed = failed || r.Action == "provision-on-demand" && r.Outcome == "failed" && r.RequestID != "" && strings.Contains(r.Detail, "429")
	}
	if !failed {
		t.Errorf("no failed attempt with its request-id in the audit: %+v", recs)
	}
}

// TestRestartFromTheStatusCard: an admin asking for a quarantined app's
// status is offered the restart there too; Cancel goes back to the
// status.
func TestRestartFromTheStatusCard(t *testing.T) {
	b := newActionBot(t)
	henrietta := castIDs()["Henrietta Mueller"]
	ans := b.ask(henrietta, "status of Salesforce")
	offer := buttonData(ans.card, bot.VerbRestart)
	if offer == nil {
		t.Fatalf("no restart on the status card: %s", ans.card)
	}
	first := b.click(henrietta, offer)
	back := b.click(henrietta, buttonData(first, bot.VerbCancel))
	if !strings.Contains(back, "Salesforce") || !strings.Contains(back, "Not working") {
		t.Errorf("Cancel: %s", back)
	}
	if got := b.click(henrietta, buttonData(first, bot.VerbRestartConfirm)); !strings.Contains(got, "expired") {
		t.Errorf("a cancelled confirmation still answers: %s", got)
	}
	if n := len(requestsTo(b.graph, "/restart")); n != 0 {
		t.Errorf("%d restarts", n)
	}
	healthy := b.ask(henrietta, "status of ServiceNow")
	if buttonData(healthy.card, bot.VerbRestart) != nil {
		t.Error("restart offered for a job that is not quarantined")
	}
}

// TestCheckSaysWhichActionsAreAvailable: `provbot check --demo` lists the
// approved fixes.
func TestCheckSaysWhichActionsAreAvailable(t *testing.T) {
	_, out, _ := cli(t, "check", "--demo")
	for _, want := range []string{"Approved fixes", "Synchronization.ReadWrite.All", "Provision on demand (help desk): available", "Restart a quarantined job (admins): available"} {
		if !strings.Contains(out, want) {
			t.Errorf("check lacks %q:\n%s", want, out)
		}
	}
}

// TestAdminGroupsSetting reads PROVBOT_ADMIN_GROUPS like the help-desk
// groups: a list of group object ids.
func TestAdminGroupsSetting(t *testing.T) {
	env := validServeEnv()
	env["PROVBOT_ADMIN_GROUPS"] = "0b7e1f0a-1111-4222-8333-444455556666, 1c8f2a1b-2222-4333-8444-555566667777"
	c, err := loadServeConfig(envOf(env), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.AdminGroups) != 2 || c.AdminGroups[1] != "1c8f2a1b-2222-4333-8444-555566667777" {
		t.Errorf("admin groups %v", c.AdminGroups)
	}
}

// TestOneOnDemandAtATimePerJob: while another replica (or click)
// provisions someone in ServiceNow on demand, provbot does not send a
// second one: it says the app is busy, and Try again works afterwards.
func TestOneOnDemandAtATimePerJob(t *testing.T) {
	b := newActionBot(t)
	henrietta := castIDs()["Henrietta Mueller"]
	ans := b.ask(henrietta, "check diego.siciliani@contoso.com in ServiceNow")
	yes := buttonData(b.click(henrietta, buttonData(ans.card, bot.VerbProvision)), bot.VerbProvisionConfirm)
	const job = "ServiceNowOutDelta.82e407ec31bc56ceaed5375dddebdfd3.0250aab7-45b1-582b-88fb-da510ada5557"
	held, err := b.store.AcquireLease(t.Context(), "provbot:ondemand:79867c67-c485-5f9f-8ac7-e327ede941e0/"+job, "another-click", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got := b.click(henrietta, yes)
	if !strings.Contains(got, "one person on demand at a time") || buttonData(got, bot.VerbProvisionConfirm) == nil {
		t.Errorf("busy job: %s", got)
	}
	if n := len(requestsTo(b.graph, "/provisionOnDemand")); n != 0 {
		t.Fatalf("%d requests sent while the job was busy", n)
	}
	if err := b.store.ReleaseLease(t.Context(), held); err != nil {
		t.Fatal(err)
	}
	if got := b.click(henrietta, yes); !strings.Contains(got, "Provisioned on demand") {
		t.Errorf("Try again after the other one finished: %s", got)
	}
}

// TestProvisionThroughActionSubmit: clients without Universal Actions
// send the buttons' Action.Submit fallback as a message; it goes through
// the same checks and answers with a new message.
func TestProvisionThroughActionSubmit(t *testing.T) {
	b := newActionBot(t)
	henrietta := castIDs()["Henrietta Mueller"]
	ans := b.ask(henrietta, "check diego.siciliani@contoso.com in ServiceNow")
	confirm := b.submit(henrietta, buttonData(ans.card, bot.VerbProvision))
	if !strings.Contains(confirm, "in ServiceNow now?") {
		t.Fatalf("confirmation: %s", confirm)
	}
	if got := b.submit(henrietta, buttonData(confirm, bot.VerbProvisionConfirm)); !strings.Contains(got, "Provisioned on demand") {
		t.Errorf("result: %s", got)
	}
}

// submit posts a message whose value is a button's data (Action.Submit)
// and returns the card of the reply.
func (b *actionBot) submit(from string, data map[string]any) string {
	b.t.Helper()
	conv := b.post(from, "submit", "value", data)
	return b.replyCard(conv, "the submit in "+conv)
}

// TestRestartOnlyWhileNeeded: a job that left quarantine while the admin
// read the questions is not restarted; a restart done is not repeated by
// a second click.
func TestRestartOnlyWhileNeeded(t *testing.T) {
	b := newActionBot(t)
	henrietta := castIDs()["Henrietta Mueller"]
	ask := func() map[string]any {
		first := b.click(henrietta, buttonData(b.ask(henrietta, "status of Salesforce").card, bot.VerbRestart))
		return buttonData(b.click(henrietta, buttonData(first, bot.VerbRestartConfirm)), bot.VerbRestartConfirm)
	}
	final := ask()
	done := b.click(henrietta, final)
	if !strings.Contains(done, "Restart requested") {
		t.Fatalf("restart: %s", done)
	}
	if again := b.click(henrietta, final); !strings.Contains(again, "Restart already requested") {
		t.Errorf("second click: %s", again)
	}
	if n := len(requestsTo(b.graph, "/restart")); n != 1 {
		t.Errorf("%d restarts, want 1", n)
	}

	// Quarantined again; the admin answers both questions, and meanwhile
	// someone restarts it in the admin center.
	c := newActionBot(t)
	first := c.click(henrietta, buttonData(c.ask(henrietta, "status of Salesforce").card, bot.VerbRestart))
	last := buttonData(c.click(henrietta, buttonData(first, bot.VerbRestartConfirm)), bot.VerbRestartConfirm)
	c.graph.Update(func(tn *fakegraph.Tenant) {
		for _, jobs := range tn.SynchronizationJobs {
			for _, j := range jobs {
				if st, _ := j["status"].(map[string]any); st != nil && st["code"] == "Quarantine" {
					st["code"], st["quarantine"] = "Active", nil
				}
			}
		}
	})
	got := c.click(henrietta, last)
	if !strings.Contains(got, "Nothing to restart") && !strings.Contains(got, "not quarantined") {
		t.Errorf("a recovered job: %s", got)
	}
	if n := len(requestsTo(c.graph, "/restart")); n != 0 {
		t.Errorf("%d restarts of a recovered job", n)
	}
}

// TestMutingAlertsIsForAdmins: muting silences an app's alerts for
// everyone, so only an admin may do it; a help-desk member outside the
// admin groups is told so, and nothing is muted.
func TestMutingAlertsIsForAdmins(t *testing.T) {
	henrietta := castIDs()["Henrietta Mueller"]
	for _, tc := range []struct {
		name   string
		admins []string
		want   string
		muted  bool
	}{
		{"an admin", demoAdminGroups(), "Salesforce alerts are muted", true},
		{"the help desk outside the admin groups", []string{"0b7e1f0a-1111-4222-8333-444455556666"}, "Muting is for admins", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newActionBotWithAdmins(t, tc.admins)
			ans := b.ask(henrietta, "mute Salesforce for 1 day")
			if !strings.Contains(ans.card, tc.want) {
				t.Errorf("card lacks %q: %s", tc.want, ans.card)
			}
			mutes, err := b.store.Mutes(t.Context(), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if got := len(mutes) > 0; got != tc.muted {
				t.Errorf("muted %v, want %v (%+v)", got, tc.muted, mutes)
			}
		})
	}
}
