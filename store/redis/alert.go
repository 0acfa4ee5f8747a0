package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"github.com/provbot/provbot/store"
)

var (
	episodeOpen   = script("episode_open", true)
	episodeUpdate = script("episode_update", true)
	episodeClose  = script("episode_close", true)
)

// channelRecord is an alert channel as kept in the channels hash.
type channelRecord struct {
	Conversation string `json:"conversation"`
	AddedBy      string `json:"addedBy,omitempty"`
	AddedMS      int64  `json:"addedMs"`
}

// PutAlertChannel registers (or updates) a channel.
func (s *Store) PutAlertChannel(ctx context.Context, c store.AlertChannel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	v, err := json.Marshal(channelRecord{Conversation: c.Conversation, AddedBy: c.AddedBy, AddedMS: ms(c.AddedAt)})
	if err != nil {
		return fmt.Errorf("put alert channel: %w", err)
	}
	if err := s.rdb.HSet(ctx, s.key("alert-channels"), c.ID, v).Err(); err != nil {
		return fmt.Errorf("put alert channel: %w", err)
	}
	return nil
}

// DeleteAlertChannel unregisters a channel.
func (s *Store) DeleteAlertChannel(ctx context.Context, id string) error {
	if err := store.CheckKey("alert channel id", id); err != nil {
		return err
	}
	if err := s.rdb.HDel(ctx, s.key("alert-channels"), id).Err(); err != nil {
		return fmt.Errorf("delete alert channel: %w", err)
	}
	return nil
}

// AlertChannels returns the channels in the order they were added.
func (s *Store) AlertChannels(ctx context.Context) ([]store.AlertChannel, error) {
	all, err := s.rdb.HGetAll(ctx, s.key("alert-channels")).Result()
	if err != nil {
		return nil, fmt.Errorf("list alert channels: %w", err)
	}
	out := make([]store.AlertChannel, 0, len(all))
	for id, v := range all {
		var r channelRecord
		if err := json.Unmarshal([]byte(v), &r); err != nil {
			return nil, fmt.Errorf("list alert channels: channel %s: %w", id, err)
		}
		out = append(out, store.AlertChannel{ID: id, Conversation: r.Conversation, AddedBy: r.AddedBy, AddedAt: fromMS(r.AddedMS)})
	}
	slices.SortFunc(out, func(a, b store.AlertChannel) int {
		if c := a.AddedAt.Compare(b.AddedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// OpenEpisode opens e unless an episode with its key is open.
func (s *Store) OpenEpisode(ctx context.Context, e store.Episode, f store.Fence) (store.Episode, bool, error) {
	if err := e.Validate(); err != nil {
		return store.Episode{}, false, err
	}
	lease, token, err := s.fenceArgs(f)
	if err != nil {
		return store.Episode{}, false, err
	}
	res, err := episodeOpen.Run(ctx, s.rdb, []string{lease, s.key("episode", e.Key), s.key("episodes")},
		token, e.Key, ms(e.OpenedAt), e.State).Result()
	if err != nil {
		return store.Episode{}, false, fmt.Errorf("open episode: %w", err)
	}
	list, ok := res.([]any)
	switch {
	case !ok:
		_, err := scriptResult(res, "open episode "+e.Key)
		return store.Episode{}, false, err
	case len(list) == 1:
		e.Version, e.OpenedAt, e.State = 1, fromMS(ms(e.OpenedAt)), orNil(e.State)
		return e, true, nil
	}
	cur, err := decodeEpisode(e.Key, list)
	if err != nil {
		return store.Episode{}, false, fmt.Errorf("open episode: %w", err)
	}
	return cur, false, nil
}

// decodeEpisode reads {[marker,] opened, state, version} answers.
func decodeEpisode(key string, list []any) (store.Episode, error) {
	if len(list) == 4 {
		list = list[1:]
	}
	if len(list) != 3 {
		return store.Episode{}, fmt.Errorf("episode %s: unexpected answer %v", key, list)
	}
	opened, _ := list[0].(string)
	state, _ := list[1].(string)
	version, _ := list[2].(string)
	e := store.Episode{Key: key, State: orNil([]byte(state))}
	var err error
	if e.OpenedAt, err = parseMS(opened); err != nil {
		return store.Episode{}, err
	}
	if e.Version, err = strconv.ParseInt(version, 10, 64); err != nil {
		return store.Episode{}, fmt.Errorf("episode %s: stored version %q: %w", key, version, err)
	}
	return e, nil
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
	lease, token, err := s.fenceArgs(f)
	if err != nil {
		return store.Episode{}, err
	}
	res, err := episodeUpdate.Run(ctx, s.rdb, []string{lease, s.key("episode", e.Key)}, token, e.Version, e.State).Result()
	if err != nil {
		return store.Episode{}, fmt.Errorf("update episode: %w", err)
	}
	list, ok := res.([]any)
	if !ok || len(list) != 2 || list[0] == int64(-3) {
		_, err := scriptResult(res, "update episode "+e.Key)
		return store.Episode{}, err
	}
	v, _ := list[0].(int64)
	opened, _ := list[1].(string)
	e.Version, e.State = v, orNil(e.State)
	if e.OpenedAt, err = parseMS(opened); err != nil {
		return store.Episode{}, fmt.Errorf("update episode: %w", err)
	}
	return e, nil
}

// CloseEpisode ends the open episode with key and returns it.
func (s *Store) CloseEpisode(ctx context.Context, key string, f store.Fence) (store.Episode, error) {
	if err := store.CheckKey("episode key", key); err != nil {
		return store.Episode{}, err
	}
	lease, token, err := s.fenceArgs(f)
	if err != nil {
		return store.Episode{}, err
	}
	res, err := episodeClose.Run(ctx, s.rdb, []string{lease, s.key("episode", key), s.key("episodes")}, token, key).Result()
	if err != nil {
		return store.Episode{}, fmt.Errorf("close episode: %w", err)
	}
	list, ok := res.([]any)
	if !ok {
		_, err := scriptResult(res, "close episode "+key)
		return store.Episode{}, err
	}
	return decodeEpisode(key, list)
}

// OpenEpisodes returns the open episodes, oldest first.
func (s *Store) OpenEpisodes(ctx context.Context) ([]store.Episode, error) {
	keys, err := s.rdb.ZRange(ctx, s.key("episodes"), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("list episodes: %w", err)
	}
	pipe := s.rdb.Pipeline()
	cmds := make([]*goredis.SliceCmd, len(keys))
	for i, k := range keys {
		cmds[i] = pipe.HMGet(ctx, s.key("episode", k), "opened", "state", "version")
	}
	if _, err := pipe.Exec(ctx); err != nil && !isNil(err) {
		return nil, fmt.Errorf("list episodes: %w", err)
	}
	var out []store.Episode
	for i, c := range cmds {
		vals := c.Val()
		if len(vals) != 3 || vals[0] == nil {
			continue // closed meanwhile
		}
		e, err := decodeEpisode(keys[i], vals)
		if err != nil {
			return nil, fmt.Errorf("list episodes: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}
