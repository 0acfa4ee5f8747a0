package botframework_test

import (
	"sync"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework/bftest"
)

// acceptedWith posts the personal message with a token signed with kid ("" =
// current) and reports whether it was accepted.
func acceptedWith(t *testing.T, h *harness, rec *turnRecorder, kid string) bool {
	t.Helper()
	status, _ := h.post(h.activity("teams/teams-message-personal.json"), h.issuer.Authorization(bftest.TokenSpec{ServiceURL: h.connector.URL, KeyID: kid}))
	switch status {
	case 200:
		rec.next(t)
		return true
	case 401:
		return false
	}
	t.Fatalf("status = %d", status)
	return false
}

func TestKeyRotation(t *testing.T) {
	t.Run("a new kid is fetched once", func(t *testing.T) {
		rec := newTurnRecorder()
		h := newHarness(t, rec)
		if !acceptedWith(t, h, rec, "") {
			t.Fatal("token with the first key refused")
		}
		h.clock.Advance(6 * time.Minute)
		newKID := h.issuer.RotateKey()
		for range 3 {
			if !acceptedWith(t, h, rec, newKID) {
				t.Fatal("token with the rotated key refused")
			}
		}
		if got := h.issuer.JWKSRequests(); got != 2 {
			t.Errorf("JWKS requests = %d, want 2 (start, then once for the new kid)", got)
		}
		if got := h.issuer.MetadataRequests(); got != 2 {
			t.Errorf("metadata requests = %d, want 2", got)
		}
	})

	t.Run("unknown kid refetches at most once per five minutes", func(t *testing.T) {
		rec := newTurnRecorder()
		h := newHarness(t, rec)
		acceptedWith(t, h, rec, "")
		for range 5 {
			if acceptedWith(t, h, rec, "unknown-kid") {
				t.Fatal("token with an unknown kid accepted")
			}
		}
		if got := h.issuer.JWKSRequests(); got != 1 {
			t.Errorf("JWKS requests within 5 min = %d, want 1", got)
		}
		h.clock.Advance(5 * time.Minute)
		for range 5 {
			acceptedWith(t, h, rec, "unknown-kid")
		}
		if got := h.issuer.JWKSRequests(); got != 2 {
			t.Errorf("JWKS requests after 5 min = %d, want 2", got)
		}
	})

	t.Run("old keys are kept when the key endpoint fails", func(t *testing.T) {
		rec := newTurnRecorder()
		h := newHarness(t, rec)
		acceptedWith(t, h, rec, "")
		h.clock.Advance(25 * time.Hour) // due for the daily refresh
		h.issuer.FailJWKS(503, 10)
		if !acceptedWith(t, h, rec, "") {
			t.Fatal("token refused while the key endpoint is down, want the cached key used")
		}
		if got := h.issuer.JWKSRequests(); got != 2 {
			t.Errorf("JWKS requests = %d, want 2 (start, failed refresh)", got)
		}
		if len(h.logs.records("signing key refresh failed; keeping the keys already known")) != 1 {
			t.Errorf("failed refresh not logged:\n%s", h.logs)
		}
		if !acceptedWith(t, h, rec, "") {
			t.Fatal("second token refused")
		}
		if got := h.issuer.JWKSRequests(); got != 2 {
			t.Errorf("JWKS requests = %d, want no new attempt within 30 s of a failure", got)
		}
	})

	t.Run("requests fail closed when no key was ever fetched", func(t *testing.T) {
		rec := newTurnRecorder()
		h := newHarness(t, rec)
		h.issuer.FailJWKS(500, 1)
		if acceptedWith(t, h, rec, "") {
			t.Fatal("token accepted without any key")
		}
		if recs := h.logs.records("rejected unauthenticated request"); len(recs) != 1 || recs[0]["level"] != "ERROR" {
			t.Errorf("rejection for missing keys not logged as an error: %v", recs)
		}
		h.clock.Advance(31 * time.Second)
		if !acceptedWith(t, h, rec, "") {
			t.Fatal("token refused once the key endpoint is back")
		}
	})

	t.Run("a retired key is refused after the daily refresh", func(t *testing.T) {
		rec := newTurnRecorder()
		h := newHarness(t, rec)
		oldKID := h.issuer.CurrentKeyID()
		acceptedWith(t, h, rec, "")
		h.issuer.RotateKey()
		h.issuer.RetireKey(oldKID)
		if !acceptedWith(t, h, rec, oldKID) {
			t.Fatal("old key refused before the refresh")
		}
		h.clock.Advance(24 * time.Hour)
		if acceptedWith(t, h, rec, oldKID) {
			t.Fatal("retired key still accepted after the daily refresh")
		}
		if !acceptedWith(t, h, rec, "") {
			t.Fatal("current key refused")
		}
	})

	t.Run("concurrent requests share one fetch", func(t *testing.T) {
		rec := newTurnRecorder()
		h := newHarness(t, rec)
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if status, _ := h.postSigned(h.activity("teams/teams-message-personal.json")); status != 200 {
					t.Errorf("status = %d, want 200", status)
				}
			})
		}
		wg.Wait()
		if got := h.issuer.MetadataRequests(); got != 1 {
			t.Errorf("metadata requests = %d, want 1", got)
		}
	})
}
