package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/provbot/provbot/store"
)

// auditRecord is an audit record as kept in the audit sorted set.
type auditRecord struct {
	AtMS      int64  `json:"atMs"`
	Actor     string `json:"actor"`
	ActorName string `json:"actorName,omitempty"`
	Action    string `json:"action"`
	Subject   string `json:"subject,omitempty"`
	App       string `json:"app,omitempty"`
	Outcome   string `json:"outcome"`
	RequestID string `json:"requestId,omitempty"`
	Detail    string `json:"detail,omitempty"`
}

// AppendAudit records r. Members are "<sequence, 20 digits>|<JSON>", so
// records of the same millisecond keep the order they were appended in.
func (s *Store) AppendAudit(ctx context.Context, r store.AuditRecord) error {
	if err := r.Validate(); err != nil {
		return err
	}
	v, err := json.Marshal(auditRecord{AtMS: ms(r.At), Actor: r.Actor, ActorName: r.ActorName, Action: r.Action, Subject: r.Subject,
		App: r.App, Outcome: r.Outcome, RequestID: r.RequestID, Detail: r.Detail})
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	seq, err := s.rdb.Incr(ctx, s.key("audit", "seq")).Result()
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	member := fmt.Sprintf("%020d|%s", seq, v)
	if err := s.rdb.ZAdd(ctx, s.key("audit"), goredis.Z{Score: float64(ms(r.At)), Member: member}).Err(); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// AuditRecords returns up to limit records since since, newest first.
func (s *Store) AuditRecords(ctx context.Context, since time.Time, limit int) ([]store.AuditRecord, error) {
	if limit < 1 {
		return nil, fmt.Errorf("audit records: limit %d: %w", limit, store.ErrInvalid)
	}
	members, err := s.rdb.ZRevRangeByScore(ctx, s.key("audit"), &goredis.ZRangeBy{Min: strconv.FormatInt(ms(since), 10), Max: "+inf",
		Count: int64(limit)}).Result()
	if err != nil {
		return nil, fmt.Errorf("audit records: %w", err)
	}
	out := make([]store.AuditRecord, 0, len(members))
	for _, m := range members {
		_, v, ok := strings.Cut(m, "|")
		var r auditRecord
		if !ok || json.Unmarshal([]byte(v), &r) != nil {
			return nil, fmt.Errorf("audit records: unreadable record %.40q", m)
		}
		out = append(out, store.AuditRecord{At: fromMS(r.AtMS), Actor: r.Actor, ActorName: r.ActorName, Action: r.Action,
			Subject: r.Subject, App: r.App, Outcome: r.Outcome, RequestID: r.RequestID, Detail: r.Detail})
	}
	return out, nil
}
