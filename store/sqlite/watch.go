package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/provbot/provbot/store"
)

const watchColumns = "id, owner, conversation, subject, app, state, due_ms, expires_ms, created_ms, version"

// scanWatch reads one row of watchColumns.
func scanWatch(row interface{ Scan(...any) error }) (store.Watch, error) {
	var w store.Watch
	var due, expires, created int64
	if err := row.Scan(&w.ID, &w.Owner, &w.Conversation, &w.Subject, &w.App, &w.State, &due, &expires, &created, &w.Version); err != nil {
		return store.Watch{}, err
	}
	if len(w.State) == 0 {
		w.State = nil
	}
	w.DueAt, w.ExpiresAt, w.CreatedAt = fromMS(due), fromMS(expires), fromMS(created)
	return w, nil
}

// CreateWatch stores a new watch.
func (s *Store) CreateWatch(ctx context.Context, w store.Watch) (store.Watch, error) {
	if err := w.Validate(); err != nil {
		return store.Watch{}, err
	}
	w.ID, w.Version = newID(), 1
	var existing store.Watch
	err := s.tx(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, "SELECT "+watchColumns+` FROM watches
			WHERE owner = ? COLLATE NOCASE AND subject = ? COLLATE NOCASE AND app = ? COLLATE NOCASE`, w.Owner, w.Subject, w.App)
		got, err := scanWatch(row)
		switch {
		case err == nil:
			existing = got
			return fmt.Errorf("watch of %s in %q for %s: %w", w.Subject, w.App, w.Owner, store.ErrExists)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO watches ("+watchColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			w.ID, w.Owner, w.Conversation, w.Subject, w.App, nonNil(w.State), ms(w.DueAt), ms(w.ExpiresAt), ms(w.CreatedAt), w.Version)
		return err
	})
	switch {
	case errors.Is(err, store.ErrExists):
		return existing, err
	case err != nil:
		return store.Watch{}, fmt.Errorf("create watch: %w", err)
	}
	return readBack(w), nil
}

// readBack is w as the store returns it: times to the millisecond in
// UTC, an empty state as nil.
func readBack(w store.Watch) store.Watch {
	w.DueAt, w.ExpiresAt, w.CreatedAt = fromMS(ms(w.DueAt)), fromMS(ms(w.ExpiresAt)), fromMS(ms(w.CreatedAt))
	if len(w.State) == 0 {
		w.State = nil
	}
	return w
}

// Watch returns the watch with id.
func (s *Store) Watch(ctx context.Context, id string) (store.Watch, error) {
	if err := store.CheckKey("watch id", id); err != nil {
		return store.Watch{}, err
	}
	w, err := scanWatch(s.db.QueryRowContext(ctx, "SELECT "+watchColumns+" FROM watches WHERE id = ?", id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.Watch{}, fmt.Errorf("watch %s: %w", id, store.ErrNotFound)
	case err != nil:
		return store.Watch{}, fmt.Errorf("get watch: %w", err)
	}
	return w, nil
}

// WatchesByOwner returns owner's watches, oldest first.
func (s *Store) WatchesByOwner(ctx context.Context, owner string) ([]store.Watch, error) {
	if err := store.CheckKey("watch owner", owner); err != nil {
		return nil, err
	}
	return s.queryWatches(ctx, "SELECT "+watchColumns+" FROM watches WHERE owner = ? COLLATE NOCASE ORDER BY created_ms, id", owner)
}

// DueWatches returns up to limit watches due at now, earliest first.
func (s *Store) DueWatches(ctx context.Context, now time.Time, limit int) ([]store.Watch, error) {
	if limit < 1 {
		return nil, fmt.Errorf("due watches: limit %d: %w", limit, store.ErrInvalid)
	}
	return s.queryWatches(ctx, "SELECT "+watchColumns+" FROM watches WHERE due_ms <= ? ORDER BY due_ms, id LIMIT ?", ms(now), limit)
}

func (s *Store) queryWatches(ctx context.Context, query string, args ...any) ([]store.Watch, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list watches: %w", err)
	}
	defer rows.Close()
	var out []store.Watch
	for rows.Next() {
		w, err := scanWatch(rows)
		if err != nil {
			return nil, fmt.Errorf("list watches: %w", err)
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list watches: %w", err)
	}
	return out, nil
}

// UpdateWatch replaces the watch's changing fields when its version
// matches.
func (s *Store) UpdateWatch(ctx context.Context, w store.Watch, f store.Fence) (store.Watch, error) {
	if err := w.ValidateUpdate(); err != nil {
		return store.Watch{}, err
	}
	var out store.Watch
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.fenced(ctx, tx, f); err != nil {
			return err
		}
		cur, err := scanWatch(tx.QueryRowContext(ctx, "SELECT "+watchColumns+" FROM watches WHERE id = ?", w.ID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("watch %s: %w", w.ID, store.ErrNotFound)
		case err != nil:
			return err
		case cur.Version != w.Version:
			return fmt.Errorf("watch %s version %d, stored %d: %w", w.ID, w.Version, cur.Version, store.ErrConflict)
		}
		cur.Conversation, cur.State, cur.DueAt, cur.ExpiresAt = w.Conversation, w.State, w.DueAt, w.ExpiresAt
		cur.Version++
		_, err = tx.ExecContext(ctx, `UPDATE watches SET conversation = ?, state = ?, due_ms = ?, expires_ms = ?, version = ?
			WHERE id = ?`, cur.Conversation, nonNil(cur.State), ms(cur.DueAt), ms(cur.ExpiresAt), cur.Version, cur.ID)
		out = readBack(cur)
		return err
	})
	if err != nil {
		return store.Watch{}, fmt.Errorf("update watch: %w", err)
	}
	return out, nil
}

// DeleteWatch removes the watch when its version matches (0: any).
func (s *Store) DeleteWatch(ctx context.Context, id string, version int64, f store.Fence) error {
	if err := store.CheckKey("watch id", id); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.fenced(ctx, tx, f); err != nil {
			return err
		}
		var cur int64
		err := tx.QueryRowContext(ctx, "SELECT version FROM watches WHERE id = ?", id).Scan(&cur)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("watch %s: %w", id, store.ErrNotFound)
		case err != nil:
			return err
		case version != 0 && cur != version:
			return fmt.Errorf("watch %s version %d, stored %d: %w", id, version, cur, store.ErrConflict)
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM watches WHERE id = ?", id)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete watch: %w", err)
	}
	return nil
}
