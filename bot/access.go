package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// asker is who sent the question.
type asker struct {
	// ID is their Entra object id (from.aadObjectId); empty when the
	// channel did not say.
	ID string
	// Name is their display name as Teams sent it.
	Name string
	// HelpDesk is true for members of the help-desk groups.
	HelpDesk bool
	// user is their directory entry, when it was looked up.
	user *diagnose.User
}

// audience is how answers are written for the asker.
func (a asker) audience() diagnose.Audience {
	if a.HelpDesk {
		return diagnose.HelpDesk
	}
	return diagnose.EndUser
}

// whoIsAsking identifies the asker and checks their help-desk membership.
// A failed membership check counts as "not help desk": the safe side.
func (c *Conversation) whoIsAsking(ctx context.Context, t *botframework.Turn) asker {
	a := asker{ID: t.Activity.From.AADObjectID, Name: t.Activity.From.Name}
	if a.ID == "" {
		return a
	}
	hd, err := c.dir.IsHelpDesk(ctx, a.ID)
	if err != nil {
		t.Logger.Warn("help-desk membership check failed; answering as end user", "err", err)
		return a
	}
	a.HelpDesk = hd
	return a
}

// errNotAllowed means an end user asked about someone else.
var errNotAllowed = errors.New("end users may only look up their own account")

// mayLookUp decides whether the asker may see the subject's account. Help
// desk may see anyone; end users only themselves. For end users the check
// happens before any directory lookup of the other person, so a refusal
// reveals nothing about them.
func (c *Conversation) mayLookUp(ctx context.Context, a *asker, s subject) (selfID string, err error) {
	if s.kind == subjectSelf {
		if a.ID == "" {
			return "", errNoIdentity
		}
		return a.ID, nil
	}
	if a.HelpDesk {
		return "", nil
	}
	if a.ID == "" {
		return "", errNoIdentity
	}
	if s.kind == subjectObjectID && strings.EqualFold(s.who, a.ID) {
		return a.ID, nil
	}
	// Compare the reference with the asker's own names.
	if a.user == nil {
		us, err := c.dir.ResolveUser(ctx, a.ID)
		if err == nil && len(us) == 1 {
			a.user = &us[0]
		}
	}
	if u := a.user; u != nil {
		w := strings.TrimSpace(s.who)
		if strings.EqualFold(w, u.UPN) || strings.EqualFold(w, u.Mail) || strings.EqualFold(w, u.DisplayName) || strings.EqualFold(w, u.ObjectID) {
			return a.ID, nil
		}
	}
	return "", errNotAllowed
}

// errNoIdentity means the channel did not say who the asker is.
var errNoIdentity = errors.New("the asker's Entra object id is unknown")

// auditLookup writes the one audit line of a lookup.
func (c *Conversation) auditLookup(t *botframework.Turn, a asker, subjectID, app string, ds []diagnose.Diagnosis, outcome string) {
	verdicts := make([]string, 0, len(ds))
	cats := make([]diagnose.Category, 0, len(ds))
	for _, d := range ds {
		verdicts = append(verdicts, d.App.Name+"="+string(d.Category))
		cats = append(cats, d.Category)
	}
	if c.onLookup != nil {
		kind, _, _ := strings.Cut(outcome, ":")
		c.onLookup(kind, cats)
	}
	c.audit.LogAttrs(context.Background(), slog.LevelInfo, "lookup",
		slog.String("asker", a.ID),
		slog.Bool("asker_help_desk", a.HelpDesk),
		slog.String("subject", subjectID),
		slog.String("app", app),
		slog.String("verdict", strings.Join(verdicts, ",")),
		slog.String("outcome", outcome),
		slog.Time("time", c.now().UTC()),
		slog.String("conversation_id", t.Activity.Conversation.ID),
	)
}
