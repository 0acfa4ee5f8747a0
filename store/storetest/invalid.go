package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/store"
)

// testInvalid feeds every method input it must refuse, with ErrInvalid
// and before writing anything.
func testInvalid(t *testing.T, b Backend) {
	s := b.New(t)()
	c := ctx(t)
	long := strings.Repeat("k", store.MaxKey+1)
	ok := newWatch("o", "s", "a", time.Minute)
	noDue := ok
	noDue.DueAt = time.Time{}
	backwards := ok
	backwards.ExpiresAt = ok.CreatedAt.Add(-time.Hour)
	control := ok
	control.Subject = "adele\n@contoso.com"
	noop := func(context.Context) ([]byte, error) { return nil, nil }
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"empty conversation key", func() error { return s.PutConversation(c, "", []byte("{}")) }},
		{"long conversation key", func() error { return s.PutConversation(c, long, []byte("{}")) }},
		{"key with a control character", func() error { _, err := s.Conversation(c, "a\x00b"); return err }},
		{"key not UTF-8", func() error { return s.DeleteConversation(c, "\xff") }},
		{"watch without due time", func() error { _, err := s.CreateWatch(c, noDue); return err }},
		{"watch expiring before it was made", func() error { _, err := s.CreateWatch(c, backwards); return err }},
		{"watch of a subject with a newline", func() error { _, err := s.CreateWatch(c, control); return err }},
		{"watch without owner", func() error { w := ok; w.Owner = ""; _, err := s.CreateWatch(c, w); return err }},
		{"watch state too large", func() error {
			w := ok
			w.State = make([]byte, store.MaxValue+1)
			_, err := s.CreateWatch(c, w)
			return err
		}},
		{"update without id", func() error { _, err := s.UpdateWatch(c, ok, store.Fence{}); return err }},
		{"due watches limit 0", func() error { _, err := s.DueWatches(c, at, 0); return err }},
		{"fence without token", func() error {
			w := ok
			w.ID = "x"
			_, err := s.UpdateWatch(c, w, store.Fence{Lease: "pollers"})
			return err
		}},
		{"alert channel without time", func() error { return s.PutAlertChannel(c, store.AlertChannel{ID: "c", Conversation: "c"}) }},
		{"episode without key", func() error { _, _, err := s.OpenEpisode(c, store.Episode{OpenedAt: at}, store.Fence{}); return err }},
		{"mute without end", func() error { return s.PutMute(c, store.Mute{App: "a"}) }},
		{"audit without actor", func() error {
			return s.AppendAudit(c, store.AuditRecord{At: at, Action: "restart-job", Outcome: "ok"})
		}},
		{"audit records limit 0", func() error { _, err := s.AuditRecords(c, at, 0); return err }},
		{"lease without TTL", func() error { _, err := s.AcquireLease(c, "pollers", "a", 0); return err }},
		{"lease without holder", func() error { _, err := s.AcquireLease(c, "pollers", "", time.Second); return err }},
		{"bucket of 0", func() error { _, err := s.Bucket("reports", 0, time.Second); return err }},
		{"coalesce without hold", func() error { _, _, err := s.Coalesce(c, "k", 0, time.Second, noop); return err }},
		{"cache without TTL", func() error { return s.CachePut(c, "k", nil, 0) }},
		{"queue without name", func() error { _, err := s.QueueOffer(c, "", "u1", time.Second); return err }},
		{"queue item with a control character", func() error { _, err := s.QueueOffer(c, "q", "u\n1", time.Second); return err }},
		{"queue item too long", func() error { _, err := s.QueueOffer(c, "q", long, time.Second); return err }},
		{"queue offer without TTL", func() error { _, err := s.QueueOffer(c, "q", "u1", 0); return err }},
		{"queue claim of 0", func() error { _, err := s.QueueClaim(c, "q", 0, time.Second); return err }},
		{"queue claim of too many", func() error { _, err := s.QueueClaim(c, "q", store.MaxClaimed+1, time.Second); return err }},
		{"queue claim without lease", func() error { _, err := s.QueueClaim(c, "q", 1, 0); return err }},
		{"queue withdrawal of too many", func() error {
			_, err := s.QueueWithdraw(c, "q", make([]string, store.MaxClaimed+1)...)
			return err
		}},
		{"queue withdrawal of an empty item", func() error { _, err := s.QueueWithdraw(c, "q", "u1", ""); return err }},
		{"cached value too large", func() error { return s.CachePut(c, "k", make([]byte, store.MaxCached+1), time.Second) }},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, tc.call(), store.ErrInvalid) })
	}
	// Nothing of the refused writes is there.
	if items, _ := s.QueueClaim(c, "q", store.MaxClaimed, time.Second); len(items) != 0 {
		t.Errorf("refused offers were queued: %v", items)
	}
	if ws, _ := s.WatchesByOwner(c, "o"); len(ws) != 0 {
		t.Errorf("refused watches were stored: %v", ws)
	}
}
