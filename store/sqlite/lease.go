package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/provbot/provbot/store"
)

// AcquireLease takes or renews the lease name for holder.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (store.Lease, error) {
	if err := store.CheckLease(name, holder, ttl); err != nil {
		return store.Lease{}, err
	}
	var out store.Lease
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var curHolder string
		var token, expires int64
		err := tx.QueryRowContext(ctx, "SELECT holder, token, expires_ms FROM leases WHERE name = ?", name).Scan(&curHolder, &token, &expires)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case expires > ms(now) && curHolder != holder:
			return fmt.Errorf("lease %s held by %s until %s: %w", name, curHolder, fromMS(expires).Format(time.RFC3339Nano), store.ErrLeaseHeld)
		}
		if expires <= ms(now) || curHolder != holder {
			token++ // a new term
		}
		out = store.Lease{Name: name, Holder: holder, Token: token, Expires: fromMS(ms(now.Add(ttl)))}
		_, err = tx.ExecContext(ctx, `INSERT INTO leases (name, holder, token, expires_ms) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token, expires_ms = excluded.expires_ms`,
			name, holder, token, ms(out.Expires))
		return err
	})
	if err != nil {
		return store.Lease{}, fmt.Errorf("acquire lease: %w", err)
	}
	return out, nil
}

// ReleaseLease gives l up when it is still held with its token.
func (s *Store) ReleaseLease(ctx context.Context, l store.Lease) error {
	if err := store.CheckKey("lease name", l.Name); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, "UPDATE leases SET holder = '', expires_ms = 0 WHERE name = ? AND holder = ? AND token = ?",
		l.Name, l.Holder, l.Token)
	if err != nil {
		return fmt.Errorf("release lease: %w", err)
	}
	return nil
}
