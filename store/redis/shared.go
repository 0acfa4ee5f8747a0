package redis

import (
	"context"
	"fmt"
	"time"

	"github.com/provbot/provbot/store"
)

var (
	unlock      = script("unlock", false)
	flightClaim = script("flight_claim", false)
)

// Coalesce runs fn once across replicas for everyone asking for key: the
// first takes provbot:flight:<key>:lock (SET NX PX hold) and runs fn, then
// stores the value under provbot:flight:<key>:value for keep and unlocks;
// the others ask for the value until it appears, or take the lock
// themselves when it is gone without a value (its holder failed or died).
// Looking for the value and taking the lock are one script.
func (s *Store) Coalesce(ctx context.Context, key string, hold, keep time.Duration, fn func(ctx context.Context) ([]byte, error)) ([]byte, bool, error) {
	if err := store.CheckCoalesce(key, hold, keep); err != nil {
		return nil, false, err
	}
	lockKey, valueKey := s.key("flight", key, "lock"), s.key("flight", key, "value")
	me := newID()
	wait := 5 * time.Millisecond
	for {
		res, err := flightClaim.Run(ctx, s.rdb, []string{valueKey, lockKey}, me, hold.Milliseconds()).Slice()
		if err != nil {
			return nil, false, fmt.Errorf("coalesce %s: %w", key, err)
		}
		switch res[0] {
		case int64(1):
			v, _ := res[1].(string)
			return []byte(v), true, nil
		case int64(2):
			return s.runLocked(ctx, key, lockKey, valueKey, me, hold, keep, fn)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, false, ctx.Err()
		}
		wait = min(wait*2, 100*time.Millisecond)
	}
}

// runLocked runs fn while holding key's lock, publishes its value and
// unlocks.
func (s *Store) runLocked(ctx context.Context, key, lockKey, valueKey, me string, hold, keep time.Duration,
	fn func(ctx context.Context) ([]byte, error)) ([]byte, bool, error) {
	v, err := run(ctx, hold, fn)
	if err == nil {
		err = store.CheckCached("coalesced value", v)
	}
	// Publish and unlock even when the caller has gone.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	if err == nil {
		if perr := s.rdb.Set(pctx, valueKey, v, keep).Err(); perr != nil {
			s.log.Warn("publish a coalesced value", "err", perr)
		}
	}
	if uerr := unlock.Run(pctx, s.rdb, []string{lockKey}, me).Err(); uerr != nil {
		s.log.Warn("unlock a coalesced key", "err", uerr)
	}
	return v, false, err
}

// run calls fn with ctx bounded by hold; a panic in fn is its error.
func run(ctx context.Context, hold time.Duration, fn func(context.Context) ([]byte, error)) (v []byte, err error) {
	rctx, cancel := context.WithTimeout(ctx, hold)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("coalesced work panicked: %v", r)
		}
	}()
	return fn(rctx)
}

// CacheGet returns the value under key, if not expired.
func (s *Store) CacheGet(ctx context.Context, key string) ([]byte, bool, error) {
	if err := store.CheckKey("cache key", key); err != nil {
		return nil, false, err
	}
	v, err := s.rdb.Get(ctx, s.key("cache", key)).Bytes()
	switch {
	case isNil(err):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("cache get: %w", err)
	}
	return v, true, nil
}

// CachePut stores v under key for ttl.
func (s *Store) CachePut(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	if err := store.CheckKey("cache key", key); err != nil {
		return err
	}
	if err := store.CheckCached("cached value", v); err != nil {
		return err
	}
	if err := store.CheckTTL("cache ttl", ttl); err != nil {
		return err
	}
	if err := s.rdb.Set(ctx, s.key("cache", key), v, ttl).Err(); err != nil {
		return fmt.Errorf("cache put: %w", err)
	}
	return nil
}

// CacheDelete forgets key.
func (s *Store) CacheDelete(ctx context.Context, key string) error {
	if err := store.CheckKey("cache key", key); err != nil {
		return err
	}
	if err := s.rdb.Del(ctx, s.key("cache", key)).Err(); err != nil {
		return fmt.Errorf("cache delete: %w", err)
	}
	return nil
}
