package botframework

import (
	"fmt"
	"testing"
	"time"
)

func TestVerifiedTokensAreRememberedUntilTheyExpire(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := newVerifiedTokens(3)
	v := &verified{expires: now.Add(time.Hour), notBefore: now}
	k := tokenKey("token-a")
	c.put(k, v, now)
	for _, tc := range []struct {
		name string
		at   time.Time
		hit  bool
	}{
		{"now", now, true},
		{"59 minutes later", now.Add(59 * time.Minute), true},
		{"4 minutes after exp, within the skew", now.Add(64 * time.Minute), true},
		{"5 minutes after exp", now.Add(65 * time.Minute), false},
		{"6 minutes before nbf", now.Add(-6 * time.Minute), false},
	} {
		if _, ok := c.get(k, tc.at); ok != tc.hit {
			t.Errorf("%s: hit = %v, want %v", tc.name, ok, tc.hit)
		}
	}
	if _, ok := c.get(tokenKey("token-b"), now); ok {
		t.Error("a token never verified was found")
	}
	c.put(tokenKey("expired"), &verified{expires: now.Add(-time.Hour)}, now)
	c.put(tokenKey("no exp"), &verified{}, now)
	if n := c.len(); n != 1 {
		t.Errorf("cached %d tokens, want only the valid one", n)
	}
}

func TestVerifiedTokensStayBounded(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := newVerifiedTokens(100)
	for i := range 1000 {
		c.put(tokenKey(fmt.Sprint("token-", i)), &verified{expires: now.Add(time.Hour)}, now)
	}
	if n := c.len(); n > 100 {
		t.Fatalf("cached %d tokens, want at most 100", n)
	}
	if _, ok := c.get(tokenKey("token-999"), now); !ok {
		t.Error("the newest token was evicted")
	}
	if _, ok := c.get(tokenKey("token-0"), now); ok {
		t.Error("the oldest token was kept")
	}
	// Expired entries go before valid ones.
	later := now.Add(2 * time.Hour)
	c.put(tokenKey("fresh"), &verified{expires: later.Add(time.Hour)}, later)
	if n := c.len(); n != 1 {
		t.Errorf("after every entry expired, cached %d tokens, want 1", n)
	}
}
