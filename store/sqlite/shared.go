package sqlite

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/store/inproc"
)

// bucketSet holds the in-process buckets by name.
type bucketSet struct {
	now func() time.Time

	mu sync.Mutex
	m  map[string]*inproc.Bucket
}

// Bucket returns the in-process bucket called name.
func (s *Store) Bucket(name string, limit int, window time.Duration) (store.Bucket, error) {
	if err := store.CheckBucket(name, limit, window); err != nil {
		return nil, err
	}
	bs := &s.buckets
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if b := bs.m[name]; b != nil {
		if n, per := b.Limit(); n != limit || per != window {
			return nil, fmt.Errorf("bucket %s is %d per %v, asked for %d per %v: %w", name, n, per, limit, window, store.ErrInvalid)
		}
		return b, nil
	}
	if bs.m == nil {
		bs.m = map[string]*inproc.Bucket{}
	}
	b := inproc.NewBucket(limit, window, bs.now)
	bs.m[name] = b
	return b, nil
}

// Coalesce runs fn once for concurrent callers of key in this process.
func (s *Store) Coalesce(ctx context.Context, key string, hold, keep time.Duration, fn func(ctx context.Context) ([]byte, error)) ([]byte, bool, error) {
	if err := store.CheckCoalesce(key, hold, keep); err != nil {
		return nil, false, err
	}
	v, shared, err := s.flights.Coalesce(ctx, key, hold, keep, fn)
	if err == nil {
		err = store.CheckCached("coalesced value", v)
	}
	return v, shared, err
}

// CacheGet returns the value under key, if not expired.
func (s *Store) CacheGet(_ context.Context, key string) ([]byte, bool, error) {
	if err := store.CheckKey("cache key", key); err != nil {
		return nil, false, err
	}
	v, ok := s.cache.Get(key)
	return v, ok, nil
}

// CachePut stores v under key for ttl.
func (s *Store) CachePut(_ context.Context, key string, v []byte, ttl time.Duration) error {
	if err := store.CheckKey("cache key", key); err != nil {
		return err
	}
	if err := store.CheckCached("cached value", v); err != nil {
		return err
	}
	if err := store.CheckTTL("cache ttl", ttl); err != nil {
		return err
	}
	s.cache.Put(key, v, ttl)
	return nil
}

// CacheDelete forgets key.
func (s *Store) CacheDelete(_ context.Context, key string) error {
	if err := store.CheckKey("cache key", key); err != nil {
		return err
	}
	s.cache.Delete(key)
	return nil
}

// QueueOffer puts item on this process's queue.
func (s *Store) QueueOffer(_ context.Context, queue, item string, ttl time.Duration) (bool, error) {
	if err := store.CheckOffer(queue, item, ttl); err != nil {
		return false, err
	}
	return s.queues.Offer(queue, item, ttl)
}

// QueueClaim takes up to max of the queue's oldest offered items.
func (s *Store) QueueClaim(_ context.Context, queue string, max int, lease time.Duration) ([]string, error) {
	if err := store.CheckClaim(queue, max, lease); err != nil {
		return nil, err
	}
	return s.queues.Claim(queue, max, lease), nil
}

// QueueWithdraw takes items off the queue but the claimed ones.
func (s *Store) QueueWithdraw(_ context.Context, queue string, items ...string) ([]string, error) {
	if err := store.CheckWithdraw(queue, items); err != nil {
		return nil, err
	}
	return s.queues.Withdraw(queue, items), nil
}
