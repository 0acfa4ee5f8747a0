package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/provbot/provbot/store"
)

// PutMute mutes m.App until m.Until.
func (s *Store) PutMute(ctx context.Context, m store.Mute) error {
	if err := m.Validate(); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO mutes (app, until_ms, muted_by, reason) VALUES (?, ?, ?, ?)
		ON CONFLICT (app) DO UPDATE SET until_ms = excluded.until_ms, muted_by = excluded.muted_by, reason = excluded.reason`,
		m.App, ms(m.Until), m.By, m.Reason)
	if err != nil {
		return fmt.Errorf("put mute: %w", err)
	}
	return nil
}

// DeleteMute unmutes app.
func (s *Store) DeleteMute(ctx context.Context, app string) error {
	if err := store.CheckKey("muted app", app); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM mutes WHERE app = ?", app); err != nil {
		return fmt.Errorf("delete mute: %w", err)
	}
	return nil
}

// Mutes returns the mutes in force at now, by app id, and forgets those
// that ended.
func (s *Store) Mutes(ctx context.Context, now time.Time) ([]store.Mute, error) {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM mutes WHERE until_ms <= ?", ms(now)); err != nil {
		return nil, fmt.Errorf("list mutes: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT app, until_ms, muted_by, reason FROM mutes ORDER BY app")
	if err != nil {
		return nil, fmt.Errorf("list mutes: %w", err)
	}
	defer rows.Close()
	var out []store.Mute
	for rows.Next() {
		var m store.Mute
		var until int64
		if err := rows.Scan(&m.App, &until, &m.By, &m.Reason); err != nil {
			return nil, fmt.Errorf("list mutes: %w", err)
		}
		m.Until = fromMS(until)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list mutes: %w", err)
	}
	return out, nil
}
