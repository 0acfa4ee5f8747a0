package store

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// The kinds of failure; adapters wrap them with context, match them with
// errors.Is.
var (
	// ErrNotFound: no such record (or it expired).
	ErrNotFound = errors.New("not found")
	// ErrExists: a record with the same identity exists already.
	ErrExists = errors.New("already exists")
	// ErrConflict: the record changed since it was read (its Version
	// differs); read it again and decide again.
	ErrConflict = errors.New("changed since it was read")
	// ErrLeaseHeld: another holder has the lease.
	ErrLeaseHeld = errors.New("lease held by another holder")
	// ErrFenced: a write carried a Fence whose lease is no longer held with
	// that token (the writer lost its leadership); nothing was written.
	ErrFenced = errors.New("lease lost: write refused")
	// ErrFull: a bounded collection (a queue) has no room; nothing was
	// written.
	ErrFull = errors.New("full")
	// ErrInvalid: an argument was refused before anything was written.
	ErrInvalid = errors.New("invalid")
)

// Limits of what the store accepts.
const (
	// MaxKey is the longest key or id, in bytes.
	MaxKey = 512
	// MaxValue is the largest opaque value of a record, in bytes.
	MaxValue = 64 << 10
	// MaxCached is the largest value of the cache or of Coalesce, in
	// bytes (a user's provisioning log entries).
	MaxCached = 8 << 20
)

// CheckKey returns an ErrInvalid error when k is not a usable key: empty,
// longer than MaxKey, not UTF-8 or holding control characters. what names
// the key in the message.
func CheckKey(what, k string) error {
	switch {
	case k == "":
		return fmt.Errorf("%s is empty: %w", what, ErrInvalid)
	case len(k) > MaxKey:
		return fmt.Errorf("%s is %d bytes, at most %d: %w", what, len(k), MaxKey, ErrInvalid)
	case !utf8.ValidString(k):
		return fmt.Errorf("%s is not UTF-8: %w", what, ErrInvalid)
	}
	for _, r := range k {
		if unicode.IsControl(r) {
			return fmt.Errorf("%s holds a control character: %w", what, ErrInvalid)
		}
	}
	return nil
}

// CheckValue returns an ErrInvalid error when v is larger than MaxValue.
func CheckValue(what string, v []byte) error {
	if len(v) > MaxValue {
		return fmt.Errorf("%s is %d bytes, at most %d: %w", what, len(v), MaxValue, ErrInvalid)
	}
	return nil
}
