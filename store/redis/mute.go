package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/provbot/provbot/store"
)

var mutesPrune = script("mutes_prune", false)

// muteRecord is a mute as kept in the mutes hash.
type muteRecord struct {
	UntilMS int64  `json:"untilMs"`
	By      string `json:"by,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// PutMute mutes m.App until m.Until.
func (s *Store) PutMute(ctx context.Context, m store.Mute) error {
	if err := m.Validate(); err != nil {
		return err
	}
	v, err := json.Marshal(muteRecord{UntilMS: ms(m.Until), By: m.By, Reason: m.Reason})
	if err != nil {
		return fmt.Errorf("put mute: %w", err)
	}
	_, err = s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.HSet(ctx, s.key("mutes"), m.App, v)
		p.ZAdd(ctx, s.key("mutes", "until"), goredis.Z{Score: float64(ms(m.Until)), Member: m.App})
		return nil
	})
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
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.HDel(ctx, s.key("mutes"), app)
		p.ZRem(ctx, s.key("mutes", "until"), app)
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete mute: %w", err)
	}
	return nil
}

// Mutes returns the mutes in force at now, by app id, and forgets those
// that ended.
func (s *Store) Mutes(ctx context.Context, now time.Time) ([]store.Mute, error) {
	if err := mutesPrune.Run(ctx, s.rdb, []string{s.key("mutes"), s.key("mutes", "until")}, ms(now)).Err(); err != nil {
		return nil, fmt.Errorf("list mutes: %w", err)
	}
	all, err := s.rdb.HGetAll(ctx, s.key("mutes")).Result()
	if err != nil {
		return nil, fmt.Errorf("list mutes: %w", err)
	}
	out := make([]store.Mute, 0, len(all))
	for app, v := range all {
		var r muteRecord
		if err := json.Unmarshal([]byte(v), &r); err != nil {
			return nil, fmt.Errorf("list mutes: app %s: %w", app, err)
		}
		out = append(out, store.Mute{App: app, Until: fromMS(r.UntilMS), By: r.By, Reason: r.Reason})
	}
	slices.SortFunc(out, func(a, b store.Mute) int { return strings.Compare(a.App, b.App) })
	return out, nil
}
