package bot

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/store"
)

// ActionDirectory is a [Directory] that can also take the approved fixes:
// provision one user on demand and restart a quarantined job. The graph
// package's Client implements it. Both writes need the Graph permission
// Synchronization.ReadWrite.All (see WriteAccess).
type ActionDirectory interface {
	// WriteAccess says whether provbot holds the permission the writes
	// need; the actions are offered only when it does.
	WriteAccess(ctx context.Context) (diagnose.WriteAccess, error)
	// ProvisionOnDemand provisions one user into an app now, through the
	// job's rule that provisions users from Microsoft Entra ID.
	ProvisionOnDemand(ctx context.Context, appID, jobID, userID string) (diagnose.OnDemandResult, error)
	// RestartJob restarts an app's job with the admin center's reset
	// scope, and returns Graph's request-id.
	RestartJob(ctx context.Context, appID, jobID string) (requestID string, err error)
	// IsAdmin reports whether a user is in an admin group (who may
	// restart jobs).
	IsAdmin(ctx context.Context, userID string) (bool, error)
	// FreshJobs reads an app's jobs now, not from a cache: what a restart
	// is decided on.
	FreshJobs(ctx context.Context, appID string) ([]diagnose.Job, error)
}

// ActionState is the part of the state store the approved fixes use: the
// audit, the shared cache that keeps each confirmation (on the server,
// bound to the person it was made for) and runs each confirmed action
// once across replicas, a lease per job (one on-demand provisioning at a
// time) and a token bucket (Microsoft's 5 per 10 seconds), shared by the
// replicas.
type ActionState interface {
	store.Audit
	store.Leases
	Bucket(name string, limit int, window time.Duration) (store.Bucket, error)
	CacheGet(ctx context.Context, key string) (v []byte, ok bool, err error)
	CachePut(ctx context.Context, key string, v []byte, ttl time.Duration) error
	CacheDelete(ctx context.Context, key string) error
	Coalesce(ctx context.Context, key string, hold, keep time.Duration, fn func(ctx context.Context) ([]byte, error)) (v []byte, shared bool, err error)
}

// The verbs of the approved fixes' buttons. Their data carries ids to
// show a confirmation (provision, restart) or only the confirmation's
// random token (the confirms and cancel): what is done, for whom, is read
// from the confirmation kept on the server, never from the card.
const (
	VerbProvision        = "provision"
	VerbProvisionConfirm = "provision-confirm"
	VerbRestart          = "restart"
	VerbRestartConfirm   = "restart-confirm"
	VerbCancel           = "cancel"
)

// The audit's action names.
const (
	auditProvision = "provision-on-demand"
	auditRestart   = "restart-job"
)

// confirmTTL is how long a confirmation card can be answered.
const confirmTTL = 10 * time.Minute

// pending is a confirmation kept on the server until it is answered.
type pending struct {
	// Asker is who it was made for: only they can answer it.
	Asker string `json:"asker"`
	// Action is auditProvision or auditRestart; Stage counts the
	// confirmations given so far (a restart needs two).
	Action string `json:"action"`
	Stage  int    `json:"stage"`
	// User, App and Job say what the action is about, with names for the
	// cards.
	User     string `json:"user,omitempty"`
	UserName string `json:"userName,omitempty"`
	App      string `json:"app"`
	AppName  string `json:"appName"`
	Job      string `json:"job"`
}

// actionOffer is what a help-desk diagnosis card offers to do.
type actionOffer struct {
	Provision bool
	Restart   bool
	JobID     string
}

// actionParts returns the action directory and state, or false when the
// conversation cannot take actions.
func (c *Conversation) actionParts() (ActionDirectory, ActionState, bool) {
	ad, ok := c.dir.(ActionDirectory)
	if !ok || c.actions == nil {
		return nil, nil, false
	}
	return ad, c.actions, true
}

// provisionHelps reports whether provisioning on demand can help with a
// verdict: the user waits for a cycle or a retry, or a data problem that
// someone can fix and then push through. Never for people the cycle would
// skip (the service would skip them too), nor while the job is stopped.
func provisionHelps(d diagnose.Diagnosis) bool {
	if d.Status == nil || d.Status.Quarantined || d.Status.Code != diagnose.StatusActive && d.Status.Code != diagnose.StatusNotRun {
		return false
	}
	switch d.Category {
	case diagnose.PendingNextCycle, diagnose.InitialCycleRunning,
		diagnose.MissingRequiredAttribute, diagnose.MatchingAttributeMissing, diagnose.AttributeMapping,
		diagnose.InvalidDomain, diagnose.MatchingConflict, diagnose.DuplicateMatch, diagnose.LicenseLimit,
		diagnose.ReferenceUnresolved, diagnose.TargetTransient, diagnose.TargetRejected, diagnose.TargetPermission:
		return true
	}
	if d.Estimate != nil {
		switch d.Estimate.Kind {
		case diagnose.EstimateNextCycle, diagnose.EstimateRetry:
			return d.Category != diagnose.NotAssigned && d.Category != diagnose.NestedGroupOnly &&
				d.Category != diagnose.ScopingFilter && d.Category != diagnose.UserDisabled && d.Category != diagnose.UserDeleted
		}
	}
	return false
}

// restartHelps reports whether restarting the job is the fix once the
// cause is fixed: a quarantine (not the accidental-deletions one, whose
// held deletions a restart could apply) or a job disabled after one.
func restartHelps(d diagnose.Diagnosis) bool {
	if d.Status == nil || d.Status.JobID == "" {
		return false
	}
	switch d.Category {
	case diagnose.JobQuarantinedCredentials, diagnose.JobQuarantinedErrors, diagnose.JobQuarantinedOther, diagnose.JobDisabledAfterQuarantine:
		return true
	}
	return false
}

// offerFor decides which actions a help-desk diagnosis card offers the
// asker (checked: a.HelpDesk is known). Nothing is offered to end users,
// without write access, or when nothing would help; a restart only to
// admins. The same checks run again on every click.
func (c *Conversation) offerFor(ctx context.Context, t *botframework.Turn, a asker, d diagnose.Diagnosis) actionOffer {
	ad, _, ok := c.actionParts()
	if !ok || !a.HelpDesk || d.Audience != diagnose.HelpDesk || d.App.ServicePrincipalID == "" || d.Status == nil || d.Status.JobID == "" {
		return actionOffer{}
	}
	provision := provisionHelps(d) && d.User.ObjectID != "" && d.User.Type == ""
	restart := restartHelps(d)
	if !provision && !restart {
		return actionOffer{}
	}
	acc, err := ad.WriteAccess(ctx)
	if err != nil || !acc.Granted {
		t.Logger.Info("actions not offered: no write access", "reason", acc.Reason, "err", err)
		return actionOffer{}
	}
	if restart {
		admin, err := ad.IsAdmin(ctx, a.ID)
		if err != nil {
			t.Logger.Warn("admin membership check failed; restart not offered", "err", err)
		}
		restart = err == nil && admin
	}
	return actionOffer{Provision: provision, Restart: restart, JobID: d.Status.JobID}
}

// offerRestart decides whether the help desk's status card of an app
// offers a restart to the asker: an admin, with write access, and the
// app's first job quarantined (not for too many deletions).
func (c *Conversation) offerRestart(ctx context.Context, t *botframework.Turn, a asker, app diagnose.App) actionOffer {
	ad, _, ok := c.actionParts()
	if !ok || !a.HelpDesk || !app.JobsKnown || len(app.Jobs) == 0 {
		return actionOffer{}
	}
	job := app.Jobs[0]
	if q := job.Status.Quarantine; q == nil && job.Status.Code != diagnose.StatusQuarantine || q != nil && q.Reason == diagnose.QuarantineTooManyDeletes {
		return actionOffer{}
	}
	if acc, err := ad.WriteAccess(ctx); err != nil || !acc.Granted {
		t.Logger.Info("restart not offered: no write access", "reason", acc.Reason, "err", err)
		return actionOffer{}
	}
	if admin, err := ad.IsAdmin(ctx, a.ID); err != nil || !admin {
		return actionOffer{}
	}
	return actionOffer{Restart: true, JobID: job.ID}
}

// newToken is a confirmation's random token.
func newToken() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("confirmation token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

func pendingKey(token string) string { return "provbot:confirm:" + token }
func runKey(token string) string     { return "provbot:action:" + token }

// doneKey marks a confirmation whose action was done.
func doneKey(token string) string { return "provbot:done:" + token }

// savePending keeps a confirmation and returns its token.
func (c *Conversation) savePending(ctx context.Context, p pending) (string, error) {
	token, err := newToken()
	if err != nil {
		return "", err
	}
	v, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("confirmation: %w", err)
	}
	if err := c.actions.CachePut(ctx, pendingKey(token), v, confirmTTL); err != nil {
		return "", fmt.Errorf("keep confirmation: %w", err)
	}
	return token, nil
}

// errNoConfirmation means a confirmation token is unknown, expired or
// malformed; errOtherAsker that it was made for someone else.
var (
	errNoConfirmation = errors.New("the confirmation expired, was already used, or is not one of mine")
	errOtherAsker     = errors.New("the confirmation was made for someone else")
)

// loadPending reads the confirmation a button's token names, for the
// asker only.
func (c *Conversation) loadPending(ctx context.Context, token, askerID string) (pending, error) {
	var p pending
	if token == "" || len(token) > 64 || strings.ContainsFunc(token, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) {
		return p, errNoConfirmation
	}
	v, ok, err := c.actions.CacheGet(ctx, pendingKey(token))
	switch {
	case err != nil:
		return p, fmt.Errorf("read confirmation: %w", err)
	case !ok:
		return p, errNoConfirmation
	}
	if err := json.Unmarshal(v, &p); err != nil {
		return p, errNoConfirmation
	}
	if p.Asker == "" || !strings.EqualFold(p.Asker, askerID) {
		return p, errOtherAsker
	}
	return p, nil
}

// audit writes one audit record of an action (or a refusal) to the store
// and the audit log. A record the store cannot take is logged at error
// level with every field, so that it is never lost silently.
func (c *Conversation) auditAction(ctx context.Context, t *botframework.Turn, a asker, action, subject, app, outcome, requestID, detail string) {
	r := store.AuditRecord{At: c.now().UTC(), Actor: a.ID, ActorName: cleanName(a.Name), Action: action, Subject: subject,
		App: app, Outcome: outcome, RequestID: requestID, Detail: clip(detail, 1000)}
	attrs := []slog.Attr{slog.String("actor", r.Actor), slog.String("actor_name", r.ActorName), slog.String("action", action),
		slog.String("subject", subject), slog.String("app", app), slog.String("outcome", outcome),
		slog.String("request_id", requestID), slog.String("detail", r.Detail), slog.Time("time", r.At)}
	c.audit.LogAttrs(ctx, slog.LevelInfo, "action", attrs...)
	if c.actions == nil || r.Actor == "" {
		return
	}
	if err := c.actions.AppendAudit(context.WithoutCancel(ctx), r); err != nil {
		t.Logger.LogAttrs(ctx, slog.LevelError, "the audit record could not be stored", append(attrs, slog.String("err", err.Error()))...)
	}
}

// cleanName drops control characters from a display name, which the
// store refuses in keys.
func cleanName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, clip(s, 200))
}
