package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// mayRestart checks that the asker may restart a job now: a member of an
// admin group, and provbot holding the permission. It returns the refusal
// card, or nil.
func (c *Conversation) mayRestart(ctx context.Context, t *botframework.Turn, a asker, appID string) *card.AdaptiveCard {
	ad, _, _ := c.actionParts()
	admin, err := ad.IsAdmin(ctx, a.ID)
	if err != nil {
		t.Logger.Warn("admin membership check failed; restart refused", "err", err)
		return answerWith(c.refuse(ctx, t, a, auditRestart, "", appID, "admin check failed",
			"I couldn't check that you're an admin", "Only admins may restart provisioning, and checking your membership failed. Please try again in a minute."))
	}
	if !admin {
		return answerWith(c.refuse(ctx, t, a, auditRestart, "", appID, "not admin",
			"Only admins can restart provisioning", "Restarting an app's provisioning affects everyone in it, so it is for the admins provbot is set up with. Please ask them."))
	}
	acc, err := ad.WriteAccess(ctx)
	if err != nil {
		return answerWith(c.errorCard(t, a, err))
	}
	if !acc.Granted {
		return answerWith(c.refuse(ctx, t, a, auditRestart, "", appID, "no write access: "+acc.Reason,
			"provbot may not do this", "provbot's app does not have the Microsoft Graph permission Synchronization.ReadWrite.All, which restarting needs ("+acc.Reason+")."))
	}
	return nil
}

// restartable finds the app's job (by id, else its first) and says why
// it cannot be restarted from here, if it cannot: only a quarantined job,
// or one disabled after a quarantine, and never the accidental-deletions
// quarantine (a restart could apply the held deletions).
func (c *Conversation) restartable(ctx context.Context, appID, jobID string) (*diagnose.App, *diagnose.Job, string, error) {
	found, err := c.dir.FindApps(ctx, appID)
	if err != nil {
		return nil, nil, "", err
	}
	app := byID(found, appID)
	if app == nil {
		return nil, nil, "", diagnose.ErrNotFound
	}
	ad, _, _ := c.actionParts()
	if app.Jobs, err = ad.FreshJobs(ctx, app.ID); err != nil {
		return nil, nil, "", err
	}
	if len(app.Jobs) == 0 {
		return nil, nil, "", diagnose.ErrNotFound
	}
	job := &app.Jobs[0]
	for i := range app.Jobs {
		if strings.EqualFold(app.Jobs[i].ID, jobID) {
			job = &app.Jobs[i]
		}
	}
	q := job.Status.Quarantine
	switch {
	case q != nil && q.Reason == diagnose.QuarantineTooManyDeletes:
		return app, job, "The job stopped because too many accounts would be deleted. Review those deletions in the Microsoft Entra admin center (Provisioning, then the quarantine details): provbot does not restart this job.", nil
	case q == nil && job.Status.Code != diagnose.StatusQuarantine:
		return app, job, app.Name + " provisioning is not quarantined now: there is nothing to restart.", nil
	}
	return app, job, "", nil
}

// restartConfirmation asks the first question: is the cause fixed?
func (c *Conversation) restartConfirmation(ctx context.Context, t *botframework.Turn, a asker, r request, opts cardOptions) card.AdaptiveCard {
	if refusal := c.mayRestart(ctx, t, a, r.app); refusal != nil {
		return *refusal
	}
	app, job, why, err := c.restartable(ctx, r.app, r.job)
	switch {
	case errors.Is(err, diagnose.ErrNotFound):
		return messageCard("No job found", "I couldn't find that app's provisioning job any more.")
	case err != nil:
		return c.errorCard(t, a, err)
	case why != "":
		return messageCard("Nothing to restart", why)
	}
	p := pending{Asker: a.ID, Action: auditRestart, User: r.subject.id, App: app.ID, AppName: app.Name, Job: job.ID}
	token, err := c.savePending(ctx, p)
	if err != nil {
		return c.errorCard(t, a, err)
	}
	return restartCauseCard(p, token, job)
}

// restartConfirmed takes the answers: after the first, the second
// question (what a restart does); after the second, the restart.
func (c *Conversation) restartConfirmed(ctx context.Context, t *botframework.Turn, a asker, r request, opts cardOptions) card.AdaptiveCard {
	p, err := c.loadPending(ctx, r.token, a.ID)
	switch {
	case errors.Is(err, errOtherAsker):
		return c.refuse(ctx, t, a, auditRestart, "", p.App, "confirmation made for someone else",
			"This confirmation isn't yours", "It was made for the admin who asked for it. Ask for the app's status yourself to get your own.")
	case errors.Is(err, errNoConfirmation) || err == nil && p.Action != auditRestart:
		return c.refuse(ctx, t, a, auditRestart, "", "", "confirmation expired or unknown",
			"This confirmation has expired", "Confirmations last ten minutes and work once. Look the app up again for a fresh one.")
	case err != nil:
		return c.errorCard(t, a, err)
	}
	if refusal := c.mayRestart(ctx, t, a, p.App); refusal != nil {
		return *refusal
	}
	app, job, why, err := c.restartable(ctx, p.App, p.Job)
	if _, done, _ := c.actions.CacheGet(ctx, doneKey(r.token)); !done {
		// Not restarted with this confirmation yet: the job must still
		// need it (it may have recovered, or been restarted by someone
		// else, since the question was asked).
		switch {
		case err != nil:
			return c.errorCard(t, a, err)
		case why != "":
			return messageCard("Nothing to restart", why)
		}
	}
	if p.Stage == 0 {
		if err := c.actions.CacheDelete(ctx, pendingKey(r.token)); err != nil {
			return c.errorCard(t, a, err)
		}
		p.Stage = 1
		token, err := c.savePending(ctx, p)
		if err != nil {
			return c.errorCard(t, a, err)
		}
		return restartEffectCard(p, token, app, job, opts)
	}
	ad, _, _ := c.actionParts()
	_, shared, running, err := c.runOnce(ctx, r.token, func(ctx context.Context) ([]byte, error) {
		id, err := ad.RestartJob(ctx, p.App, p.Job)
		if err != nil {
			c.auditAction(ctx, t, a, auditRestart, "", p.App, "failed", requestIDOf(err), err.Error())
			return nil, err
		}
		c.auditAction(ctx, t, a, auditRestart, "", p.App, "ok", id, "job "+p.Job+", reset scope QuarantineState,Watermark,Escrows")
		if err := c.actions.CachePut(context.WithoutCancel(ctx), doneKey(r.token), []byte(id), confirmTTL); err != nil {
			t.Logger.Warn("remember a done restart", "err", err)
		}
		return []byte(id), nil
	})
	switch {
	case running:
		return stillRunningCard(p, r.token)
	case err != nil:
		text, retry := writeRefusal(err, "restart "+p.AppName+" provisioning", p.AppName)
		t.Logger.Warn("restart failed", "err", err)
		return writeFailedCard("I couldn't restart "+p.AppName+" provisioning", text, p, r.token, retry)
	}
	banner := restartBanner(p, shared)
	found, err := c.dir.FindApps(ctx, p.App)
	if app := byID(found, p.App); err == nil && app != nil {
		return withBanner(statusCard(appInfoOf(*app, opts), opts), banner)
	}
	cd := newCard([]card.Element{banner}, "Restart requested for "+p.AppName)
	cd.Private = true
	return cd
}
