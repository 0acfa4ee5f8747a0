package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/provbot/provbot/store"
)

// PutAlertChannel registers (or updates) a channel.
func (s *Store) PutAlertChannel(ctx context.Context, c store.AlertChannel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO alert_channels (id, conversation, added_by, added_ms) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET conversation = excluded.conversation, added_by = excluded.added_by, added_ms = excluded.added_ms`,
		c.ID, c.Conversation, c.AddedBy, ms(c.AddedAt))
	if err != nil {
		return fmt.Errorf("put alert channel: %w", err)
	}
	return nil
}

// DeleteAlertChannel unregisters a channel.
func (s *Store) DeleteAlertChannel(ctx context.Context, id string) error {
	if err := store.CheckKey("alert channel id", id); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM alert_channels WHERE id = ?", id); err != nil {
		return fmt.Errorf("delete alert channel: %w", err)
	}
	return nil
}

// AlertChannels returns the channels in the order they were added.
func (s *Store) AlertChannels(ctx context.Context) ([]store.AlertChannel, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, conversation, added_by, added_ms FROM alert_channels ORDER BY added_ms, id")
	if err != nil {
		return nil, fmt.Errorf("list alert channels: %w", err)
	}
	defer rows.Close()
	var out []store.AlertChannel
	for rows.Next() {
		var c store.AlertChannel
		var added int64
		if err := rows.Scan(&c.ID, &c.Conversation, &c.AddedBy, &added); err != nil {
			return nil, fmt.Errorf("list alert channels: %w", err)
		}
		c.AddedAt = fromMS(added)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list alert channels: %w", err)
	}
	return out, nil
}

const episodeColumns = "key, opened_ms, state, version"

func scanEpisode(row interface{ Scan(...any) error }) (store.Episode, error) {
	var e store.Episode
	var opened int64
	if err := row.Scan(&e.Key, &opened, &e.State, &e.Version); err != nil {
		return store.Episode{}, err
	}
	if len(e.State) == 0 {
		e.State = nil
	}
	e.OpenedAt = fromMS(opened)
	return e, nil
}

// OpenEpisode opens e unless an episode with its key is open.
func (s *Store) OpenEpisode(ctx context.Context, e store.Episode, f store.Fence) (store.Episode, bool, error) {
	if err := e.Validate(); err != nil {
		return store.Episode{}, false, err
	}
	var out store.Episode
	opened := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.fenced(ctx, tx, f); err != nil {
			return err
		}
		cur, err := scanEpisode(tx.QueryRowContext(ctx, "SELECT "+episodeColumns+" FROM episodes WHERE key = ?", e.Key))
		switch {
		case err == nil:
			out = cur
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		e.Version = 1
		if _, err := tx.ExecContext(ctx, "INSERT INTO episodes ("+episodeColumns+") VALUES (?, ?, ?, ?)",
			e.Key, ms(e.OpenedAt), nonNil(e.State), e.Version); err != nil {
			return err
		}
		out, opened = e, true
		out.OpenedAt = fromMS(ms(e.OpenedAt))
		if len(out.State) == 0 {
			out.State = nil
		}
		return nil
	})
	if err != nil {
		return store.Episode{}, false, fmt.Errorf("open episode: %w", err)
	}
	return out, opened, nil
}

// UpdateEpisode replaces the open episode's state when its version
// matches.
func (s *Store) UpdateEpisode(ctx context.Context, e store.Episode, f store.Fence) (store.Episode, error) {
	if err := store.CheckKey("episode key", e.Key); err != nil {
		return store.Episode{}, err
	}
	if err := store.CheckValue("episode state", e.State); err != nil {
		return store.Episode{}, err
	}
	var out store.Episode
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.fenced(ctx, tx, f); err != nil {
			return err
		}
		cur, err := scanEpisode(tx.QueryRowContext(ctx, "SELECT "+episodeColumns+" FROM episodes WHERE key = ?", e.Key))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("episode %s: %w", e.Key, store.ErrNotFound)
		case err != nil:
			return err
		case cur.Version != e.Version:
			return fmt.Errorf("episode %s version %d, stored %d: %w", e.Key, e.Version, cur.Version, store.ErrConflict)
		}
		cur.State, cur.Version = e.State, cur.Version+1
		if len(cur.State) == 0 {
			cur.State = nil
		}
		_, err = tx.ExecContext(ctx, "UPDATE episodes SET state = ?, version = ? WHERE key = ?", nonNil(cur.State), cur.Version, cur.Key)
		out = cur
		return err
	})
	if err != nil {
		return store.Episode{}, fmt.Errorf("update episode: %w", err)
	}
	return out, nil
}

// CloseEpisode ends the open episode with key and returns it.
func (s *Store) CloseEpisode(ctx context.Context, key string, f store.Fence) (store.Episode, error) {
	if err := store.CheckKey("episode key", key); err != nil {
		return store.Episode{}, err
	}
	var out store.Episode
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.fenced(ctx, tx, f); err != nil {
			return err
		}
		cur, err := scanEpisode(tx.QueryRowContext(ctx, "SELECT "+episodeColumns+" FROM episodes WHERE key = ?", key))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("episode %s: %w", key, store.ErrNotFound)
		case err != nil:
			return err
		}
		out = cur
		_, err = tx.ExecContext(ctx, "DELETE FROM episodes WHERE key = ?", key)
		return err
	})
	if err != nil {
		return store.Episode{}, fmt.Errorf("close episode: %w", err)
	}
	return out, nil
}

// OpenEpisodes returns the open episodes, oldest first.
func (s *Store) OpenEpisodes(ctx context.Context) ([]store.Episode, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+episodeColumns+" FROM episodes ORDER BY opened_ms, key")
	if err != nil {
		return nil, fmt.Errorf("list episodes: %w", err)
	}
	defer rows.Close()
	var out []store.Episode
	for rows.Next() {
		e, err := scanEpisode(rows)
		if err != nil {
			return nil, fmt.Errorf("list episodes: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list episodes: %w", err)
	}
	return out, nil
}
