package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/store"
)

func testMutes(t *testing.T, b Backend) {
	s := b.New(t)()
	c := ctx(t)
	sn := store.Mute{App: "servicenow", Until: at.Add(24 * time.Hour), By: "henrietta", Reason: "migration this week"}
	dbx := store.Mute{App: "dropbox", Until: at.Add(time.Hour)}
	must(t, "mute servicenow", s.PutMute(c, sn))
	must(t, "mute dropbox", s.PutMute(c, dbx))
	got, err := s.Mutes(c, at)
	must(t, "list", err)
	if diff := cmp.Diff([]store.Mute{dbx, sn}, got); diff != "" {
		t.Errorf("mutes by app (-want +got):\n%s", diff)
	}
	// A mute ends at its time, and stays ended when the clock is read
	// back: it was forgotten.
	got, err = s.Mutes(c, at.Add(time.Hour))
	must(t, "list later", err)
	if diff := cmp.Diff([]store.Mute{sn}, got); diff != "" {
		t.Errorf("mutes an hour later (-want +got):\n%s", diff)
	}
	if got, _ := s.Mutes(c, at); len(got) != 1 {
		t.Errorf("an ended mute came back: %v", got)
	}
	// Muting again replaces the mute.
	sn.Until = at.Add(2 * time.Hour)
	must(t, "mute again", s.PutMute(c, sn))
	got, _ = s.Mutes(c, at.Add(90*time.Minute))
	if diff := cmp.Diff([]store.Mute{sn}, got); diff != "" {
		t.Errorf("after muting again (-want +got):\n%s", diff)
	}
	must(t, "unmute", s.DeleteMute(c, "servicenow"))
	must(t, "unmute again", s.DeleteMute(c, "servicenow"))
	if got, _ := s.Mutes(c, at); len(got) != 0 {
		t.Errorf("after unmute: %v", got)
	}
}
