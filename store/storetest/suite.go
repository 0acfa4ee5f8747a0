// Package storetest is the conformance suite of package store: one suite
// that every adapter (store/sqlite, store/redis) passes, against the real
// thing (a SQLite file, a redis-server on loopback).
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/provbot/provbot/store"
)

// Backend is an adapter under test.
type Backend struct {
	// New makes the state for one test: it returns an opener of replicas
	// of a new, empty state (a new file, a new key prefix). Each replica
	// is a connection of its own to that state, closed when the test
	// ends; closing one early is a replica dying.
	New func(t *testing.T) (replica func() store.Store)
	// Replicated says that replicas share the bucket, coalescing and
	// cache (store/redis). When false (store/sqlite, where they are
	// in-process), those are tested within one replica.
	Replicated bool
}

// Run runs the whole suite against b. Its parts run in parallel, each
// on a state of its own, but for the bucket's, which are timed and run
// first, alone.
func Run(t *testing.T, b Backend) {
	if b.New == nil {
		t.Fatal("storetest: Backend.New is nil")
	}
	t.Run("Bucket", func(t *testing.T) { testBucket(t, b) }) // timed: alone
	t.Run("Conversations", func(t *testing.T) { t.Parallel(); testConversations(t, b) })
	t.Run("Watches", func(t *testing.T) { t.Parallel(); testWatches(t, b) })
	t.Run("WatchesUnderContention", func(t *testing.T) { t.Parallel(); testWatchContention(t, b) })
	t.Run("AlertChannels", func(t *testing.T) { t.Parallel(); testAlertChannels(t, b) })
	t.Run("Episodes", func(t *testing.T) { t.Parallel(); testEpisodes(t, b) })
	t.Run("Mutes", func(t *testing.T) { t.Parallel(); testMutes(t, b) })
	t.Run("Audit", func(t *testing.T) { t.Parallel(); testAudit(t, b) })
	t.Run("Leases", func(t *testing.T) { t.Parallel(); testLeases(t, b) })
	t.Run("Fences", func(t *testing.T) { t.Parallel(); testFences(t, b) })
	t.Run("Leader", func(t *testing.T) { t.Parallel(); testLeader(t, b) })
	t.Run("Coalesce", func(t *testing.T) { t.Parallel(); testCoalesce(t, b) })
	t.Run("Cache", func(t *testing.T) { t.Parallel(); testCache(t, b) })
	t.Run("Queues", func(t *testing.T) { t.Parallel(); testQueues(t, b) })
	t.Run("InvalidInput", func(t *testing.T) { t.Parallel(); testInvalid(t, b) })
}

// at is a fixed instant of the suite's records, to the millisecond.
var at = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// ctx returns a context that ends with t, and within a minute.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// wantErr fails t unless err wraps want.
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want one wrapping %q", what, err, want)
	}
}

// must fails t at once on err.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
