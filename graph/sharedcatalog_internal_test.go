package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/internal/logtest"
)

// putRecorder is a SharedCache that remembers what was put and holds
// nothing else.
type putRecorder struct{ puts map[string]time.Duration }

func (r *putRecorder) Coalesce(ctx context.Context, _ string, _, _ time.Duration, fn func(context.Context) ([]byte, error)) ([]byte, bool, error) {
	v, err := fn(ctx)
	return v, false, err
}

func (r *putRecorder) CacheGet(context.Context, string) ([]byte, bool, error) { return nil, false, nil }

func (r *putRecorder) CachePut(_ context.Context, key string, _ []byte, ttl time.Duration) error {
	r.puts[key] = ttl
	return nil
}

// catalogOf returns n apps with roles roles each.
func catalogOf(n, roles int) []appInfo {
	apps := make([]appInfo, n)
	for i := range apps {
		apps[i] = appInfo{id: fmt.Sprintf("%08d-0000-4000-8000-000000000000", i), appID: fmt.Sprintf("%08d-1111-4111-8111-111111111111", i),
			name: fmt.Sprintf("App %d", i), roles: map[string]string{}}
		for r := range roles {
			apps[i].roles[fmt.Sprintf("%08d-2222-4222-8222-%012d", i, r)] = fmt.Sprintf("Role %d of app %d, %s", r, i, strings.Repeat("x", 20))
		}
	}
	return apps
}

func TestTheCatalogIsSharedUnlessTooBig(t *testing.T) {
	for _, tc := range []struct {
		name   string
		apps   []appInfo
		shared bool
	}{
		{"five apps with roles are shared as they are", catalogOf(5, 3), true},
		{"no app is shared too", nil, true},
		{"a catalog over SharedValueLimit stays with each replica", catalogOf(1200, 100), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs logtest.Buffer
			rec := &putRecorder{puts: map[string]time.Duration{}}
			c, err := NewUnauthenticated("http://127.0.0.1:1/v1.0", WithSharedCache(rec),
				WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			built := c.cfg.now()
			v, err := c.shareCatalog(t.Context(), tc.apps, built)
			if err != nil {
				t.Fatal(err)
			}
			var e sharedEntry[sharedCatalog]
			if err := json.Unmarshal(v, &e); err != nil {
				t.Fatal(err)
			}
			apps, at, ok := c.sharedCatalogApps(e.V, e.At)
			_, put := rec.puts[sharedKeyPrefix+catalogKey]
			warned := len(logs.Records("the app catalog is too big for the shared cache; each replica builds its own")) == 1
			if ok != tc.shared || put != tc.shared || warned == tc.shared {
				t.Fatalf("taken %v, put %v, warned %v; want shared %v", ok, put, warned, tc.shared)
			}
			if !tc.shared {
				return
			}
			if !reflect.DeepEqual(apps, tc.apps) || !at.Equal(built) || rec.puts[sharedKeyPrefix+catalogKey] != c.cfg.appTTL {
				t.Errorf("the replicas take %+v built at %v for %v, want %+v built at %v for %v",
					apps, at, rec.puts[sharedKeyPrefix+catalogKey], tc.apps, built, c.cfg.appTTL)
			}
		})
	}
}
