package store

import "context"

// Store is everything provbot keeps. It is safe for concurrent use.
// Implementations: store/sqlite and store/redis.
type Store interface {
	Conversations
	Watches
	Alerts
	Mutes
	Audit
	Leases
	Shared

	// Describe says where the state is kept, for logs and `provbot check`,
	// without any secret: "sqlite /var/lib/provbot/provbot.db",
	// "redis 10.0.0.4:6380 db 0 (TLS)".
	Describe() string
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
	// Close releases the store's connections and background work.
	Close() error
}

// Conversations keeps Bot Framework conversation references by a key the
// caller chooses (a person's Entra object id, a channel's conversation
// id), so provbot can message people and channels proactively. The
// reference is opaque here: the caller stores its JSON.
type Conversations interface {
	// PutConversation stores (or replaces) the reference under key.
	PutConversation(ctx context.Context, key string, ref []byte) error
	// Conversation returns the reference stored under key, or an error
	// wrapping ErrNotFound.
	Conversation(ctx context.Context, key string) ([]byte, error)
	// DeleteConversation forgets key; forgetting an unknown key is not an
	// error.
	DeleteConversation(ctx context.Context, key string) error
}
