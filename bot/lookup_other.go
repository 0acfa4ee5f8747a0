package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// PersonLookup is a [Directory] that finds a person and gathers what a
// diagnosis of them needs in one go (the graph package's Client.Lookup):
// a user principal name addresses the user's own requests at once, so
// resolving it and reading their facts overlap instead of following one
// another. When several people match it returns them, and no input.
type PersonLookup interface {
	Lookup(ctx context.Context, ref string, q diagnose.Query) (in diagnose.Input, candidates []diagnose.User, err error)
}

// lookUpOther answers a question about someone other than the asker (by
// UPN, email or name) when the directory is a [PersonLookup] and the app
// resolves without asking back: the person is found and their facts read
// while the asker's right to see them is checked, and nothing is shown
// before that check allows it (the provisioning logs, which spend the
// reporting budget, are not even read before). ok is false when the
// question takes the step-by-step way: the asker themselves, a button's
// person, an app to pick, or a person the lookup did not find (the
// step-by-step way then offers similar names or a group).
func (c *Conversation) lookUpOther(ctx context.Context, t *botframework.Turn, a *asker, r request, opts cardOptions) (answer card.AdaptiveCard, ok bool) {
	pl, can := c.dir.(PersonLookup)
	s := r.subject
	if !can || a.ID == "" || s.id != "" || s.kind == subjectSelf || s.kind == subjectObjectID && strings.EqualFold(s.who, a.ID) {
		return answer, false
	}
	app, note, asks := c.resolveApp(ctx, t, *a, r, "", VerbPickApp)
	if asks != nil {
		return answer, false // the pickers carry the person's id: find them first
	}
	perm := c.startPermission(ctx, t, *a, s)
	in, several, err := pl.Lookup(c.lookupContext(ctx, perm.allowed), s.who, diagnose.Query{AppID: appIDOf(app), Refresh: r.refresh, Since: r.when.since(opts.Now, opts.Loc)})
	selfID, permErr := perm.apply(ctx, a)
	if answer, refused := c.refusal(t, a, r, permErr); refused {
		return answer, true
	}
	switch {
	case len(several) > 1:
		return pickUserCard(s.who, appButtonValue(r), several), true
	case errors.Is(err, diagnose.ErrNotFound) && in.User == nil:
		return answer, false
	}
	userID := selfID
	if in.User != nil {
		userID = in.User.ObjectID
	}
	return c.diagnosis(ctx, t, a, r, opts, userID, app, note, in, err), true
}

// permission is the check, running in the background, of whether the
// asker may see someone else's account (see mayLookUp).
type permission struct {
	done    chan struct{}
	checked asker // the asker as checked
	selfID  string
	err     error
}

// startPermission starts checking whether asker a may see subject s.
func (c *Conversation) startPermission(ctx context.Context, t *botframework.Turn, a asker, s subject) *permission {
	p := &permission{done: make(chan struct{}), checked: asker{ID: a.ID, Name: a.Name}}
	go func() {
		defer close(p.done)
		p.selfID, _, p.err = c.mayLookUp(ctx, t, &p.checked, s)
	}()
	return p
}

// allowed waits for the check and says whether the asker may see the
// person: nil, or why not. Safe from any goroutine.
func (p *permission) allowed(ctx context.Context) error {
	select {
	case <-p.done:
		return p.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// apply waits for the check and records its result in a (call it on the
// answer's goroutine): the asker's own id when they named themselves, and
// nil or why they may not see the person.
func (p *permission) apply(ctx context.Context, a *asker) (selfID string, err error) {
	if err := p.allowed(ctx); err != nil && ctx.Err() != nil {
		return "", err
	}
	a.HelpDesk, a.checkErr = p.checked.HelpDesk, p.checked.checkErr
	return p.selfID, p.err
}

// refusal is the answer when the asker may not see the account asked
// about (err from mayLookUp); refused is false when err is nil.
func (c *Conversation) refusal(t *botframework.Turn, a *asker, r request, err error) (answer card.AdaptiveCard, refused bool) {
	switch {
	case err == nil:
		return answer, false
	case errors.Is(err, errNotAllowed):
		c.auditLookup(t, *a, "", r.appAsked(), nil, "refused: not own account")
		return messageCard("I can only check your own account",
			fmt.Sprintf("For someone else's account, please ask %s. I can tell you about yours: try “Check my accounts”.", c.contact)), true
	case errors.Is(err, errCheckFailed):
		c.auditLookup(t, *a, "", r.appAsked(), nil, "refused: help-desk check failed")
		return helpDeskCheckFailedCard(a.checkErr), true
	case errors.Is(err, errNoIdentity):
		return messageCard("I can't tell who you are", "Teams did not tell me your directory account, so I can't look anything up for you here."), true
	}
	return c.errorCard(t, *a, err), true
}
