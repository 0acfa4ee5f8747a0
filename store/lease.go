package store

import (
	"context"
	"fmt"
	"time"
)

// Lease is a named lock with an expiry, held by one holder at a time: the
// leader of the job and watch pollers.
type Lease struct {
	// Name is what is led ("pollers").
	Name string
	// Holder identifies the process holding it (host name and process id,
	// or a random id).
	Holder string
	// Token is the fencing token: it grows each time the lease passes to a
	// new term (another holder, or the same one after it lapsed), and stays
	// the same while the holder renews it.
	Token int64
	// Expires is when the lease lapses unless renewed, by the local clock
	// at the time it was granted (approximate for store/redis, whose
	// server keeps the expiry).
	Expires time.Time
}

// Fence returns the fence for writes made under l.
func (l Lease) Fence() Fence { return Fence{Lease: l.Name, Token: l.Token} }

// Fence makes a write conditional on a lease: it happens only while the
// lease named Lease is held with Token. The zero Fence is no condition.
type Fence struct {
	Lease string
	Token int64
}

// IsZero reports whether f is no condition.
func (f Fence) IsZero() bool { return f.Lease == "" && f.Token == 0 }

// Check returns an ErrInvalid error for a fence that names no lease or
// has no token.
func (f Fence) Check() error {
	if f.IsZero() {
		return nil
	}
	if err := CheckKey("fence lease", f.Lease); err != nil {
		return err
	}
	if f.Token <= 0 {
		return fmt.Errorf("fence token %d: %w", f.Token, ErrInvalid)
	}
	return nil
}

// Leases keeps the leases.
type Leases interface {
	// AcquireLease takes the lease name for holder for ttl, or renews it
	// when holder has it already (the Token stays). When another holder
	// has it, the error wraps ErrLeaseHeld and names that holder.
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (Lease, error)
	// ReleaseLease gives l up when it is still held with its Token, so that
	// another holder can take it at once; otherwise it does nothing.
	ReleaseLease(ctx context.Context, l Lease) error
}

// CheckLease checks AcquireLease's arguments.
func CheckLease(name, holder string, ttl time.Duration) error {
	if err := CheckKey("lease name", name); err != nil {
		return err
	}
	if err := CheckKey("lease holder", holder); err != nil {
		return err
	}
	if ttl < time.Millisecond {
		return fmt.Errorf("lease ttl %v: want at least 1ms: %w", ttl, ErrInvalid)
	}
	return nil
}
