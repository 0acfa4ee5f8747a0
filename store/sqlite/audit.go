package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/provbot/provbot/store"
)

// AppendAudit records r.
func (s *Store) AppendAudit(ctx context.Context, r store.AuditRecord) error {
	if err := r.Validate(); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO audit (at_ms, actor, actor_name, action, subject, app, outcome, request_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ms(r.At), r.Actor, r.ActorName, r.Action, r.Subject, r.App, r.Outcome, r.RequestID, r.Detail)
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// AuditRecords returns up to limit records since since, newest first.
func (s *Store) AuditRecords(ctx context.Context, since time.Time, limit int) ([]store.AuditRecord, error) {
	if limit < 1 {
		return nil, fmt.Errorf("audit records: limit %d: %w", limit, store.ErrInvalid)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT at_ms, actor, actor_name, action, subject, app, outcome, request_id, detail
		FROM audit WHERE at_ms >= ? ORDER BY at_ms DESC, id DESC LIMIT ?`, ms(since), limit)
	if err != nil {
		return nil, fmt.Errorf("audit records: %w", err)
	}
	defer rows.Close()
	var out []store.AuditRecord
	for rows.Next() {
		var r store.AuditRecord
		var at int64
		if err := rows.Scan(&at, &r.Actor, &r.ActorName, &r.Action, &r.Subject, &r.App, &r.Outcome, &r.RequestID, &r.Detail); err != nil {
			return nil, fmt.Errorf("audit records: %w", err)
		}
		r.At = fromMS(at)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit records: %w", err)
	}
	return out, nil
}
