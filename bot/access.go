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
	// HelpDesk is true for members of the help-desk groups, once checked.
	HelpDesk bool
	// checkErr is why the help-desk check failed, if it did.
	checkErr error
}

func newAsker(a *botframework.Activity) asker {
	return asker{ID: a.From.AADObjectID, Name: a.From.Name}
}

// audience is how answers are written for the asker.
func (a asker) audience() diagnose.Audience {
	if a.HelpDesk {
		return diagnose.HelpDesk
	}
	return diagnose.EndUser
}

// checkHelpDesk checks the asker's help-desk membership. A failed check
// counts as "not help desk" (the safe side) and is kept in checkErr, so
// that a refusal can say the check failed.
func (c *Conversation) checkHelpDesk(ctx context.Context, t *botframework.Turn, a *asker) {
	if a.ID == "" {
		return
	}
	hd, err := c.dir.IsHelpDesk(ctx, a.ID)
	if err != nil {
		t.Logger.Warn("help-desk membership check failed; answering as end user", "err", err)
		a.checkErr = err
		return
	}
	a.HelpDesk = hd
}

// startHelpDeskCheck runs the help-desk check in the background; the
// returned func waits for it and records the result in a. Until then a
// is an end user.
func (c *Conversation) startHelpDeskCheck(ctx context.Context, t *botframework.Turn, a *asker) (wait func()) {
	var checked asker = asker{ID: a.ID}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.checkHelpDesk(ctx, t, &checked)
	}()
	return func() {
		<-done
		a.HelpDesk, a.checkErr = checked.HelpDesk, checked.checkErr
	}
}

var (
	// errNotAllowed means an end user asked about someone else.
	errNotAllowed = errors.New("end users may only look up their own account")
	// errCheckFailed means the asker asked about someone else and the
	// help-desk check that would allow it failed.
	errCheckFailed = errors.New("the help-desk membership check failed")
	// errNoIdentity means the channel did not say who the asker is.
	errNoIdentity = errors.New("the asker's Entra object id is unknown")
)

// mayLookUp decides whether the asker may see the subject's account, and
// returns the subject's object id when it is the asker.
//
// The asker may always see their own account: that lookup does not wait
// for the help-desk check, which runs alongside it (call checked before
// writing the answer; it records the result in a). For anyone else the
// check comes first: the help desk may see anyone; an end user only
// themselves, named by their own UPN, email or name. On the step-by-step
// way the check happens before any directory lookup of the other person;
// with a [PersonLookup] directory (lookUpOther) it runs alongside the
// lookup, whose provisioning logs wait for it, and nothing the lookup
// found is shown before it allows: either way a refusal reveals nothing
// about them. When the check fails the answer says so
// (errCheckFailed) instead of refusing as if the asker were an end user.
func (c *Conversation) mayLookUp(ctx context.Context, t *botframework.Turn, a *asker, s subject) (selfID string, checked func(), err error) {
	noWait := func() {}
	if a.ID == "" {
		return "", noWait, errNoIdentity
	}
	if s.kind == subjectSelf || s.kind == subjectObjectID && strings.EqualFold(s.who, a.ID) {
		return a.ID, c.startHelpDeskCheck(ctx, t, a), nil
	}
	c.checkHelpDesk(ctx, t, a)
	if a.HelpDesk {
		return "", noWait, nil
	}
	// The reference may name the asker: their UPN, email or name.
	if us, err := c.dir.ResolveUser(ctx, a.ID); err == nil && len(us) == 1 {
		u, w := us[0], strings.TrimSpace(s.who)
		if strings.EqualFold(w, u.UPN) || strings.EqualFold(w, u.Mail) || strings.EqualFold(w, u.DisplayName) || strings.EqualFold(w, u.ObjectID) {
			return a.ID, noWait, nil
		}
	}
	if a.checkErr != nil {
		return "", noWait, errCheckFailed
	}
	return "", noWait, errNotAllowed
}

// otherTenant reports an activity from another Entra tenant than the one
// whose directory the conversation reads (when that tenant is known).
func (c *Conversation) otherTenant(a *botframework.Activity) bool {
	return c.tenant != "" && !strings.EqualFold(a.TenantID(), c.tenant)
}

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
