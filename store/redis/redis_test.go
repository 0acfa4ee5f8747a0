package redis_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/provbot/provbot/internal/redistest"
	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/store/redis"
	"github.com/provbot/provbot/store/storetest"
)

// prefixes numbers the key prefixes of the tests' states.
var prefixes atomic.Int64

// backend is the store suite's backend on srv: each state is a key
// prefix of its own, each replica a client of its own.
func backend(srv *redistest.Server) storetest.Backend {
	return storetest.Backend{Replicated: true, New: func(t *testing.T) func() store.Store {
		prefix := fmt.Sprintf("t%d:", prefixes.Add(1))
		return func() store.Store { return mustOpen(t, srv.URL, redis.WithPrefix(prefix)) }
	}}
}

// mustOpen opens a store on url for t, closed when t ends.
func mustOpen(t *testing.T, url string, opts ...redis.Option) *redis.Store {
	t.Helper()
	s, err := redis.Open(t.Context(), url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformance runs the store suite on a real redis-server.
func TestConformance(t *testing.T) {
	srv := redistest.Start(t)
	storetest.Run(t, backend(srv))
}

func TestOpenNamesTheServerNeverThePassword(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, srv.URL)
	if d := s.Describe(); !strings.Contains(d, srv.Addr) || !strings.Contains(d, "db 0") || !strings.Contains(d, "Redis ") {
		t.Errorf("Describe() = %q, want the address, the database and the version", d)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	for _, url := range []string{
		"redis://:s3cret-pass@127.0.0.1:1/0",        // nothing listens on port 1
		"redis://user:s3cret-pass@127.0.0.1:6379/x", // not a database number
		"http://user:s3cret-pass@127.0.0.1:6379/0",  // not redis
		"redis://user:s3cret-pass@127.0.0.1:6379/0?unknown=1",
	} {
		_, err := redis.Open(ctx, url)
		if err == nil {
			t.Errorf("Open(%q) worked", url)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open's error shows the password: %v", err)
		}
	}
}

func TestPasswordProtectedServer(t *testing.T) {
	srv := redistest.Start(t)
	admin := goredis.NewClient(&goredis.Options{Addr: srv.Addr})
	defer admin.Close()
	if err := admin.ConfigSet(t.Context(), "requirepass", "s3cret-pass").Err(); err != nil {
		t.Fatal(err)
	}
	_, err := redis.Open(t.Context(), srv.URL)
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("open without the password: %v", err)
	}
	s := mustOpen(t, "redis://:s3cret-pass@"+srv.Addr+"/0")
	if strings.Contains(s.Describe(), "s3cret") {
		t.Errorf("Describe() shows the password: %q", s.Describe())
	}
}

// TestKeyLayout checks the keys the adapter makes against doc.go: all
// under the prefix, and the short-lived ones with a TTL.
func TestKeyLayout(t *testing.T) {
	srv := redistest.Start(t)
	s := mustOpen(t, srv.URL, redis.WithPrefix("layout:"))
	ctx := t.Context()
	at := time.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.PutConversation(ctx, "user:emily", []byte("{}")))
	w, err := s.CreateWatch(ctx, store.Watch{Owner: "Emily", Conversation: "user:emily", Subject: "emily", App: "sn",
		DueAt: at, ExpiresAt: at.Add(time.Hour), CreatedAt: at})
	must(err)
	must(s.PutAlertChannel(ctx, store.AlertChannel{ID: "19:c", Conversation: "channel:c", AddedAt: at}))
	_, _, err = s.OpenEpisode(ctx, store.Episode{Key: "sp/job/quarantine", OpenedAt: at}, store.Fence{})
	must(err)
	must(s.PutMute(ctx, store.Mute{App: "sn", Until: at.Add(time.Hour)}))
	must(s.AppendAudit(ctx, store.AuditRecord{At: at, Actor: "h", Action: "restart-job", Outcome: "ok"}))
	_, err = s.AcquireLease(ctx, "pollers", "a", time.Minute)
	must(err)
	b, err := s.Bucket("reports", 5, 10*time.Second)
	must(err)
	release, err := b.Take(ctx, true)
	must(err)
	release(true)
	_, _, err = s.Coalesce(ctx, "logs:emily", time.Minute, time.Minute, func(context.Context) ([]byte, error) { return []byte("x"), nil })
	must(err)
	must(s.CachePut(ctx, "jobs:sn", []byte("x"), time.Minute))

	admin := goredis.NewClient(&goredis.Options{Addr: srv.Addr})
	defer admin.Close()
	keys, err := admin.Keys(ctx, "*").Result()
	must(err)
	want := map[string]bool{ // key → has a TTL
		"layout:conv:user:emily":           false,
		"layout:watch:" + w.ID:             false,
		"layout:watches:due":               false,
		"layout:watches:owner:emily":       false,
		"layout:watches:identity":          false,
		"layout:alert-channels":            false,
		"layout:episode:sp/job/quarantine": false,
		"layout:episodes":                  false,
		"layout:mutes":                     false,
		"layout:mutes:until":               false,
		"layout:audit":                     false,
		"layout:audit:seq":                 false,
		"layout:lease:pollers":             true,
		"layout:lease-token:pollers":       false,
		"layout:budget:reports:slots":      true,
		"layout:budget:reports:seq":        true,
		"layout:budget:reports:state":      true,
		"layout:flight:logs:emily:value":   true,
		"layout:cache:jobs:sn":             true,
	}
	got := map[string]bool{}
	for _, k := range keys {
		ttl, err := admin.PTTL(ctx, k).Result()
		must(err)
		got[k] = ttl > 0
	}
	for k, ttl := range want {
		if has, ok := got[k]; !ok {
			t.Errorf("no key %s", k)
		} else if has != ttl {
			t.Errorf("key %s has a TTL: %v, want %v", k, has, ttl)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("undocumented key %s", k)
		}
	}
}

// TestABucketWaiterOfADeadReplicaLeavesTheLine: a replica that dies
// while in line (its client closes mid-wait) is forgotten after a while,
// and the others are served.
func TestABucketWaiterOfADeadReplicaLeavesTheLine(t *testing.T) {
	srv := redistest.Start(t)
	a := mustOpen(t, srv.URL, redis.WithPrefix("dead:"))
	b := mustOpen(t, srv.URL, redis.WithPrefix("dead:"))
	ba, _ := a.Bucket("reports", 1, 200*time.Millisecond)
	bb, _ := b.Bucket("reports", 1, 200*time.Millisecond)
	r, err := ba.Take(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	r(true)
	errc := make(chan error, 1)
	go func() { _, err := ba.Take(t.Context(), true); errc <- err }() // first in line
	time.Sleep(50 * time.Millisecond)
	a.Close() // the replica dies while waiting
	if err := <-errc; err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("a dead replica's take: %v, want a connection error", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if _, err := bb.Take(ctx, true); err != nil {
		t.Fatalf("the other replica was not served: %v", err)
	}
	t.Logf("served %v after the dead replica's waiter", time.Since(start).Round(time.Millisecond))
}
