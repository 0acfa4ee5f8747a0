package redis

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/provbot/provbot/store"
)

var (
	watchCreate = script("watch_create", false)
	watchUpdate = script("watch_update", true)
	watchDelete = script("watch_delete", true)
)

// identity is the field of the identity hash for one owner, subject and
// app (object ids: case does not matter; keys hold no control
// characters, so a newline separates them).
func identity(w store.Watch) string {
	return strings.ToLower(w.Owner) + "\n" + strings.ToLower(w.Subject) + "\n" + strings.ToLower(w.App)
}

// CreateWatch stores a new watch.
func (s *Store) CreateWatch(ctx context.Context, w store.Watch) (store.Watch, error) {
	if err := w.Validate(); err != nil {
		return store.Watch{}, err
	}
	w.ID, w.Version = newID(), 1
	res, err := watchCreate.Run(ctx, s.rdb,
		[]string{s.key("watch", w.ID), s.key("watches", "due"), s.key("watches", "owner", strings.ToLower(w.Owner)), s.key("watches", "identity")},
		w.ID, identity(w), w.Owner, w.Conversation, w.Subject, w.App, w.State, ms(w.DueAt), ms(w.ExpiresAt), ms(w.CreatedAt)).Slice()
	if err != nil {
		return store.Watch{}, fmt.Errorf("create watch: %w", err)
	}
	if res[0] == int64(0) {
		id, _ := res[1].(string)
		existing, err := s.Watch(ctx, id)
		if err != nil {
			return store.Watch{}, fmt.Errorf("create watch: %w", err)
		}
		return existing, fmt.Errorf("create watch: watch of %s in %q for %s: %w", w.Subject, w.App, w.Owner, store.ErrExists)
	}
	w.DueAt, w.ExpiresAt, w.CreatedAt = fromMS(ms(w.DueAt)), fromMS(ms(w.ExpiresAt)), fromMS(ms(w.CreatedAt))
	w.State = orNil(w.State)
	return w, nil
}

// Watch returns the watch with id.
func (s *Store) Watch(ctx context.Context, id string) (store.Watch, error) {
	if err := store.CheckKey("watch id", id); err != nil {
		return store.Watch{}, err
	}
	ws, err := s.readWatches(ctx, []string{id})
	if err != nil {
		return store.Watch{}, fmt.Errorf("get watch: %w", err)
	}
	if len(ws) == 0 {
		return store.Watch{}, fmt.Errorf("watch %s: %w", id, store.ErrNotFound)
	}
	return ws[0], nil
}

// readWatches reads the watches with ids, in order, skipping those gone.
func (s *Store) readWatches(ctx context.Context, ids []string) ([]store.Watch, error) {
	pipe := s.rdb.Pipeline()
	cmds := make([]*goredis.MapStringStringCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.HGetAll(ctx, s.key("watch", id))
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, err
	}
	var out []store.Watch
	for _, c := range cmds {
		f := c.Val()
		if len(f) == 0 {
			continue
		}
		w, err := decodeWatch(f)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

// decodeWatch reads a watch hash.
func decodeWatch(f map[string]string) (store.Watch, error) {
	w := store.Watch{ID: f["id"], Owner: f["owner"], Conversation: f["conversation"], Subject: f["subject"], App: f["app"],
		State: orNil([]byte(f["state"]))}
	var err error
	if w.DueAt, err = parseMS(f["due"]); err != nil {
		return store.Watch{}, err
	}
	if w.ExpiresAt, err = parseMS(f["expires"]); err != nil {
		return store.Watch{}, err
	}
	if w.CreatedAt, err = parseMS(f["created"]); err != nil {
		return store.Watch{}, err
	}
	if w.Version, err = strconv.ParseInt(f["version"], 10, 64); err != nil {
		return store.Watch{}, fmt.Errorf("stored version %q: %w", f["version"], err)
	}
	return w, nil
}

// WatchesByOwner returns owner's watches, oldest first.
func (s *Store) WatchesByOwner(ctx context.Context, owner string) ([]store.Watch, error) {
	if err := store.CheckKey("watch owner", owner); err != nil {
		return nil, err
	}
	// Members of equal score (creation time) come in id order.
	ids, err := s.rdb.ZRange(ctx, s.key("watches", "owner", strings.ToLower(owner)), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("list watches: %w", err)
	}
	ws, err := s.readWatches(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("list watches: %w", err)
	}
	return ws, nil
}

// DueWatches returns up to limit watches due at now, earliest first.
func (s *Store) DueWatches(ctx context.Context, now time.Time, limit int) ([]store.Watch, error) {
	if limit < 1 {
		return nil, fmt.Errorf("due watches: limit %d: %w", limit, store.ErrInvalid)
	}
	ids, err := s.rdb.ZRangeArgs(ctx, goredis.ZRangeArgs{Key: s.key("watches", "due"), Start: "-inf",
		Stop: strconv.FormatInt(ms(now), 10), ByScore: true, Count: int64(limit)}).Result()
	if err != nil {
		return nil, fmt.Errorf("due watches: %w", err)
	}
	ws, err := s.readWatches(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("due watches: %w", err)
	}
	return ws, nil
}

// UpdateWatch replaces the watch's changing fields when its version
// matches.
func (s *Store) UpdateWatch(ctx context.Context, w store.Watch, f store.Fence) (store.Watch, error) {
	if err := w.ValidateUpdate(); err != nil {
		return store.Watch{}, err
	}
	lease, token, err := s.fenceArgs(f)
	if err != nil {
		return store.Watch{}, err
	}
	res, err := watchUpdate.Run(ctx, s.rdb, []string{lease, s.key("watch", w.ID), s.key("watches", "due")},
		token, w.Version, w.Conversation, w.State, ms(w.DueAt), ms(w.ExpiresAt)).Result()
	if err != nil {
		return store.Watch{}, fmt.Errorf("update watch: %w", err)
	}
	if f, ok := hashResult(res); ok {
		return decodeWatch(f)
	}
	if _, err := scriptResult(res, "update watch "+w.ID); err != nil {
		return store.Watch{}, err
	}
	return store.Watch{}, fmt.Errorf("update watch %s: unexpected script answer %v", w.ID, res)
}

// hashResult reads a script's HGETALL answer: a flat list of field names
// and values.
func hashResult(res any) (map[string]string, bool) {
	list, ok := res.([]any)
	if !ok || len(list) == 0 || len(list)%2 != 0 {
		return nil, false
	}
	f := make(map[string]string, len(list)/2)
	for i := 0; i < len(list); i += 2 {
		k, ok1 := list[i].(string)
		v, ok2 := list[i+1].(string)
		if !ok1 || !ok2 {
			return nil, false
		}
		f[k] = v
	}
	return f, true
}

// DeleteWatch removes the watch when its version matches (0: any).
func (s *Store) DeleteWatch(ctx context.Context, id string, version int64, f store.Fence) error {
	if err := store.CheckKey("watch id", id); err != nil {
		return err
	}
	lease, token, err := s.fenceArgs(f)
	if err != nil {
		return err
	}
	res, err := watchDelete.Run(ctx, s.rdb, []string{lease, s.key("watch", id), s.key("watches", "due"), s.key("watches", "identity")},
		token, version).Result()
	if err != nil {
		return fmt.Errorf("delete watch: %w", err)
	}
	_, err = scriptResult(res, "delete watch "+id)
	return err
}
