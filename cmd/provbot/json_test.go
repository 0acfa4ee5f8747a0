package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
)

// c1Name holds an 8-bit CSI, NEL, a line separator and a right-to-left
// override: characters encoding/json leaves raw, or U+2028 it escapes.
const c1Name = "Mallory\u009b2J\u0085\u2028\u202eZ"

// assertNoRawC1 fails when out holds a C1 control, U+2028/2029 or a bidi
// override unescaped, or when no string of the JSON starts with want.
func assertNoRawC1(t *testing.T, what string, out []byte, want string) {
	t.Helper()
	for i := 0; i < len(out); {
		r, size := utf8.DecodeRune(out[i:])
		if 0x80 <= r && r <= 0x9f || r == 0x2028 || r == 0x2029 || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069 {
			t.Errorf("%s: U+%04X raw at byte %d", what, r, i)
			return
		}
		i += size
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, out)
	}
	if !containsString(v, want) {
		t.Errorf("%s: no value equals %q after decoding", what, want)
	}
}

// containsString reports whether a decoded JSON value holds s as a
// string, or as the start of one.
func containsString(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return strings.HasPrefix(x, s)
	case []any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	}
	return false
}

// TestJSONOutputEscapesC1Controls runs every command that prints JSON on
// data holding C1 controls and bidi overrides.
func TestJSONOutputEscapesC1Controls(t *testing.T) {
	e := diagnose.Entry{
		ID: "e1", ChangeID: "c1", JobID: "job", ActivityTime: time.Now().Add(-time.Hour).UTC(),
		Action: diagnose.ActionCreate, Status: diagnose.ResultFailure,
		Source:           diagnose.Identity{ID: "5e6c9a0e-ab4d-4239-8ad0-174391d110e1", DisplayName: c1Name, Type: "User", Details: map[string]string{"UserPrincipalName": "mallory@contoso.com"}},
		ServicePrincipal: diagnose.ServicePrincipal{ID: "11111111-2222-4333-8444-555555555555", Name: "ServiceNow"},
		Error:            &diagnose.ErrorInfo{Code: "SomeError", Reason: c1Name},
	}
	f := filepath.Join(t.TempDir(), "logs.json")
	var buf bytes.Buffer
	if err := graph.WriteLogs(&buf, []diagnose.Entry{e}); err != nil {
		t.Fatal(err)
	}
	assertNoRawC1(t, "graph.WriteLogs", buf.Bytes(), c1Name)
	if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	tenant, err := fakegraph.DemoTenant(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range tenant.ServicePrincipals {
		sp["displayName"] = c1Name
	}
	srv := fakegraph.NewTestServer(t, tenant, fakegraph.WithThrottle(0, 0))
	env := envOf(map[string]string{"PROVBOT_GRAPH_URL": srv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none"})
	for _, args := range [][]string{
		{"diagnose", "mallory@contoso.com", "--logs", f, "--format", "json"},
		{"logs", "mallory@contoso.com", "--logs", f, "--format", "json"},
		{"status", "--format", "json"},
	} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, env, &out, &errOut); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		assertNoRawC1(t, args[0], out.Bytes(), c1Name)
	}
	// What logs --format json writes, --logs reads back whole.
	back, err := graph.ReadLogs(bytes.NewReader(buf.Bytes()))
	if err != nil || len(back) != 1 || back[0].Source.DisplayName != c1Name {
		t.Errorf("read back %+v, %v", back, err)
	}
}
