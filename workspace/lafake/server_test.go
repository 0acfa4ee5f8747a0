package lafake_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/workspace/lafake"
)

var (
	now  = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	wsID = lafake.DemoWorkspaceID
)

// answer is the API's answer to a query.
type answer struct {
	Tables []struct {
		Name    string `json:"name"`
		Columns []struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"columns"`
		Rows [][]any `json:"rows"`
	} `json:"tables"`
	Error *struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError *struct {
			Code       string         `json:"code"`
			InnerError map[string]any `json:"innererror"`
		} `json:"innererror"`
		Details []map[string]any `json:"details"`
	} `json:"error"`
}

// post sends a query to the fake and decodes its answer.
func post(t *testing.T, s *lafake.Server, workspace, query, timespan string) (int, http.Header, answer) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query, "timespan": timespan})
	resp, err := http.Post(s.URL()+"/workspaces/"+workspace+"/query", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, a
}

func start(t *testing.T, w *lafake.Workspace, opts ...lafake.Option) *lafake.Server {
	t.Helper()
	s := lafake.New([]*lafake.Workspace{w}, append([]lafake.Option{lafake.WithNow(func() time.Time { return now })}, opts...)...)
	if err := s.StartLoopback(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestTheDemoWorkspaceIsAYearOfHistoryWithTheQuirks(t *testing.T) {
	w := lafake.DemoWorkspace(now)
	if n := len(w.Rows); n < 250 || n > 700 {
		t.Errorf("%d rows, want a few hundred", n)
	}
	oldest, newest := now, time.Time{}
	seen := map[string]int{}
	for _, r := range w.Rows {
		tm := r["TimeGenerated"].(time.Time)
		if tm.Before(oldest) {
			oldest = tm
		}
		if tm.After(newest) {
			newest = tm
		}
		src, _ := r["SourceSystem"].(string)
		sid, _ := r["SourceIdentity"].(string)
		for what, ok := range map[string]bool{
			"Id and Name keys":               strings.Contains(sid, `"Id":`),
			"Graph's id and displayName":     strings.Contains(sid, `"id":`),
			"the agent type in SourceSystem": src == "Azure",
			"JSON in SourceSystem":           strings.HasPrefix(src, "{"),
			"the Action column":              r["Action"] != nil,
			"a lower-case ResultType":        r["ResultType"] == "success",
			"a capitalised ResultType":       r["ResultType"] == "Success",
			"an empty ModifiedProperties":    r["ModifiedProperties"] == "",
			"a null DurationMs":              r["DurationMs"] == nil,
			"an action newer than the enum":  r["ProvisioningAction"] == "Archive",
			"a Warning result":               r["ResultType"] == "Warning",
			"StagedDelete":                   r["ProvisioningAction"] == "StagedDelete",
			"a failure with its reason":      r["ResultType"] == "Failure" && r["ResultDescription"] != "",
			"a group":                        strings.Contains(sid, `"identityType":"Group"`),
			"the workspace as TenantId":      r["TenantId"] == wsID,
		} {
			if ok {
				seen[what]++
			}
		}
	}
	for _, what := range []string{"Id and Name keys", "Graph's id and displayName", "the agent type in SourceSystem", "JSON in SourceSystem",
		"the Action column", "a lower-case ResultType", "a capitalised ResultType", "an empty ModifiedProperties", "a null DurationMs",
		"an action newer than the enum", "a Warning result", "StagedDelete", "a failure with its reason", "a group"} {
		if seen[what] == 0 {
			t.Errorf("no row has %s", what)
		}
	}
	if seen["the workspace as TenantId"] != len(w.Rows) {
		t.Errorf("%d of %d rows carry the workspace as TenantId", seen["the workspace as TenantId"], len(w.Rows))
	}
	if span := newest.Sub(oldest); span < 300*24*time.Hour || oldest.Before(now.Add(-366*24*time.Hour)) {
		t.Errorf("history from %s to %s, want about a year", oldest, newest)
	}
	if again := lafake.DemoWorkspace(now); !reflect.DeepEqual(again.Rows, w.Rows) {
		t.Error("the demo workspace differs from one run to the next")
	}
}

func TestAnswersHaveTheAPIsShape(t *testing.T) {
	s := start(t, lafake.DemoWorkspace(now))
	status, _, a := post(t, s, wsID, "AADProvisioningLogs | where SourceIdentity contains 'hannah.fischer' | take 5", "")
	if status != 200 || len(a.Tables) != 1 || a.Tables[0].Name != "PrimaryResult" || len(a.Tables[0].Rows) != 1 {
		t.Fatalf("status %d, answer %+v", status, a)
	}
	cols := map[string]int{}
	for i, c := range a.Tables[0].Columns {
		cols[c.Name] = i
	}
	row := a.Tables[0].Rows[0]
	if tg, _ := row[cols["TimeGenerated"]].(string); !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$`).MatchString(tg) {
		t.Errorf("TimeGenerated %q, want seven fractional digits", tg)
	}
	if d, ok := row[cols["DurationMs"]].(float64); !ok || d != float64(int64(d)) {
		t.Errorf("DurationMs %v, want a whole number", row[cols["DurationMs"]])
	}
	if si, _ := row[cols["SourceIdentity"]].(string); !strings.HasPrefix(si, `{"`) {
		t.Errorf("SourceIdentity %q, want JSON inside a string", si)
	}
	if _, ok := cols["_BilledSize"]; ok {
		t.Error("hidden columns are returned")
	}

	t.Run("the timespan bounds the rows", func(t *testing.T) {
		_, _, all := post(t, s, wsID, "AADProvisioningLogs | summarize Rows = count()", "")
		_, _, month := post(t, s, wsID, "AADProvisioningLogs | summarize Rows = count()", "P30D")
		_, _, span := post(t, s, wsID, "AADProvisioningLogs | summarize Rows = count()",
			now.Add(-100*24*time.Hour).Format(time.RFC3339)+"/"+now.Add(-90*24*time.Hour).Format(time.RFC3339))
		n := func(a answer) float64 { return a.Tables[0].Rows[0][0].(float64) }
		if !(n(all) > n(span) && n(all) > n(month)) || n(span) == 0 {
			t.Errorf("all %v, 30 days %v, 90–100 days ago %v", n(all), n(month), n(span))
		}
	})
	t.Run("errors are OneAPI objects", func(t *testing.T) {
		for _, tc := range []struct {
			name, ws, query, timespan string
			status                    int
			code, inner               string
		}{
			{"a syntax error", wsID, "AADProvisioningLogs | where 'x", "", 400, "BadArgumentError", "SyntaxError"},
			{"a semantic error", wsID, "SigninLogs | take 1", "", 400, "BadArgumentError", "SemanticError"},
			{"a bad timespan", wsID, "AADProvisioningLogs | take 1", "yesterday", 400, "BadArgumentError", "InvalidTimespan"},
			{"an unknown workspace", "00000000-0000-0000-0000-000000000000", "AADProvisioningLogs", "", 404, "WorkspaceNotFoundError", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				status, _, a := post(t, s, tc.ws, tc.query, tc.timespan)
				if status != tc.status || a.Error == nil || a.Error.Code != tc.code {
					t.Fatalf("status %d, error %+v", status, a.Error)
				}
				if tc.inner != "" && (a.Error.InnerError == nil || a.Error.InnerError.Code != tc.inner) {
					t.Errorf("inner error %+v", a.Error.InnerError)
				}
			})
		}
	})
}

func TestLimitsAreAnsweredAsTheServiceAnswersThem(t *testing.T) {
	t.Run("past the request window: 429 with the seconds left", func(t *testing.T) {
		s := start(t, lafake.DemoWorkspace(now), lafake.WithThrottle(2, 30*time.Second))
		for range 2 {
			if st, _, _ := post(t, s, wsID, "AADProvisioningLogs | take 1", ""); st != 200 {
				t.Fatalf("status %d", st)
			}
		}
		st, h, a := post(t, s, wsID, "AADProvisioningLogs | take 1", "")
		if st != 429 || h.Get("Retry-After") != "30" || a.Error == nil {
			t.Errorf("status %d, Retry-After %q, error %+v", st, h.Get("Retry-After"), a.Error)
		}
	})
	t.Run("a result past the record limit: 200 with the rows up to it and a PartialError", func(t *testing.T) {
		s := start(t, lafake.DemoWorkspace(now), lafake.WithMaxRecords(10))
		st, _, a := post(t, s, wsID, "AADProvisioningLogs", "")
		if st != 200 || len(a.Tables[0].Rows) != 10 || a.Error == nil || a.Error.Code != "PartialError" || len(a.Error.Details) != 1 {
			t.Fatalf("status %d, %d rows, error %+v", st, len(a.Tables[0].Rows), a.Error)
		}
	})
	t.Run("a caller without a role on the workspace", func(t *testing.T) {
		s := start(t, lafake.DemoWorkspace(now))
		s.Deny(wsID)
		st, _, a := post(t, s, wsID, "AADProvisioningLogs | take 1", "")
		if st != 403 || a.Error.Code != "InsufficientAccessError" || a.Error.InnerError.Code != "UnauthorizedClient" {
			t.Errorf("status %d, error %+v", st, a.Error)
		}
	})
	t.Run("a required token", func(t *testing.T) {
		s := start(t, lafake.DemoWorkspace(now), lafake.WithToken("t0ken"))
		if st, _, a := post(t, s, wsID, "AADProvisioningLogs | take 1", ""); st != 401 || a.Error.Code != "AuthenticationFailed" {
			t.Errorf("status %d, error %+v", st, a.Error)
		}
	})
}
