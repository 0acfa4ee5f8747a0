package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// Verbs beyond the card-button ones.
const (
	verbHelp    = "help"
	verbUnknown = "unknown"
)

// subject is who a request is about.
type subject struct {
	kind subjectKind
	// who is the reference as typed or sent by a button.
	who string
	// id is the resolved object id, when a button already carried it.
	id string
}

// request is one thing to answer, from a question or a button.
type request struct {
	verb     string
	subject  subject
	app      string // app id or name; "" means all apps
	allSteps bool
	refresh  bool
}

func requestFromQuestion(q question) request {
	r := request{subject: subject{kind: q.Subject, who: q.Who}, app: q.App}
	switch q.Intent {
	case intentDiagnose:
		r.verb = VerbDiagnose
	case intentStatus:
		r.verb = VerbStatus
	case intentApps:
		r.verb = VerbApps
		r.subject = subject{}
	case intentHelp:
		r.verb = verbHelp
	default:
		r.verb = verbUnknown
	}
	return r
}

// requestFromAction turns a card button's data into a request. The data
// came from the client and is checked like any question.
func requestFromAction(d ActionData) request {
	r := request{verb: d.Verb, app: d.App}
	if d.User != "" {
		r.subject = subject{kind: subjectObjectID, who: d.User, id: d.User}
	} else {
		r.subject = subject{kind: subjectSelf}
	}
	switch d.Verb {
	case VerbSteps:
		r.verb, r.allSteps = VerbDiagnose, true
	case VerbRefresh:
		r.verb, r.refresh = VerbDiagnose, true
	case VerbPickUser, VerbPickApp:
		r.verb = VerbDiagnose
		if d.Verb == VerbPickUser && d.User == "" {
			// Nobody was picked: never fall back to the asker.
			r.verb = verbUnknown
		}
	case VerbApps:
		// "Check other apps" / "Check my accounts": every app of the user.
		r.verb, r.app = VerbDiagnose, ""
	case VerbDiagnose, VerbStatus:
	default:
		r.verb = verbUnknown
	}
	return r
}

// answer computes the card for a request. It never fails: problems become
// cards that say what went wrong in the asker's words.
func (c *Conversation) answer(ctx context.Context, t *botframework.Turn, r request) card.AdaptiveCard {
	a := c.whoIsAsking(ctx, t)
	opts := cardOptions{Now: c.now(), Loc: location(t.Activity)}
	switch r.verb {
	case verbHelp:
		return helpCard(a.HelpDesk)
	case VerbApps:
		return c.appsAnswer(ctx, t, a, opts)
	case VerbStatus:
		return c.statusAnswer(ctx, t, a, r, opts)
	case VerbDiagnose:
		return c.diagnoseAnswer(ctx, t, &a, r, opts)
	default:
		return c.notUnderstood(a)
	}
}

func (c *Conversation) notUnderstood(a asker) card.AdaptiveCard {
	msg := "Try “Why can't I get into Salesforce?”, “Check my accounts” or “help”."
	if a.HelpDesk {
		msg = "Try “Check adele@contoso.com in ServiceNow”, “Status of Salesforce” or “help”."
	}
	return messageCard("I didn't understand that", msg)
}

// diagnoseAnswer explains a user's account in one app or all of them.
func (c *Conversation) diagnoseAnswer(ctx context.Context, t *botframework.Turn, a *asker, r request, opts cardOptions) card.AdaptiveCard {
	selfID, err := c.mayLookUp(ctx, a, r.subject)
	switch {
	case errors.Is(err, errNotAllowed):
		c.auditLookup(t, *a, "", r.app, nil, "refused: not own account")
		return messageCard("I can only check your own account",
			fmt.Sprintf("For someone else's account, please ask %s. I can tell you about yours: try “Check my accounts”.", c.contact))
	case errors.Is(err, errNoIdentity):
		return messageCard("I can't tell who you are", "Teams did not tell me your directory account, so I can't look anything up for you here.")
	case err != nil:
		return c.errorCard(t, *a, err)
	}
	userID := selfID
	if userID == "" {
		userID = r.subject.id
	}
	if userID == "" {
		users, err := c.dir.ResolveUser(ctx, r.subject.who)
		switch {
		case errors.Is(err, diagnose.ErrNotFound) || err == nil && len(users) == 0:
			return messageCard("No one found", fmt.Sprintf("I couldn't find anyone matching “%s”. Try their email address.", r.subject.who))
		case err != nil:
			return c.errorCard(t, *a, err)
		case len(users) > 1:
			return pickUserCard(r.subject.who, r.app, users)
		}
		userID = users[0].ObjectID
	}
	appID, appName := "", ""
	if r.app != "" {
		app, closest, err := c.findApp(ctx, r.app)
		if err != nil {
			return c.errorCard(t, *a, err)
		}
		if app == nil {
			return pickAppCard(r.app, userID, closest, VerbPickApp)
		}
		appID, appName = app.ID, app.Name
	}
	in, err := c.dir.Gather(ctx, diagnose.Query{UserID: userID, AppID: appID, Refresh: r.refresh})
	if err != nil {
		if errors.Is(err, diagnose.ErrNotFound) {
			return messageCard("No one found", "I couldn't find that person in the directory any more.")
		}
		c.auditLookup(t, *a, userID, appName, nil, "error")
		return c.errorCard(t, *a, err)
	}
	in.Audience = a.audience()
	in.Location = opts.Loc
	ds := diagnose.Diagnose(in, opts.Now)
	if appID != "" {
		ds = onlyApp(ds, appID, appName)
	}
	c.auditLookup(t, *a, userID, appName, ds, "answered")
	switch len(ds) {
	case 0:
		name := "This person"
		if in.User != nil {
			name = in.User.Name()
		}
		if a.audience() == diagnose.EndUser && userID == a.ID {
			name = "You"
		}
		return messageCard("No apps found", name+" gets no accounts from any app that is set up to create them automatically.")
	case 1:
		opts.AllSteps = r.allSteps
		return diagnosisCard(ds[0], opts)
	default:
		return summaryCard(ds, opts)
	}
}

// onlyApp keeps the diagnosis of one app (the engine also reports apps it
// found only in the entries).
func onlyApp(ds []diagnose.Diagnosis, id, name string) []diagnose.Diagnosis {
	for _, d := range ds {
		if strings.EqualFold(d.App.ServicePrincipalID, id) || d.App.ServicePrincipalID == "" && strings.EqualFold(d.App.Name, name) {
			return []diagnose.Diagnosis{d}
		}
	}
	return ds
}

// findApp resolves an app reference (object id or name). It returns the
// app when one matches exactly, otherwise the closest names.
func (c *Conversation) findApp(ctx context.Context, ref string) (*diagnose.App, []appInfo, error) {
	apps, err := c.dir.FindApps(ctx, ref)
	if err != nil && !errors.Is(err, diagnose.ErrNotFound) {
		return nil, nil, err
	}
	for i := range apps {
		if strings.EqualFold(apps[i].ID, ref) || squash(apps[i].Name) == squash(ref) {
			return &apps[i], nil, nil
		}
	}
	var closest []appInfo
	for i, a := range apps {
		if i == 5 {
			break
		}
		closest = append(closest, appInfo{ID: a.ID, Name: a.Name})
	}
	return nil, closest, nil
}

// statusAnswer shows one app's provisioning status, or every app's.
func (c *Conversation) statusAnswer(ctx context.Context, t *botframework.Turn, a asker, r request, opts cardOptions) card.AdaptiveCard {
	if strings.TrimFunc(r.app, unicode.IsSpace) == "" {
		return c.appsAnswer(ctx, t, a, opts)
	}
	app, closest, err := c.findApp(ctx, r.app)
	if err != nil {
		return c.errorCard(t, a, err)
	}
	if app == nil {
		return pickAppCard(r.app, "", closest, VerbStatus)
	}
	if a.audience() == diagnose.EndUser {
		return plainStatusCard(appInfoOf(*app, opts), c.contact)
	}
	return statusCard(appInfoOf(*app, opts), opts)
}

// appsAnswer lists the apps that provision users.
func (c *Conversation) appsAnswer(ctx context.Context, t *botframework.Turn, a asker, opts cardOptions) card.AdaptiveCard {
	apps, err := c.dir.Apps(ctx)
	if err != nil {
		return c.errorCard(t, a, err)
	}
	infos := make([]appInfo, 0, len(apps))
	for _, a := range apps {
		infos = append(infos, appInfoOf(a, opts))
	}
	return appsCard(infos, a.audience())
}

func appInfoOf(a diagnose.App, opts cardOptions) appInfo {
	info := appInfo{ID: a.ID, Name: a.Name}
	if a.JobsKnown && len(a.Jobs) > 0 {
		st := diagnose.StatusOf(&a.Jobs[0], a.InScope, opts.Now, opts.Loc)
		info.Status = &st
	} else if a.JobsKnown {
		info.Status = &diagnose.AppStatus{State: "not configured", Verdict: "Provisioning was never set up for this app."}
	}
	return info
}

// errorCard turns a lookup failure into words for the asker and logs the
// detail. Help desk sees what failed; end users see what to do.
func (c *Conversation) errorCard(t *botframework.Turn, a asker, err error) card.AdaptiveCard {
	var msg string
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		msg = "Looking this up took too long. Please try again in a minute."
	case errors.Is(err, diagnose.ErrThrottled):
		msg = "Microsoft Graph asked me to slow down because many lookups are running. Please try again in a minute."
	case errors.Is(err, diagnose.ErrForbidden):
		msg = "I'm not allowed to read this in Microsoft Graph."
		if a.HelpDesk {
			msg += " An admin needs to grant provbot's app the missing permission: " + err.Error()
		} else {
			msg += " The help desk has been told; please ask " + c.contact + " meanwhile."
		}
	case errors.Is(err, diagnose.ErrUnavailable):
		msg = "Microsoft Graph did not answer. Please try again in a minute."
	case errors.Is(err, diagnose.ErrNotFound):
		msg = "I couldn't find that."
	default:
		msg = "Something went wrong on my side. Please try again; if it keeps happening, tell " + c.contact + "."
	}
	t.Logger.Error("lookup failed", "err", err)
	return apologyCard(msg)
}
