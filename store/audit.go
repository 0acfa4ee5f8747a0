package store

import (
	"context"
	"fmt"
	"time"
)

// AuditRecord is one action provbot took for someone: a provisioning on
// demand, a job restart, a watch made for another person. Records are
// never changed or deleted by provbot.
type AuditRecord struct {
	// At is when the action was taken.
	At time.Time
	// Actor is who asked (an Entra object id), ActorName their name as
	// Teams gave it.
	Actor, ActorName string
	// Action is what was done: "provision-on-demand", "restart-job", ...
	Action string
	// Subject is for whom (a user's object id), "" for a job-wide action.
	Subject string
	// App is the enterprise app's service principal id, "" when none.
	App string
	// Outcome is "ok", "refused" or "failed".
	Outcome string
	// RequestID is Graph's request-id of the write, for Microsoft support.
	RequestID string
	// Detail is anything else worth keeping (a refusal's reason).
	Detail string
}

// Validate checks the fields.
func (r AuditRecord) Validate() error {
	if r.At.IsZero() {
		return fmt.Errorf("audit record needs a time: %w", ErrInvalid)
	}
	if err := CheckKey("audit actor", r.Actor); err != nil {
		return err
	}
	if err := CheckKey("audit action", r.Action); err != nil {
		return err
	}
	if err := CheckKey("audit outcome", r.Outcome); err != nil {
		return err
	}
	for _, f := range []struct{ what, v string }{{"audit actor name", r.ActorName}, {"audit subject", r.Subject},
		{"audit app", r.App}, {"audit request id", r.RequestID}} {
		if f.v == "" {
			continue
		}
		if err := CheckKey(f.what, f.v); err != nil {
			return err
		}
	}
	return CheckValue("audit detail", []byte(r.Detail))
}

// Audit keeps the audit of actions.
type Audit interface {
	// AppendAudit records r.
	AppendAudit(ctx context.Context, r AuditRecord) error
	// AuditRecords returns up to limit records whose At is at or after
	// since, newest first.
	AuditRecords(ctx context.Context, since time.Time, limit int) ([]AuditRecord, error)
}
