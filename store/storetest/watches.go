package storetest

import (
	"bytes"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/store"
)

// newWatch is a watch made at the suite's instant, due in due, for a
// week.
func newWatch(owner, subject, app string, due time.Duration) store.Watch {
	return store.Watch{Owner: owner, Conversation: "conv:" + owner, Subject: subject, App: app,
		State: []byte(`{"verdict":"pending"}`), DueAt: at.Add(due), ExpiresAt: at.Add(7 * 24 * time.Hour), CreatedAt: at}
}

// ids returns the watches' ids.
func ids(ws []store.Watch) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.ID
	}
	return out
}

func testWatches(t *testing.T, b Backend) {
	open := b.New(t)
	s := open()
	c := ctx(t)

	w := newWatch("emily", "emily", "servicenow", 25*time.Minute)
	w.CreatedAt = at.Add(1500 * time.Microsecond) // kept to the millisecond
	created, err := s.CreateWatch(c, w)
	must(t, "create", err)
	if created.ID == "" || created.Version != 1 {
		t.Fatalf("created id %q version %d, want an id and version 1", created.ID, created.Version)
	}
	if want := at.Add(time.Millisecond); !created.CreatedAt.Equal(want) || created.CreatedAt.Location() != time.UTC {
		t.Errorf("created at %v, want %v in UTC", created.CreatedAt, want)
	}
	got, err := s.Watch(c, created.ID)
	must(t, "get", err)
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("get differs from create (-create +get):\n%s", diff)
	}

	// One watch per owner, subject and app, whatever the case of the ids.
	dup, err := s.CreateWatch(c, newWatch("EMILY", "Emily", "ServiceNow", time.Hour))
	wantErr(t, "second watch of the same", err, store.ErrExists)
	if dup.ID != created.ID {
		t.Errorf("second watch returned %q, want the existing %q", dup.ID, created.ID)
	}
	// Another app, another subject: other watches.
	ow := newWatch("emily", "emily", "", 10*time.Minute)
	ow.CreatedAt = at.Add(time.Second)
	other, err := s.CreateWatch(c, ow)
	must(t, "watch of every app", err)
	help, err := s.CreateWatch(c, newWatch("henrietta", "diego", "servicenow", 5*time.Minute))
	must(t, "help desk watch", err)

	byOwner, err := s.WatchesByOwner(c, "Emily")
	must(t, "by owner", err)
	if diff := cmp.Diff([]string{created.ID, other.ID}, ids(byOwner)); diff != "" {
		t.Errorf("emily's watches, oldest first (-want +got):\n%s", diff)
	}

	// Due: at or before now, earliest first, up to the limit.
	due, err := s.DueWatches(c, at.Add(10*time.Minute), 10)
	must(t, "due", err)
	if diff := cmp.Diff([]string{help.ID, other.ID}, ids(due)); diff != "" {
		t.Errorf("due at +10m (-want +got):\n%s", diff)
	}
	due, err = s.DueWatches(c, at.Add(time.Hour), 1)
	must(t, "due, limit 1", err)
	if diff := cmp.Diff([]string{help.ID}, ids(due)); diff != "" {
		t.Errorf("first due (-want +got):\n%s", diff)
	}
	if due, _ := s.DueWatches(c, at, 10); len(due) != 0 {
		t.Errorf("due at creation: %v, want none", ids(due))
	}

	// Update: compare and set on the version.
	up := created
	up.State, up.DueAt = []byte(`{"verdict":"still pending","told":true}`), at.Add(2*time.Hour)
	updated, err := s.UpdateWatch(c, up, store.Fence{})
	must(t, "update", err)
	if updated.Version != 2 || !bytes.Equal(updated.State, up.State) || !updated.DueAt.Equal(up.DueAt) ||
		!updated.CreatedAt.Equal(created.CreatedAt) || updated.Owner != "emily" {
		t.Errorf("updated = %+v", updated)
	}
	_, err = s.UpdateWatch(c, up, store.Fence{}) // still version 1
	wantErr(t, "update from a stale read", err, store.ErrConflict)
	if got, _ := s.Watch(c, created.ID); got.Version != 2 {
		t.Errorf("a refused update changed the version to %d", got.Version)
	}
	// Rescheduling moves it in the due order.
	if due, _ := s.DueWatches(c, at.Add(time.Hour), 10); !sameSet(ids(due), help.ID, other.ID) {
		t.Errorf("due at +1h after rescheduling to +2h: %v", ids(due))
	}
	gone := up
	gone.ID = "no-such-watch"
	_, err = s.UpdateWatch(c, gone, store.Fence{})
	wantErr(t, "update a missing watch", err, store.ErrNotFound)

	// An empty state comes back empty.
	empty := updated
	empty.State = nil
	if e, err := s.UpdateWatch(c, empty, store.Fence{}); err != nil || len(e.State) != 0 {
		t.Errorf("update to an empty state = %q, %v", e.State, err)
	}

	// Delete: by version or whatever it is.
	wantErr(t, "delete a stale version", s.DeleteWatch(c, created.ID, 1, store.Fence{}), store.ErrConflict)
	must(t, "delete", s.DeleteWatch(c, created.ID, 3, store.Fence{}))
	_, err = s.Watch(c, created.ID)
	wantErr(t, "get deleted", err, store.ErrNotFound)
	wantErr(t, "delete again", s.DeleteWatch(c, created.ID, 0, store.Fence{}), store.ErrNotFound)
	must(t, "delete any version", s.DeleteWatch(c, help.ID, 0, store.Fence{}))
	if due, _ := s.DueWatches(c, at.Add(24*time.Hour), 10); !sameSet(ids(due), other.ID) || len(due) != 1 {
		t.Errorf("due after deletes: %v, want only %s", ids(due), other.ID)
	}
	if mine, _ := s.WatchesByOwner(c, "emily"); !sameSet(ids(mine), other.ID) || len(mine) != 1 {
		t.Errorf("emily's watches after delete: %v", ids(mine))
	}
	// The deleted watch's identity is free again.
	if _, err := s.CreateWatch(c, newWatch("emily", "emily", "servicenow", time.Minute)); err != nil {
		t.Errorf("watch again after delete: %v", err)
	}

	// Another replica sees the same watches.
	if got, err := open().Watch(c, other.ID); err != nil || got.Version != other.Version {
		t.Errorf("from another replica: %+v, %v", got, err)
	}
}

// sameSet reports whether got holds exactly want, in any order.
func sameSet(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	seen := map[string]bool{}
	for _, g := range got {
		seen[g] = true
	}
	for _, w := range want {
		if !seen[w] {
			return false
		}
	}
	return true
}

// testWatchContention has workers on two replicas add to a counter kept
// in one watch's state, each by read, update and retry on conflict: no
// increment may be lost or applied twice.
func testWatchContention(t *testing.T, b Backend) {
	open := b.New(t)
	replicas := []store.Store{open(), open()}
	c := ctx(t)
	w := newWatch("owner", "subject", "app", time.Minute)
	w.State = []byte("0")
	w, err := replicas[0].CreateWatch(c, w)
	must(t, "create", err)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	var mu sync.Mutex
	conflicts := 0
	for i := range workers {
		s := replicas[i%2]
		wg.Go(func() {
			for range each {
				for {
					cur, err := s.Watch(c, w.ID)
					if err != nil {
						t.Error(err)
						return
					}
					n, _ := strconv.Atoi(string(cur.State))
					cur.State = []byte(strconv.Itoa(n + 1))
					_, err = s.UpdateWatch(c, cur, store.Fence{})
					if err == nil {
						break
					}
					if !errors.Is(err, store.ErrConflict) {
						t.Error(err)
						return
					}
					mu.Lock()
					conflicts++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	got, err := replicas[1].Watch(c, w.ID)
	must(t, "read back", err)
	if string(got.State) != strconv.Itoa(workers*each) || got.Version != workers*each+1 {
		t.Errorf("counter %s at version %d, want %d at %d (%d conflicts retried)", got.State, got.Version, workers*each, workers*each+1, conflicts)
	}
	t.Logf("%d increments from %d workers on 2 replicas, %d conflicts retried", workers*each, workers, conflicts)
}
