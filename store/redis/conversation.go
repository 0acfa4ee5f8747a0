package redis

import (
	"context"
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
	if err := s.rdb.Set(ctx, s.key("conv", key), ref, 0).Err(); err != nil {
		return fmt.Errorf("put conversation: %w", err)
	}
	return nil
}

// Conversation returns the reference stored under key.
func (s *Store) Conversation(ctx context.Context, key string) ([]byte, error) {
	if err := store.CheckKey("conversation key", key); err != nil {
		return nil, err
	}
	ref, err := s.rdb.Get(ctx, s.key("conv", key)).Bytes()
	switch {
	case isNil(err):
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
	if err := s.rdb.Del(ctx, s.key("conv", key)).Err(); err != nil {
		return fmt.Errorf("delete conversation: %w", err)
	}
	return nil
}
