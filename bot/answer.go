package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// Verbs beyond the card-button ones.
const (
	verbHelp    = "help"
	verbThanks  = "thanks"
	verbUnknown = "unknown"
)

// subject is who a request is about.
type subject struct {
	kind subjectKind
	// who is the reference as typed or sent by a button; for
	// subjectUnclear, what was understood.
	who string
	// unclear says why an unclear subject could not be understood.
	unclear unclearReason
	// id is the resolved object id, when a button already carried it.
	id string
}

// request is one thing to answer, from a question or a button.
type request struct {
	verb    string
	subject subject
	// named is how a question named the app; app is a button's app (a
	// service principal id or an exact name). Neither: every app.
	named    appRef
	app      string
	allSteps bool
	refresh  bool
	// when is the time the question named (older history is searched
	// from it when a source keeps it).
	when askedTime
	// job and token are an approved fix's job id and confirmation token.
	job, token string
	// catalog is the known provisioning apps the question was read with
	// (ids and names), when they could be read.
	catalog []diagnose.App
	// watchRef names the watch "stop watching" ends (a button's watch id,
	// or what was typed after it); muteFor is how long "mute" mutes.
	watchRef string
	muteFor  time.Duration
}

// appAsked is the app as the request named it: a button's id or name, or
// the words of a question.
func (r request) appAsked() string {
	if r.app != "" {
		return r.app
	}
	return r.named.Said
}

func requestFromQuestion(q question, catalog []diagnose.App) request {
	r := request{subject: subject{kind: q.Subject, who: q.Who, unclear: q.Unclear}, named: q.App, catalog: catalog, when: q.When}
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
	case intentThanks:
		r.verb = verbThanks
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
	case VerbWatch, VerbWatches, VerbAlertsHere, VerbAlertsOff:
	case VerbUnwatch:
		r.watchRef = d.Watch
	case VerbProvision, VerbProvisionConfirm, VerbRestart, VerbRestartConfirm, VerbCancel:
		r.job, r.token = d.Job, d.Token
	default:
		r.verb = verbUnknown
	}
	return r
}

// answer computes the card for a request. It never fails: problems become
// cards that say what went wrong in the asker's words.
func (c *Conversation) answer(ctx context.Context, t *botframework.Turn, r request) card.AdaptiveCard {
	if c.otherTenant(t.Activity) {
		return otherTenantCard()
	}
	a := newAsker(t.Activity)
	opts := cardOptions{Now: c.now(), Loc: location(t.Activity)}
	switch r.verb {
	case verbThanks:
		return thanksCard()
	case verbHelp:
		c.checkHelpDesk(ctx, t, &a)
		return helpCard(a.HelpDesk)
	case VerbApps:
		c.checkHelpDesk(ctx, t, &a)
		return c.appsAnswer(ctx, t, a, opts)
	case VerbStatus:
		c.checkHelpDesk(ctx, t, &a)
		return c.statusAnswer(ctx, t, a, r, opts)
	case VerbDiagnose:
		return c.diagnoseAnswer(ctx, t, &a, r, opts)
	case VerbWatch, VerbWatches, VerbUnwatch:
		return c.watchCommand(ctx, t, &a, r, opts)
	case VerbAlertsHere, VerbAlertsOff, VerbMute, VerbUnmute:
		return c.alertCommand(ctx, t, &a, r, opts)
	case VerbProvision, VerbProvisionConfirm, VerbRestart, VerbRestartConfirm, VerbCancel:
		return c.actionAnswer(ctx, t, r, opts)
	default:
		c.checkHelpDesk(ctx, t, &a)
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
	switch r.subject.kind {
	case subjectUnclear:
		return unclearSubjectCard(r.subject.who, r.subject.unclear)
	case subjectGroup:
		c.checkHelpDesk(ctx, t, a)
		return c.groupAnswer(ctx, t, a, r, opts)
	}
	if answer, ok := c.lookUpOther(ctx, t, a, r, opts); ok {
		return answer
	}
	// The asker's own lookup never waits for the help-desk check: it only
	// decides how the answer is written, so it runs alongside.
	userID, checked, err := c.mayLookUp(ctx, t, a, r.subject)
	if answer, refused := c.refusal(t, a, r, err); refused {
		return answer
	}
	if userID == "" {
		id, answer := c.resolvePerson(ctx, t, a, r, opts)
		if answer != nil {
			return *answer
		}
		userID = id
	}
	app, note, answer := c.resolveApp(ctx, t, *a, r, userID, VerbPickApp)
	if answer != nil {
		return *answer
	}
	in, err := c.dir.Gather(c.lookupContext(ctx, nil), diagnose.Query{UserID: userID, AppID: appIDOf(app), Refresh: r.refresh, Since: r.when.since(opts.Now, opts.Loc)})
	checked()
	return c.diagnosis(ctx, t, a, r, opts, userID, app, note, in, err)
}

// appIDOf is the app's id, or "" for every app (nil).
func appIDOf(app *diagnose.App) string {
	if app == nil {
		return ""
	}
	return app.ID
}

// diagnosis answers with what a lookup of the user userID for app (nil:
// every app) gathered.
func (c *Conversation) diagnosis(ctx context.Context, t *botframework.Turn, a *asker, r request, opts cardOptions, userID string, app *diagnose.App, note note, in diagnose.Input, err error) card.AdaptiveCard {
	appID, appName := "", ""
	if app != nil {
		appID, appName = app.ID, app.Name
	}
	if err != nil {
		if _, groups := c.dir.(GroupDirectory); errors.Is(err, diagnose.ErrNotFound) && groups && a.HelpDesk && r.subject.id != "" {
			// A card button about a group carries the group's id.
			r.subject = subject{kind: subjectGroup, who: r.subject.id, id: r.subject.id}
			return c.groupAnswer(ctx, t, a, r, opts)
		}
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
	self := userID == a.ID
	switch len(ds) {
	case 0:
		name := "This person"
		if in.User != nil {
			name = in.User.Name()
		}
		if appID != "" {
			return withNote(messageCard("I found nothing about "+appName,
				"I couldn't tell anything about this account in "+appName+". Please ask "+c.contact+"."), note)
		}
		return withNote(noAppsCard(name, self && a.audience() == diagnose.EndUser, self, c.contact), note)
	case 1:
		opts.AllSteps = r.allSteps
		opts.Watchable = c.state != nil
		opts.Offer = c.offerFor(ctx, t, *a, ds[0])
		return withNote(diagnosisCard(ds[0], opts), note)
	default:
		return withNote(summaryCard(ds, opts), note)
	}
}

// resolvePerson finds the one person a request names. When it cannot,
// the answer says why: nobody (with the closest names for a misspelling),
// or several people to pick from; or, for the help desk, it is the answer
// about the group of that name or id, when no one has it but a group does.
// A non-nil answer replaces the lookup.
func (c *Conversation) resolvePerson(ctx context.Context, t *botframework.Turn, a *asker, r request, opts cardOptions) (string, *card.AdaptiveCard) {
	if r.subject.id != "" {
		return r.subject.id, nil
	}
	users, err := c.dir.ResolveUser(ctx, r.subject.who)
	switch {
	case (errors.Is(err, diagnose.ErrNotFound) || err == nil && len(users) == 0) && a.HelpDesk && c.isGroup(ctx, r.subject.who):
		// No one by that name or id, but a group: the help desk asks
		// about its provisioning.
		r.subject = subject{kind: subjectGroup, who: r.subject.who}
		return "", answerWith(c.groupAnswer(ctx, t, a, r, opts))
	case errors.Is(err, diagnose.ErrNotFound) || err == nil && len(users) == 0:
		if r.subject.kind == subjectName {
			if similar := c.similarPeople(ctx, t, r.subject.who); len(similar) > 0 {
				return "", answerWith(didYouMeanPersonCard(r.subject.who, appButtonValue(r), similar))
			}
		}
		return "", answerWith(messageCard("No one found", fmt.Sprintf("I couldn't find anyone matching “%s”. Try their email address.", r.subject.who)))
	case err != nil:
		return "", answerWith(c.errorCard(t, *a, err))
	case len(users) > 1:
		return "", answerWith(pickUserCard(r.subject.who, appButtonValue(r), users))
	}
	return users[0].ObjectID, nil
}

// answerWith is a card that answers instead of the lookup a resolver was
// asked to prepare.
func answerWith(c card.AdaptiveCard) *card.AdaptiveCard { return &c }

// isGroup reports whether ref names exactly one group.
func (c *Conversation) isGroup(ctx context.Context, ref string) bool {
	gd, ok := c.dir.(GroupDirectory)
	if !ok {
		return false
	}
	groups, err := gd.ResolveGroup(ctx, ref)
	return err == nil && len(groups) == 1
}

// groupAnswer explains a group's own provisioning, for the help desk only:
// an end user is refused, and an agent whose help-desk check failed is
// told so. a must have been checked.
func (c *Conversation) groupAnswer(ctx context.Context, t *botframework.Turn, a *asker, r request, opts cardOptions) card.AdaptiveCard {
	if !a.HelpDesk {
		if a.checkErr != nil {
			c.auditLookup(t, *a, "", r.appAsked(), nil, "refused: help-desk check failed")
			return helpDeskCheckFailedCard(a.checkErr)
		}
		c.auditLookup(t, *a, "", r.appAsked(), nil, "refused: group")
		return messageCard("I can only check your own account",
			fmt.Sprintf("Questions about a group are for the help desk: please ask %s. I can tell you about your own accounts: try “Check my accounts”.", c.contact))
	}
	gd, ok := c.dir.(GroupDirectory)
	if !ok {
		return messageCard("I can't look up groups here", "This bot's directory does not answer questions about groups.")
	}
	groupID := r.subject.id
	if groupID == "" {
		groups, err := gd.ResolveGroup(ctx, r.subject.who)
		switch {
		case errors.Is(err, diagnose.ErrNotFound) || err == nil && len(groups) == 0:
			return messageCard("No group found", fmt.Sprintf("I couldn't find a group matching “%s”. Try its object id.", r.subject.who))
		case err != nil:
			return c.errorCard(t, *a, err)
		case len(groups) > 1:
			names := make([]string, 0, len(groups))
			for _, g := range groups {
				names = append(names, g.DisplayName+" ("+g.ObjectID+")")
			}
			return messageCard("Several groups match", fmt.Sprintf("“%s” could be %s. Ask again with the full name or the object id.", r.subject.who, strings.Join(names, ", ")))
		}
		groupID = groups[0].ObjectID
	}
	app, note, answer := c.resolveApp(ctx, t, *a, r, groupID, VerbPickApp)
	if answer != nil {
		return *answer
	}
	appID, appName := "", ""
	if app != nil {
		appID, appName = app.ID, app.Name
	}
	in, err := c.dir.Gather(c.lookupContext(ctx, nil), diagnose.Query{GroupID: groupID, AppID: appID, Refresh: r.refresh, Since: r.when.since(opts.Now, opts.Loc)})
	if err != nil {
		if errors.Is(err, diagnose.ErrNotFound) {
			return messageCard("No group found", "I couldn't find that group in the directory any more.")
		}
		c.auditLookup(t, *a, groupID, appName, nil, "error")
		return c.errorCard(t, *a, err)
	}
	in.Location = opts.Loc
	ds := diagnose.Diagnose(in, opts.Now)
	if appID != "" {
		ds = onlyApp(ds, appID, appName)
	}
	c.auditLookup(t, *a, groupID, appName, ds, "answered")
	switch len(ds) {
	case 0:
		name := in.Group.Name()
		if appID != "" {
			return withNote(messageCard("I found nothing about "+appName,
				"I couldn't tell anything about "+name+" in "+appName+"."), note)
		}
		return withNote(messageCard("No apps found", strings.ToUpper(name[:1])+name[1:]+" is not in any app that is set up to create groups automatically."), note)
	case 1:
		opts.AllSteps = r.allSteps
		return withNote(diagnosisCard(ds[0], opts), note)
	default:
		return withNote(summaryCard(ds, opts), note)
	}
}

// appButtonValue is the app a picker's buttons carry on: the one the
// question named when it names exactly one, else as typed.
func appButtonValue(r request) string {
	if r.app != "" {
		return r.app
	}
	if name, ok := r.named.one(); ok {
		if app := byName(r.catalog, name); app != nil {
			return app.ID
		}
		return name
	}
	return r.named.Said
}

// onlyApp keeps the diagnosis of one app (the engine also reports apps it
// found only in the entries); none when the engine said nothing about it,
// so that the answer is never about another app.
func onlyApp(ds []diagnose.Diagnosis, id, name string) []diagnose.Diagnosis {
	for _, d := range ds {
		if strings.EqualFold(d.App.ServicePrincipalID, id) || d.App.ServicePrincipalID == "" && strings.EqualFold(d.App.Name, name) {
			return []diagnose.Diagnosis{d}
		}
	}
	return nil
}

// statusAnswer shows one app's provisioning status, or every app's: the
// Current Status panel for the help desk, plain words for end users.
func (c *Conversation) statusAnswer(ctx context.Context, t *botframework.Turn, a asker, r request, opts cardOptions) card.AdaptiveCard {
	if r.app == "" && r.named.How == appUnnamed {
		return c.appsAnswer(ctx, t, a, opts)
	}
	app, note, answer := c.resolveApp(ctx, t, a, r, "", VerbStatus)
	if answer != nil {
		return *answer
	}
	if !app.JobsKnown {
		// Resolved from the catalogue (id and name): read its jobs.
		found, err := c.dir.FindApps(ctx, app.ID)
		if err != nil && !errors.Is(err, diagnose.ErrNotFound) {
			return c.errorCard(t, a, err)
		}
		if f := byID(found, app.ID); f != nil {
			app = f
		}
	}
	info := appInfoOf(*app, opts)
	if a.audience() == diagnose.EndUser {
		return withNote(plainStatusCard(info, c.contact), note)
	}
	opts.Offer = c.offerRestart(ctx, t, a, *app)
	return withNote(statusCard(info, opts), note)
}

// appsAnswer lists the apps that provision users; end users see each
// app's state in plain words.
func (c *Conversation) appsAnswer(ctx context.Context, t *botframework.Turn, a asker, opts cardOptions) card.AdaptiveCard {
	apps, err := c.dir.Apps(ctx)
	if err != nil {
		return c.errorCard(t, a, err)
	}
	infos := make([]appInfo, 0, len(apps))
	for _, app := range apps {
		infos = append(infos, appInfoOf(app, opts))
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
