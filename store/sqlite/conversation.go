package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/provbot/provbot/store"
)

// PutConversation stores the reference under key.
func (s *Store) PutConversation(ctx context.Context, key string, ref []byte) error {
	if err := store.CheckKey("conversation key", key); err != nil {
		return err
	}
	if err := store.CheckValue("conversation reference", ref); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO conversations (key, ref, updated_ms) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET ref = excluded.ref, updated_ms = excluded.updated_ms`, key, nonNil(ref), ms(s.now()))
	if err != nil {
		return fmt.Errorf("put conversation: %w", err)
	}
	return nil
}

// Conversation returns the reference stored under key.
func (s *Store) Conversation(ctx context.Context, key string) ([]byte, error) {
	if err := store.CheckKey("conversation key", key); err != nil {
		return nil, err
	}
	var ref []byte
	err := s.db.QueryRowContext(ctx, "SELECT ref FROM conversations WHERE key = ?", key).Scan(&ref)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("conversation %q: %w", key, store.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("get conversation: %w", err)
	}
	return ref, nil
}

// DeleteConversation forgets key.
func (s *Store) DeleteConversation(ctx context.Context, key string) error {
	if err := store.CheckKey("conversation key", key); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM conversations WHERE key = ?", key); err != nil {
		return fmt.Errorf("delete conversation: %w", err)
	}
	return nil
}
