package redis

import (
	"context"
	"fmt"
	"time"

	"github.com/provbot/provbot/store"
)

var (
	leaseAcquire = script("lease_acquire", false)
	leaseRelease = script("lease_release", false)
)

// AcquireLease takes or renews the lease name for holder. The expiry is
// kept by Redis (PEXPIRE); the returned Expires is the local clock's
// estimate.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (store.Lease, error) {
	if err := store.CheckLease(name, holder, ttl); err != nil {
		return store.Lease{}, err
	}
	asked := time.Now()
	res, err := leaseAcquire.Run(ctx, s.rdb, []string{s.key("lease", name), s.key("lease-token", name)}, holder, ttl.Milliseconds()).Slice()
	if err != nil {
		return store.Lease{}, fmt.Errorf("acquire lease: %w", err)
	}
	if res[0] == int64(0) {
		left, _ := res[2].(int64)
		return store.Lease{}, fmt.Errorf("acquire lease: lease %s held by %v for %v more: %w", name, res[1],
			time.Duration(left)*time.Millisecond, store.ErrLeaseHeld)
	}
	token, _ := res[1].(int64)
	return store.Lease{Name: name, Holder: holder, Token: token, Expires: asked.Add(ttl).UTC()}, nil
}

// ReleaseLease gives l up when it is still held with its token.
func (s *Store) ReleaseLease(ctx context.Context, l store.Lease) error {
	if err := store.CheckKey("lease name", l.Name); err != nil {
		return err
	}
	if err := leaseRelease.Run(ctx, s.rdb, []string{s.key("lease", l.Name)}, l.Holder, l.Token).Err(); err != nil {
		return fmt.Errorf("release lease: %w", err)
	}
	return nil
}
