package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/redistest"
	"github.com/provbot/provbot/store"
)

func TestStoreSettings(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		kind, path  string
		err         string // a part of the error; "" for none
	}{
		{"unset is the SQLite file of a service's state", "", "sqlite", "/var/lib/provbot/provbot.db", ""},
		{"an absolute SQLite path", "sqlite:///srv/provbot/state.db", "sqlite", "/srv/provbot/state.db", ""},
		{"a relative SQLite path", "sqlite:state/provbot.db", "sqlite", "state/provbot.db", ""},
		{"SQLite in memory", "sqlite::memory:", "sqlite", ":memory:", ""},
		{"Redis", "redis://10.0.0.4:6379/2", "redis", "", ""},
		{"Redis over TLS with a password", "rediss://:k3y@provbot.redis.cache.windows.net:6380/0", "redis", "", ""},
		{"SQLite with a host", "sqlite://var/lib/provbot.db", "", "", "three slashes"},
		{"SQLite without a file", "sqlite://", "", "", "names no file"},
		{"SQLite with a query", "sqlite:///x.db?mode=ro", "", "", "no ? or #"},
		{"Redis without a host", "redis://:s3cret@/0", "", "", "names no host"},
		{"another database", "postgres://u:s3cret@db/provbot", "", "", "want sqlite:///path/provbot.db"},
		{"not a URL", "redis://[::1", "", "", "not a URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, errs := loadStoreSettings(envOf(map[string]string{"PROVBOT_STORE": tc.value}))
			if tc.err != "" {
				if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.err) || !strings.HasPrefix(errs[0].Error(), "PROVBOT_STORE: ") {
					t.Fatalf("errors %v, want one naming PROVBOT_STORE and saying %q", errs, tc.err)
				}
				if strings.Contains(errs[0].Error(), "s3cret") {
					t.Errorf("the error shows the password: %v", errs[0])
				}
				return
			}
			if len(errs) > 0 || s.Kind != tc.kind || s.Path != tc.path {
				t.Errorf("got %+v, %v; want %s %q", s, errs, tc.kind, tc.path)
			}
			if strings.Contains(s.describe(), "k3y") {
				t.Errorf("describe() shows the password: %q", s.describe())
			}
		})
	}
	if _, err := loadServeConfig(envOf(map[string]string{"PROVBOT_STORE": "mysql://x"}), "127.0.0.1:0"); err == nil ||
		!strings.Contains(err.Error(), "PROVBOT_STORE") {
		t.Errorf("serve's configuration with a bad store: %v", err)
	}
}

// TestServeSharesTheReportingBudgetOnRedis starts two `provbot serve`
// replicas on one Redis: each says where its state is and that its
// reporting budget is shared, and `provbot check` reports the Redis.
func TestServeSharesTheReportingBudgetOnRedis(t *testing.T) {
	rs := redistest.Start(t)
	tenant, err := fakegraph.DemoTenant(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	graphSrv := fakegraph.NewTestServer(t, tenant)
	env := func() map[string]string {
		return map[string]string{
			"PROVBOT_GRAPH_URL": graphSrv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none",
			"PROVBOT_STORE": rs.URL, "PROVBOT_TENANTS": fakegraph.DemoTenantID,
		}
	}
	for _, name := range []string{"first", "second"} {
		r := start(t, []string{"serve", "--addr", "127.0.0.1:0"}, env())
		line := waitFor(t, name+" replica listening", r.stderr.String, regexp.MustCompile(`("msg":"listening".*)`))
		if !strings.Contains(line, `"store":"redis `+rs.Addr+` db 0 (Redis `) || !strings.Contains(line, `"shared_reporting_budget":true`) {
			t.Errorf("%s replica's start line: %s", name, line)
		}
	}

	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"check", "--skip-bot"}, envOf(env()), &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "✓ PROVBOT_STORE: redis "+rs.Addr) {
		t.Errorf("check with Redis: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
}

// TestTheStoreTakesWhatTheGraphClientShares: the largest value the Graph
// client puts in the shared cache (an app catalogue) fits the store's.
func TestTheStoreTakesWhatTheGraphClientShares(t *testing.T) {
	if graph.SharedValueLimit > store.MaxCached {
		t.Errorf("graph.SharedValueLimit %d > store.MaxCached %d: the store would refuse catalogues the client shares", graph.SharedValueLimit, store.MaxCached)
	}
}

func TestCheckNamesAStoreItCannotUse(t *testing.T) {
	tenant, _ := fakegraph.DemoTenant(time.Now())
	graphSrv := fakegraph.NewTestServer(t, tenant)
	blocked := filepath.Join(t.TempDir(), "file")
	if err := writeFile(blocked); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, value, want string }{
		{"nothing listens", "redis://:s3cret@127.0.0.1:1/0", "✗ PROVBOT_STORE: redis://:xxxxx@127.0.0.1:1/0"},
		{"a file where the directory should be", "sqlite://" + filepath.Join(blocked, "provbot.db"), "is not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{"check", "--skip-bot"}, envOf(map[string]string{
				"PROVBOT_GRAPH_URL": graphSrv.URL() + "/v1.0", "PROVBOT_GRAPH_AUTH": "none", "PROVBOT_STORE": tc.value,
			}), &out, &errOut)
			if code != 1 || !strings.Contains(out.String(), tc.want) || strings.Contains(out.String()+errOut.String(), "s3cret") {
				t.Errorf("exit %d, want 1 and %q without the password:\n%s\n%s", code, tc.want, out.String(), errOut.String())
			}
		})
	}
}

// writeFile makes an empty file at path.
func writeFile(path string) error { return os.WriteFile(path, nil, 0o600) }
