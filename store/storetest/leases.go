package storetest

import (
	"testing"
	"time"

	"github.com/provbot/provbot/store"
)

// leaseTTL is the leases' TTL in the suite: short, the tests wait it out.
const leaseTTL = 300 * time.Millisecond

func testLeases(t *testing.T, b Backend) {
	open := b.New(t)
	a, bb := open(), open()
	c := ctx(t)

	la, err := a.AcquireLease(c, "pollers", "a", leaseTTL)
	must(t, "a takes", err)
	if la.Token < 1 || la.Holder != "a" || la.Name != "pollers" {
		t.Fatalf("lease = %+v", la)
	}
	renewed, err := a.AcquireLease(c, "pollers", "a", leaseTTL)
	must(t, "a renews", err)
	if renewed.Token != la.Token {
		t.Errorf("renewal changed the token %d → %d", la.Token, renewed.Token)
	}
	_, err = bb.AcquireLease(c, "pollers", "b", leaseTTL)
	wantErr(t, "b asks while a holds it", err, store.ErrLeaseHeld)
	// Other names are other leases.
	if _, err := bb.AcquireLease(c, "other", "b", leaseTTL); err != nil {
		t.Errorf("another lease: %v", err)
	}

	// Releasing with a stale token does nothing; releasing the term hands
	// the lease over at once, with the next token.
	stale := la
	stale.Token--
	must(t, "release stale", bb.ReleaseLease(c, stale))
	_, err = bb.AcquireLease(c, "pollers", "b", leaseTTL)
	wantErr(t, "b asks after a stale release", err, store.ErrLeaseHeld)
	must(t, "a releases", a.ReleaseLease(c, la))
	lb, err := bb.AcquireLease(c, "pollers", "b", leaseTTL)
	must(t, "b takes after release", err)
	if lb.Token <= la.Token {
		t.Errorf("b's token %d, want more than a's %d", lb.Token, la.Token)
	}

	// Unrenewed, it lapses after its TTL and passes on.
	time.Sleep(leaseTTL + 100*time.Millisecond)
	la2, err := a.AcquireLease(c, "pollers", "a", leaseTTL)
	must(t, "a takes after b's lapsed", err)
	if la2.Token <= lb.Token {
		t.Errorf("token after lapse %d, want more than %d", la2.Token, lb.Token)
	}
	// The same holder after its own lapse starts a new term too.
	time.Sleep(leaseTTL + 100*time.Millisecond)
	la3, err := a.AcquireLease(c, "pollers", "a", leaseTTL)
	must(t, "a again after its own lapse", err)
	if la3.Token <= la2.Token {
		t.Errorf("token after a's own lapse %d, want more than %d", la3.Token, la2.Token)
	}
}

// testFences checks that every fenced write happens only while its lease
// is held with its token.
func testFences(t *testing.T, b Backend) {
	open := b.New(t)
	s := open()
	c := ctx(t)
	w, err := s.CreateWatch(c, newWatch("o", "s", "a", time.Minute))
	must(t, "create watch", err)
	la, err := s.AcquireLease(c, "pollers", "a", 10*leaseTTL)
	must(t, "a takes", err)
	fa := la.Fence()
	w.State = []byte("a")
	w, err = s.UpdateWatch(c, w, fa)
	must(t, "a writes while it leads", err)
	_, _, err = s.OpenEpisode(c, store.Episode{Key: "e", OpenedAt: at}, fa)
	must(t, "a opens an episode while it leads", err)

	must(t, "a releases", s.ReleaseLease(c, la))
	lb, err := open().AcquireLease(c, "pollers", "b", 10*leaseTTL)
	must(t, "b takes", err)
	fb := lb.Fence()

	stale := w
	stale.State = []byte("a, deposed")
	_, err = s.UpdateWatch(c, stale, fa)
	wantErr(t, "deposed update", err, store.ErrFenced)
	wantErr(t, "deposed delete", s.DeleteWatch(c, w.ID, 0, fa), store.ErrFenced)
	_, _, err = s.OpenEpisode(c, store.Episode{Key: "e2", OpenedAt: at}, fa)
	wantErr(t, "deposed open", err, store.ErrFenced)
	_, err = s.UpdateEpisode(c, store.Episode{Key: "e", Version: 1}, fa)
	wantErr(t, "deposed episode update", err, store.ErrFenced)
	_, err = s.CloseEpisode(c, "e", fa)
	wantErr(t, "deposed close", err, store.ErrFenced)
	if got, _ := s.Watch(c, w.ID); string(got.State) != "a" || got.Version != w.Version {
		t.Errorf("a refused write changed the watch: %+v", got)
	}
	if open, _ := s.OpenEpisodes(c); len(open) != 1 {
		t.Errorf("refused writes changed the episodes: %+v", open)
	}

	// The new leader writes; a fence naming a lease never taken does not.
	if _, err := s.UpdateWatch(c, w, fb); err != nil {
		t.Errorf("b writes while it leads: %v", err)
	}
	_, err = s.CloseEpisode(c, "e", store.Fence{Lease: "never-taken", Token: 1})
	wantErr(t, "fence of an unknown lease", err, store.ErrFenced)

	// A lease that lapsed fences its holder out even before anyone else
	// takes it.
	short, err := s.AcquireLease(c, "short", "a", leaseTTL)
	must(t, "take short lease", err)
	time.Sleep(leaseTTL + 100*time.Millisecond)
	_, err = s.CloseEpisode(c, "e", short.Fence())
	wantErr(t, "write under a lapsed lease", err, store.ErrFenced)
	if _, err := s.CloseEpisode(c, "e", store.Fence{}); err != nil {
		t.Errorf("the episode was closed by a refused write: %v", err)
	}
}
