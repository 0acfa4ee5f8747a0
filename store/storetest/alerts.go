package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/store"
)

func testAlertChannels(t *testing.T, b Backend) {
	s := b.New(t)()
	c := ctx(t)
	first := store.AlertChannel{ID: "19:helpdesk@thread.tacv2", Conversation: "channel:helpdesk", AddedBy: "henrietta", AddedAt: at}
	second := store.AlertChannel{ID: "19:identity@thread.tacv2", Conversation: "channel:identity", AddedAt: at.Add(time.Hour)}
	must(t, "put second", s.PutAlertChannel(c, second))
	must(t, "put first", s.PutAlertChannel(c, first))
	got, err := s.AlertChannels(c)
	must(t, "list", err)
	if diff := cmp.Diff([]store.AlertChannel{first, second}, got); diff != "" {
		t.Errorf("channels in the order added (-want +got):\n%s", diff)
	}
	// Registering again updates it.
	first.Conversation = "channel:helpdesk-2"
	must(t, "put again", s.PutAlertChannel(c, first))
	must(t, "delete", s.DeleteAlertChannel(c, second.ID))
	must(t, "delete unknown", s.DeleteAlertChannel(c, "19:unknown"))
	got, err = s.AlertChannels(c)
	must(t, "list", err)
	if diff := cmp.Diff([]store.AlertChannel{first}, got); diff != "" {
		t.Errorf("channels after update and delete (-want +got):\n%s", diff)
	}
}

func testEpisodes(t *testing.T, b Backend) {
	s := b.New(t)()
	c := ctx(t)
	q := store.Episode{Key: "sp1/job1/quarantine", OpenedAt: at, State: []byte(`{"posted":false}`)}
	ep, opened, err := s.OpenEpisode(c, q, store.Fence{})
	must(t, "open", err)
	if !opened || ep.Version != 1 || !ep.OpenedAt.Equal(at) {
		t.Errorf("first open = %+v, opened %v; want opened at version 1", ep, opened)
	}
	// Seen again while open: no new episode, no new alert.
	again := q
	again.OpenedAt, again.State = at.Add(time.Hour), []byte(`{"other":true}`)
	ep2, opened, err := s.OpenEpisode(c, again, store.Fence{})
	must(t, "open again", err)
	if opened || !ep2.OpenedAt.Equal(at) || !bytes.Equal(ep2.State, q.State) {
		t.Errorf("open again = %+v, opened %v; want the first episode, not opened", ep2, opened)
	}
	paused, _, err := s.OpenEpisode(c, store.Episode{Key: "sp2/job2/paused", OpenedAt: at.Add(time.Minute)}, store.Fence{})
	must(t, "open another", err)

	up := ep
	up.State = []byte(`{"posted":true}`)
	updated, err := s.UpdateEpisode(c, up, store.Fence{})
	must(t, "update", err)
	if updated.Version != 2 || !bytes.Equal(updated.State, up.State) || !updated.OpenedAt.Equal(at) {
		t.Errorf("updated = %+v", updated)
	}
	_, err = s.UpdateEpisode(c, up, store.Fence{})
	wantErr(t, "update from a stale read", err, store.ErrConflict)

	open, err := s.OpenEpisodes(c)
	must(t, "list", err)
	if diff := cmp.Diff([]store.Episode{updated, paused}, open); diff != "" {
		t.Errorf("open episodes, oldest first (-want +got):\n%s", diff)
	}

	closed, err := s.CloseEpisode(c, q.Key, store.Fence{})
	must(t, "close", err)
	if diff := cmp.Diff(updated, closed); diff != "" {
		t.Errorf("closed episode as it was (-want +got):\n%s", diff)
	}
	_, err = s.CloseEpisode(c, q.Key, store.Fence{})
	wantErr(t, "close again", err, store.ErrNotFound)
	_, err = s.UpdateEpisode(c, updated, store.Fence{})
	wantErr(t, "update closed", err, store.ErrNotFound)
	// The next spell of the same condition is a new episode.
	_, opened, err = s.OpenEpisode(c, again, store.Fence{})
	if err != nil || !opened {
		t.Errorf("open after close: opened %v, %v; want a new episode", opened, err)
	}
}
