package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/store"
)

// actionAnswer answers the buttons of the approved fixes. Every click is
// authorised again from scratch: who clicked (the activity's sender, never
// the card's data), their groups now, provbot's write access now, and what
// the action is about from the confirmation kept on the server.
func (c *Conversation) actionAnswer(ctx context.Context, t *botframework.Turn, r request, opts cardOptions) card.AdaptiveCard {
	a := newAsker(t.Activity)
	if _, _, ok := c.actionParts(); !ok {
		return messageCard("I can't do that here", "This bot is not set up to take actions, only to explain.")
	}
	if a.ID == "" {
		return messageCard("I can't tell who you are", "Teams did not tell me your directory account, so I can't do anything for you here.")
	}
	c.checkHelpDesk(ctx, t, &a)
	switch r.verb {
	case VerbCancel:
		if _, err := c.loadPending(ctx, r.token, a.ID); err == nil {
			if err := c.actions.CacheDelete(ctx, pendingKey(r.token)); err != nil {
				t.Logger.Warn("forget a cancelled confirmation", "err", err)
			}
		}
		if r.app == "" {
			return messageCard("Cancelled", "Nothing was changed.")
		}
		back := request{verb: VerbDiagnose, app: r.app, refresh: true, subject: subject{kind: subjectSelf}}
		if r.subject.id != "" {
			back.subject = r.subject
		}
		if r.subject.id == "" && r.job != "" {
			back.verb = VerbStatus
		}
		return c.answer(ctx, t, back)
	case VerbProvision:
		return c.provisionConfirmation(ctx, t, a, r, opts)
	case VerbProvisionConfirm:
		return c.provisionConfirmed(ctx, t, a, r, opts)
	case VerbRestart:
		return c.restartConfirmation(ctx, t, a, r, opts)
	case VerbRestartConfirm:
		return c.restartConfirmed(ctx, t, a, r, opts)
	}
	return c.notUnderstood(a)
}

// mayProvision checks that the asker may provision someone on demand now:
// a help-desk member, and provbot holding the permission. It returns the
// refusal card, or nil.
func (c *Conversation) mayProvision(ctx context.Context, t *botframework.Turn, a asker, userID, appID string) *card.AdaptiveCard {
	ad, _, _ := c.actionParts()
	if !a.HelpDesk {
		if a.checkErr != nil {
			c.auditAction(ctx, t, a, auditProvision, userID, appID, "refused", "", "help-desk check failed")
			return answerWith(helpDeskCheckFailedCard(a.checkErr))
		}
		return answerWith(c.refuse(ctx, t, a, auditProvision, userID, appID, "not help desk",
			"Only the help desk can do this", "Provisioning someone's account on demand is for the help desk. Please ask "+c.contact+"."))
	}
	acc, err := ad.WriteAccess(ctx)
	if err != nil {
		return answerWith(c.errorCard(t, a, err))
	}
	if !acc.Granted {
		return answerWith(c.refuse(ctx, t, a, auditProvision, userID, appID, "no write access: "+acc.Reason,
			"provbot may not do this", "provbot's app does not have the Microsoft Graph permission Synchronization.ReadWrite.All, which provisioning on demand needs ("+acc.Reason+")."))
	}
	return nil
}

// provisionDiagnosis reads the user's account in the app again and
// diagnoses it for the help desk; extra is an on-demand answer's entry to
// add (nil for none).
func (c *Conversation) provisionDiagnosis(ctx context.Context, userID, appID string, extra *diagnose.Entry, opts cardOptions) (diagnose.Diagnosis, error) {
	in, err := c.dir.Gather(ctx, diagnose.Query{UserID: userID, AppID: appID, Refresh: true})
	if err != nil {
		return diagnose.Diagnosis{}, err
	}
	in.Audience = diagnose.HelpDesk
	in.Location = opts.Loc
	name := ""
	for _, app := range in.Apps {
		if strings.EqualFold(app.ID, appID) {
			name = app.Name
		}
	}
	if extra != nil {
		in = in.WithOnDemand(diagnose.OnDemandResult{Entry: *extra})
	}
	ds := onlyApp(diagnose.Diagnose(in, opts.Now), appID, name)
	if len(ds) == 0 {
		return diagnose.Diagnosis{}, fmt.Errorf("no diagnosis of the app: %w", diagnose.ErrNotFound)
	}
	return ds[0], nil
}

// provisionConfirmation shows what provisioning on demand will do, after
// checking that the asker may and that it would help.
func (c *Conversation) provisionConfirmation(ctx context.Context, t *botframework.Turn, a asker, r request, opts cardOptions) card.AdaptiveCard {
	userID, appID := r.subject.id, r.app
	if refusal := c.mayProvision(ctx, t, a, userID, appID); refusal != nil {
		return *refusal
	}
	if userID == "" || appID == "" {
		return messageCard("I didn't understand that", "That button did not say whom to provision, or in which app.")
	}
	d, err := c.provisionDiagnosis(ctx, userID, appID, nil, opts)
	if err != nil {
		if errors.Is(err, diagnose.ErrNotFound) {
			return messageCard("No one found", "I couldn't find that person or app in the directory any more.")
		}
		return c.errorCard(t, a, err)
	}
	if !provisionHelps(d) || d.Status == nil {
		opts.Offer = c.offerFor(ctx, t, a, d)
		return withBanner(diagnosisCard(d, opts), infoBanner("Provisioning on demand would not help now",
			"This is what the account looks like now; nothing was changed."))
	}
	p := pending{Asker: a.ID, Action: auditProvision, User: userID, UserName: d.User.Label(), App: appID, AppName: d.App.Name, Job: d.Status.JobID}
	token, err := c.savePending(ctx, p)
	if err != nil {
		return c.errorCard(t, a, err)
	}
	return provisionConfirmCard(p, token, fixesData(d.Category))
}

// fixesData reports whether a verdict is about data someone must fix
// first: provisioning on demand before that fails the same way.
func fixesData(cat diagnose.Category) bool {
	switch cat {
	case diagnose.PendingNextCycle, diagnose.InitialCycleRunning, diagnose.TargetTransient:
		return false
	}
	return true
}

// onDemandRun is what a confirmed provisioning kept: the service's
// answer, who asked.
type onDemandRun struct {
	Result diagnose.OnDemandResult `json:"result"`
	By     string                  `json:"by"`
}

// provisionConfirmed provisions the confirmation's user, once, and shows
// the result as a diagnosis in place.
func (c *Conversation) provisionConfirmed(ctx context.Context, t *botframework.Turn, a asker, r request, opts cardOptions) card.AdaptiveCard {
	p, err := c.loadPending(ctx, r.token, a.ID)
	switch {
	case errors.Is(err, errOtherAsker):
		return c.refuse(ctx, t, a, auditProvision, p.User, p.App, "confirmation made for someone else",
			"This confirmation isn't yours", "It was made for the person who asked for it. Look the account up yourself to get your own.")
	case errors.Is(err, errNoConfirmation) || err == nil && p.Action != auditProvision:
		return c.refuse(ctx, t, a, auditProvision, "", "", "confirmation expired or unknown",
			"This confirmation has expired", "Confirmations last ten minutes and work once. Look the account up again for a fresh one.")
	case err != nil:
		return c.errorCard(t, a, err)
	}
	if refusal := c.mayProvision(ctx, t, a, p.User, p.App); refusal != nil {
		return *refusal
	}
	ad, _, _ := c.actionParts()
	v, shared, running, err := c.runOnce(ctx, r.token, func(ctx context.Context) ([]byte, error) {
		done, err := c.onDemandSlot(ctx, p, r.token)
		if err != nil {
			c.auditAction(ctx, t, a, auditProvision, p.User, p.App, "failed", "", err.Error())
			return nil, err
		}
		defer done()
		res, err := ad.ProvisionOnDemand(ctx, p.App, p.Job, p.User)
		if err != nil {
			c.auditAction(ctx, t, a, auditProvision, p.User, p.App, "failed", requestIDOf(err), err.Error())
			return nil, err
		}
		detail := "result " + res.Result
		if res.ErrorCode != "" {
			detail += ": " + res.ErrorCode
		}
		c.auditAction(ctx, t, a, auditProvision, p.User, p.App, "ok", res.RequestID, detail)
		return json.Marshal(onDemandRun{Result: res, By: a.Name})
	})
	switch {
	case running:
		return stillRunningCard(p, r.token)
	case err != nil:
		text, retry := writeRefusal(err, "provision "+p.UserName, p.AppName)
		t.Logger.Warn("provision on demand failed", "err", err)
		return writeFailedCard("I couldn't provision "+p.UserName+" in "+p.AppName, text, p, r.token, retry)
	}
	var run onDemandRun
	if err := json.Unmarshal(v, &run); err != nil {
		return c.errorCard(t, a, fmt.Errorf("read the kept result: %w", err))
	}
	banner := onDemandBanner(run, shared, opts)
	d, err := c.provisionDiagnosis(ctx, p.User, p.App, &run.Result.Entry, opts)
	if err != nil {
		t.Logger.Warn("read the account after provisioning on demand", "err", err)
		cd := newCard([]card.Element{banner}, "Provisioning on demand: "+run.Result.Result)
		cd.Private = true
		return cd
	}
	opts.Offer = c.offerFor(ctx, t, a, d)
	return withBanner(diagnosisCard(d, opts), banner)
}

// Microsoft's limits of provisioning on demand: 5 calls per 10 seconds
// (the API's documented rate limit), one user at a time per job (the
// admin center's). provbot keeps them itself across replicas, so that its
// own clicks never meet a 429 or 409; other tools' calls still can.
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-provisionondemand
const (
	onDemandLimit  = 5
	onDemandWindow = 10 * time.Second
	// onDemandWait is how long a click waits for a free slot.
	onDemandWait = 3 * time.Second
)

// Why provbot did not send an on-demand provisioning: its own pacing.
var (
	errJobBusy     = errors.New("another on-demand provisioning of this app is running")
	errOwnOnDemand = fmt.Errorf("provbot's own limit of %d on-demand provisionings per %s is used up: %w", onDemandLimit, onDemandWindow, diagnose.ErrThrottled)
)

// onDemandSlot takes the job's lease (one at a time) and a slot of the
// tenant's on-demand budget, or says why not; done gives both back.
func (c *Conversation) onDemandSlot(ctx context.Context, p pending, token string) (done func(), err error) {
	lease, err := c.actions.AcquireLease(ctx, "provbot:ondemand:"+strings.ToLower(p.App)+"/"+p.Job, token, 2*writeTimeout)
	switch {
	case errors.Is(err, store.ErrLeaseHeld):
		return nil, errJobBusy
	case err != nil:
		return nil, fmt.Errorf("take the job's on-demand lease: %w", err)
	}
	giveBack := func() { _ = c.actions.ReleaseLease(context.WithoutCancel(ctx), lease) }
	bucket, err := c.actions.Bucket("provbot:provision-on-demand", onDemandLimit, onDemandWindow)
	if err != nil {
		giveBack()
		return nil, fmt.Errorf("on-demand budget: %w", err)
	}
	tctx, cancel := context.WithTimeout(ctx, onDemandWait)
	release, err := bucket.Take(tctx, false)
	cancel()
	if err != nil {
		giveBack()
		if ctx.Err() == nil {
			return nil, errOwnOnDemand
		}
		return nil, err
	}
	return func() { release(true); giveBack() }, nil
}
