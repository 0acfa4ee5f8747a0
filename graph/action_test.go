package graph_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// The demo tenant's ids used below.
const (
	demoServiceNow    = "79867c67-c485-5f9f-8ac7-e327ede941e0"
	demoServiceNowJob = "ServiceNowOutDelta.82e407ec31bc56ceaed5375dddebdfd3.0250aab7-45b1-582b-88fb-da510ada5557"
	demoSalesforce    = "9b3b5cca-aa65-5025-b8de-f2ac384c6934"
	demoSalesforceJob = "SalesforceOutDelta.82e407ec31bc56ceaed5375dddebdfd3.aef16669-920f-540b-99e6-1e2714f3f273"
	demoDiego         = "b820cfc0-b8f4-560f-9847-82ab1267f1ff"
	demoChristie      = "e1047c35-590a-5875-8764-c5133cfa4477"
)

func demoEnv(t *testing.T, srvOpts ...fakegraph.Option) *env {
	t.Helper()
	tenant, err := fakegraph.DemoTenant(testNow())
	if err != nil {
		t.Fatal(err)
	}
	return newEnv(t, tenant, srvOpts)
}

// TestProvisionOnDemandDemo provisions Diego (assigned after the last
// cycle) on demand: the request names the job's user rule and Diego, the
// answer is a success whose steps read as a log entry about Diego, the
// entry then appears in his logs, and a second try is skipped as already
// in sync.
func TestProvisionOnDemandDemo(t *testing.T) {
	e := demoEnv(t)
	res, err := e.client.ProvisionOnDemand(t.Context(), demoServiceNow, demoServiceNowJob, demoDiego)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Succeeded() || res.Entry.Action != diagnose.ActionCreate || res.Entry.Status != diagnose.ResultSuccess {
		t.Fatalf("result %q, entry %s/%s; want a successful create", res.Result, res.Entry.Action, res.Entry.Status)
	}
	if res.Entry.Source.ID != demoDiego || res.Entry.JobID != demoServiceNowJob || res.Entry.ServicePrincipal.ID != demoServiceNow {
		t.Errorf("entry is about %q in %q/%q", res.Entry.Source.ID, res.Entry.ServicePrincipal.ID, res.Entry.JobID)
	}
	if s, ok := res.Entry.Step(diagnose.StepExport); !ok || s.Status != diagnose.ResultSuccess || s.Name != "EntryExportAdd" {
		t.Errorf("export step %+v", s)
	}
	if res.RequestID == "" || !strings.HasPrefix(res.Entry.ID, diagnose.OnDemandEntryPrefix) {
		t.Errorf("request id %q, entry id %q", res.RequestID, res.Entry.ID)
	}
	posts := requests(e.srv, "/provisionOnDemand")
	if len(posts) != 1 {
		t.Fatalf("%d provisionOnDemand requests", len(posts))
	}
	var body struct {
		Parameters []struct {
			RuleID   string `json:"ruleId"`
			Subjects []struct {
				ObjectID, ObjectTypeName string
			} `json:"subjects"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(posts[0].Body, &body); err != nil {
		t.Fatalf("body %s: %v", posts[0].Body, err)
	}
	if len(body.Parameters) != 1 || len(body.Parameters[0].Subjects) != 1 || body.Parameters[0].RuleID == "" ||
		body.Parameters[0].Subjects[0].ObjectID != demoDiego || body.Parameters[0].Subjects[0].ObjectTypeName != "User" {
		t.Errorf("body %s", posts[0].Body)
	}
	if posts[0].RequestID != res.RequestID {
		t.Errorf("request id %q, the fake's %q", res.RequestID, posts[0].RequestID)
	}
	in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: demoDiego, AppID: demoServiceNow, Refresh: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Entries) == 0 || in.Entries[0].ChangeID != res.Entry.ChangeID && in.Entries[len(in.Entries)-1].ChangeID != res.Entry.ChangeID {
		t.Errorf("Diego's entries after on-demand: %d, none with change %s", len(in.Entries), res.Entry.ChangeID)
	}
	again, err := e.client.ProvisionOnDemand(t.Context(), demoServiceNow, demoServiceNowJob, demoDiego)
	if err != nil {
		t.Fatal(err)
	}
	if again.Result != "Skipped" || again.ErrorCode != "RedundantExport" {
		t.Errorf("second try: %q %q, want Skipped RedundantExport", again.Result, again.ErrorCode)
	}
	if n := len(requests(e.srv, "/schema")); n != 1 {
		t.Errorf("schema read %d times; the rule id is kept", n)
	}
}

// TestProvisionOnDemandNotAssigned: the service provisions no one the
// cycle would skip.
func TestProvisionOnDemandNotAssigned(t *testing.T) {
	e := demoEnv(t)
	res, err := e.client.ProvisionOnDemand(t.Context(), demoServiceNow, demoServiceNowJob, demoChristie)
	if err != nil {
		t.Fatal(err)
	}
	if res.Result != "Skipped" || res.ErrorCode != "NotEffectivelyEntitled" || res.Entry.Status != diagnose.ResultSkipped {
		t.Errorf("got %q %q %s", res.Result, res.ErrorCode, res.Entry.Status)
	}
}

// TestProvisionOnDemandLimits: the sixth call in ten seconds is refused
// with 429 and not retried; Retry-After comes through.
func TestProvisionOnDemandLimits(t *testing.T) {
	e := demoEnv(t)
	var last error
	for range 6 {
		_, last = e.client.ProvisionOnDemand(t.Context(), demoServiceNow, demoServiceNowJob, demoChristie)
	}
	var ge *graph.Error
	if !errors.As(last, &ge) || !errors.Is(last, diagnose.ErrThrottled) || ge.RetryAfter <= 0 || ge.RequestID == "" {
		t.Fatalf("sixth call: %v; want a throttled error with Retry-After and request-id", last)
	}
	if n := len(requests(e.srv, "/provisionOnDemand")); n != 6 {
		t.Errorf("%d requests; a 429 is not retried", n)
	}
}

// TestProvisionOnDemandOneAtATime: a second on-demand provisioning of the
// same job while one runs gets 409, read as ErrInvalid with status 409.
func TestProvisionOnDemandOneAtATime(t *testing.T) {
	e := demoEnv(t, fakegraph.WithOnDemandDelay(2*time.Second))
	// The job's rule id is read (and kept) first, so that the first
	// request below goes straight to provisionOnDemand.
	if _, err := e.client.ProvisionOnDemand(t.Context(), demoServiceNow, demoServiceNowJob, demoChristie); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := e.client.ProvisionOnDemand(t.Context(), demoServiceNow, demoServiceNowJob, demoDiego)
		done <- err
	}()
	time.Sleep(500 * time.Millisecond) // the first is being answered (2 s)
	_, err := e.client.ProvisionOnDemand(t.Context(), demoServiceNow, demoServiceNowJob, demoChristie)
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Status != http.StatusConflict {
		t.Errorf("second: %v; want 409", err)
	}
	if err := <-done; err != nil {
		t.Errorf("first: %v", err)
	}
}

// TestRestartJobDemo restarts the quarantined Salesforce job with the
// admin center's reset scope; the job is then active and no longer
// quarantined.
func TestRestartJobDemo(t *testing.T) {
	e := demoEnv(t)
	id, err := e.client.RestartJob(t.Context(), demoSalesforce, demoSalesforceJob)
	if err != nil {
		t.Fatal(err)
	}
	posts := requests(e.srv, "/restart")
	if len(posts) != 1 || id == "" || posts[0].RequestID != id {
		t.Fatalf("%d restart requests, request id %q", len(posts), id)
	}
	var body struct {
		Criteria struct {
			ResetScope string `json:"resetScope"`
		} `json:"criteria"`
	}
	if err := json.Unmarshal(posts[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"QuarantineState", "Watermark", "Escrows"} {
		if !strings.Contains(body.Criteria.ResetScope, want) {
			t.Errorf("resetScope %q lacks %s", body.Criteria.ResetScope, want)
		}
	}
	for _, never := range []string{"Full", "ForceDeletes", "ConnectorDataStore"} {
		if strings.Contains(body.Criteria.ResetScope, never) {
			t.Errorf("resetScope %q has %s", body.Criteria.ResetScope, never)
		}
	}
	jobs, err := e.client.Jobs(t.Context(), demoSalesforce)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || jobs[0].Status.Quarantine != nil || jobs[0].Status.Code != diagnose.StatusActive {
		t.Errorf("after restart: %+v", jobs[0].Status)
	}
}

// TestWriteAccessFromFirstRefusal: a 403 on a write turns write access
// off, naming the permission.
func TestWriteAccessFromFirstRefusal(t *testing.T) {
	tenant, err := fakegraph.DemoTenant(testNow())
	if err != nil {
		t.Fatal(err)
	}
	tenant.DeniedPermissions = []string{"Synchronization.ReadWrite.All"}
	e := newEnv(t, tenant, nil)
	acc, err := e.client.WriteAccess(t.Context())
	if err != nil || !acc.Granted {
		t.Fatalf("before any write: %+v %v; an unauthenticated test client assumes it", acc, err)
	}
	_, err = e.client.RestartJob(t.Context(), demoSalesforce, demoSalesforceJob)
	if !errors.Is(err, diagnose.ErrForbidden) {
		t.Fatalf("restart: %v, want forbidden", err)
	}
	acc, err = e.client.WriteAccess(t.Context())
	if err != nil || acc.Granted || !strings.Contains(acc.Reason, "Synchronization.ReadWrite.All") || !strings.Contains(acc.Reason, "403") {
		t.Errorf("after a 403: %+v %v", acc, err)
	}
	e.clock.Advance(16 * time.Minute)
	if acc, _ := e.client.WriteAccess(t.Context()); !acc.Granted {
		t.Errorf("16 minutes later the token is read again: %+v", acc)
	}
}

// TestWriteAccessFromToken reads the roles claim of an app-only token.
func TestWriteAccessFromToken(t *testing.T) {
	for _, tc := range []struct {
		name    string
		claims  string
		granted bool
		reason  string
	}{
		{"granted", `{"roles":["AuditLog.Read.All","Synchronization.ReadWrite.All"]}`, true, "roles include"},
		{"read only", `{"roles":["Synchronization.Read.All"]}`, false, "do not include"},
		{"owned by", `{"roles":["Application.ReadWrite.OwnedBy"]}`, false, "OwnedBy"},
		{"delegated", `{"scp":"User.Read Synchronization.ReadWrite.All"}`, true, "delegated"},
		{"not json", `roles`, false, "could not be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(tc.claims)) + ".sig"
			c, err := graph.New(staticCredential(tok))
			if err != nil {
				t.Fatal(err)
			}
			acc, err := c.WriteAccess(t.Context())
			if err != nil || acc.Granted != tc.granted || !strings.Contains(acc.Reason, tc.reason) {
				t.Errorf("%+v %v; want granted %v, reason with %q", acc, err, tc.granted, tc.reason)
			}
			if strings.Contains(acc.Reason, tok) {
				t.Error("the reason quotes the token")
			}
		})
	}
}

// TestOnDemandDocumentationExample reads Microsoft's own example answer
// (saved verbatim) through a server that answers with it.
func TestOnDemandDocumentationExample(t *testing.T) {
	body, err := os.ReadFile("testdata/ondemand/provisionondemand-v1-example1-redundantexport.json")
	if err != nil {
		t.Fatal(err)
	}
	const user = "52cf7b7a-52be-4a9b-9c69-e4d4a4a14f76"
	const rule = "ea807875-5618-4f0a-9125-0b46a05298ca"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", "d3b6b1c4-0000-4000-8000-000000000001")
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/schema") {
			w.Write([]byte(`{"id":"j","synchronizationRules":[{"id":"` + rule + `","sourceDirectoryName":"Azure Active Directory","targetDirectoryName":"customappsso","priority":1,"objectMappings":[{"enabled":true,"sourceObjectName":"User","targetObjectName":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}]}]}`))
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := graph.NewUnauthenticated(srv.URL + "/v1.0")
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.ProvisionOnDemand(t.Context(), "c8c95753-f628-48e1-9fab-76c2d4cf624c", "3f7565a3-fde6-4e4d-bda8-1bb70aba3612", user)
	if err != nil {
		t.Fatal(err)
	}
	e := res.Entry
	if res.Result != "Skipped" || res.ErrorCode != "RedundantExport" || e.Status != diagnose.ResultSkipped || e.Action != diagnose.ActionOther {
		t.Errorf("result %q %q, entry %s %s", res.Result, res.ErrorCode, e.Status, e.Action)
	}
	if len(e.Steps) != 4 || e.Steps[1].Type != diagnose.StepMatching || e.Steps[3].Status != diagnose.ResultSkipped {
		t.Errorf("steps %+v", e.Steps)
	}
	if v, _ := e.Steps[3].Detail("SkipReason"); v != "RedundantExport" {
		t.Errorf("skip reason %q", v)
	}
	if e.Source.ID != user || e.Target.ID != "52507a19-96ec-4e73-9250-3e65ffd2d926" || e.ChangeID != "g8ba3be8-1d7f-4a60-ae31-a8980da0a389" {
		t.Errorf("ids: source %q target %q change %q", e.Source.ID, e.Target.ID, e.ChangeID)
	}
	if !e.ActivityTime.Equal(time.Date(2020, 6, 26, 13, 58, 24, 768208400, time.UTC)) || res.RequestID == "" {
		t.Errorf("time %v request id %q", e.ActivityTime, res.RequestID)
	}
}

// staticCredential hands out one token.
type staticCredential string

func (s staticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// TestOnDemandAnswersDiagnosed: each kind of on-demand answer of the demo
// tenant, added to what Graph reports of the user, is diagnosed as what
// happened and keeps every invariant of a diagnosis.
func TestOnDemandAnswersDiagnosed(t *testing.T) {
	e := demoEnv(t)
	now := e.clock.Now()
	for _, tc := range []struct {
		name, upn string
		want      diagnose.Category
	}{
		{"created", "diego.siciliani@contoso.com", diagnose.Provisioned},
		// Adele Vance's create failed with a conflict, and nothing changed.
		{"still failing", "adele.vance@contoso.com", diagnose.MatchingConflict},
		{"not assigned", "christie.cline@contoso.com", diagnose.NotAssigned},
	} {
		t.Run(tc.name, func(t *testing.T) {
			us, err := e.client.ResolveUser(t.Context(), tc.upn)
			if err != nil || len(us) != 1 {
				t.Fatalf("%s: %v %v", tc.upn, us, err)
			}
			user := us[0].ObjectID
			res, err := e.client.ProvisionOnDemand(t.Context(), demoServiceNow, demoServiceNowJob, user)
			if err != nil {
				t.Fatal(err)
			}
			for _, aud := range []diagnose.Audience{diagnose.HelpDesk, diagnose.EndUser} {
				in, err := e.client.Gather(t.Context(), diagnose.Query{UserID: user, AppID: demoServiceNow, Refresh: true})
				if err != nil {
					t.Fatal(err)
				}
				in.Audience = aud
				in = in.WithOnDemand(res)
				var d *diagnose.Diagnosis
				for _, x := range diagnose.Diagnose(in, now) {
					if x.App.ServicePrincipalID == demoServiceNow {
						d = &x
					}
				}
				if d == nil {
					t.Fatal("no diagnosis of ServiceNow")
				}
				if d.Category != tc.want {
					t.Errorf("%s: %s, want %s (%s)", aud, d.Category, tc.want, d.Headline)
				}
				for _, v := range diagnose.CheckInvariants(in, *d, now) {
					t.Errorf("%s: %v", aud, v)
				}
			}
		})
	}
}
