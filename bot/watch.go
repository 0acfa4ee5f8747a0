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

// watchState is what a watch remembers between checks (store.Watch.State).
type watchState struct {
	// AppName and SubjectName say what is watched, for messages and "my
	// watches"; Self is true when the owner watches their own account.
	AppName     string `json:"app"`
	SubjectName string `json:"subject,omitempty"`
	Self        bool   `json:"self,omitempty"`
	// HelpDesk is true when the owner asked as the help desk (answers are
	// written for them; re-checked before each message about someone
	// else).
	HelpDesk bool `json:"helpDesk,omitempty"`
	// Category and RuleID are the verdict last told.
	Category diagnose.Category `json:"category"`
	RuleID   string            `json:"rule,omitempty"`
	// Expected is when the estimate said it would happen (zero: it named
	// no time); ToldLate says the delay was told already.
	Expected time.Time `json:"expected,omitzero"`
	ToldLate bool      `json:"toldLate,omitempty"`
	// Checks counts the checks, for back-off.
	Checks int `json:"checks,omitempty"`
	// Sending is a message claimed for sending and not yet confirmed as
	// sent (see WatchPoller).
	Sending *watchNotice `json:"sending,omitempty"`
}

// watchNotice is one proactive message of a watch.
type watchNotice struct {
	// Kind is ready, changed, late or stopped.
	Kind  string    `json:"kind"`
	Title string    `json:"title"`
	Text  string    `json:"text"`
	At    time.Time `json:"at"`
	// Final says the watch ends once it is sent.
	Final bool `json:"final,omitempty"`
}

func decodeWatchState(w store.Watch) (watchState, error) {
	var s watchState
	if err := json.Unmarshal(w.State, &s); err != nil {
		return s, fmt.Errorf("watch %s: decode state: %w", w.ID, err)
	}
	return s, nil
}

func (s watchState) encode() []byte {
	b, _ := json.Marshal(s)
	return b
}

// accountOf names the watched account for the owner: "Your ServiceNow
// account", "Adele Vance's ServiceNow account".
func (s watchState) accountOf() string {
	if s.Self || s.SubjectName == "" {
		return "Your " + s.AppName + " account"
	}
	return s.SubjectName + "'s " + s.AppName + " account"
}

// withNotifyMe adds "Notify me" to a diagnosis card's buttons when the
// conversation keeps watches and the estimate names a time: first for end
// users, in the overflow menu for the help desk (whose row is full).
func withNotifyMe(d diagnose.Diagnosis, o cardOptions, buttons []card.Action) []card.Action {
	if !o.Watchable || !watchable(d) {
		return buttons
	}
	b := button("Notify me", ActionData{Verb: VerbWatch, User: d.User.ObjectID, App: d.App.ServicePrincipalID})
	if d.Audience == diagnose.HelpDesk {
		return append(buttons, secondary(b))
	}
	return append([]card.Action{b}, buttons...)
}

// watchCommand answers "Notify me", "my watches" and "stop watching".
func (c *Conversation) watchCommand(ctx context.Context, t *botframework.Turn, a *asker, r request, opts cardOptions) card.AdaptiveCard {
	if c.state == nil {
		return messageCard("I can't watch accounts here", "This provbot keeps no state, so it cannot tell you later. Ask me again in a while instead.")
	}
	if a.ID == "" {
		return messageCard("I can't tell who you are", "Teams did not tell me your directory account, so I can't watch anything for you here.")
	}
	switch r.verb {
	case VerbWatches:
		return c.listWatches(ctx, t, *a, opts, "")
	case VerbUnwatch:
		return c.unwatch(ctx, t, *a, r, opts)
	}
	return c.watch(ctx, t, a, r, opts)
}

// watch makes a watch: it looks the account up now (the answer it would
// give), and keeps the verdict to compare later checks with.
func (c *Conversation) watch(ctx context.Context, t *botframework.Turn, a *asker, r request, opts cardOptions) card.AdaptiveCard {
	if t.Activity.IsGroup() {
		return messageCard("Ask me in our one-to-one chat", "I tell you about an account in a private chat only. Open a chat with provbot and ask me there to be told when it changes.")
	}
	userID, checked, err := c.mayLookUp(ctx, t, a, r.subject)
	switch {
	case errors.Is(err, errNotAllowed):
		c.auditLookup(t, *a, "", r.appAsked(), nil, "refused: watch of another account")
		return messageCard("I can only watch your own account",
			fmt.Sprintf("For someone else's account, please ask %s.", c.contact))
	case errors.Is(err, errCheckFailed):
		return helpDeskCheckFailedCard(a.checkErr)
	case err != nil:
		return c.errorCard(t, *a, err)
	}
	if userID == "" {
		id, answer := c.resolvePerson(ctx, t, a, r, opts)
		if answer != nil {
			return *answer
		}
		userID = id
	}
	app, _, answer := c.resolveApp(ctx, t, *a, r, userID, VerbWatch)
	if answer != nil {
		return *answer
	}
	if app == nil {
		return messageCard("Which app should I watch?", "Name the app, for example “tell me when my ServiceNow account is ready”.")
	}
	in, err := c.dir.Gather(ctx, diagnose.Query{UserID: userID, AppID: app.ID, Refresh: r.refresh})
	checked()
	if err != nil {
		if errors.Is(err, diagnose.ErrNotFound) {
			return messageCard("No one found", "I couldn't find that person in the directory any more.")
		}
		return c.errorCard(t, *a, err)
	}
	in.Audience = a.audience()
	in.Location = opts.Loc
	ds := onlyApp(diagnose.Diagnose(in, opts.Now), app.ID, app.Name)
	c.auditLookup(t, *a, userID, app.Name, ds, "watch")
	st := watchState{AppName: app.Name, Self: userID == a.ID, HelpDesk: a.HelpDesk}
	if in.User != nil {
		st.SubjectName = in.User.Name()
	}
	if len(ds) == 0 {
		return messageCard("I found nothing about "+app.Name, "I couldn't tell anything about this account in "+app.Name+", so there is nothing to watch. Please ask "+c.contact+".")
	}
	d := ds[0]
	if settled(d) {
		return messageCard(st.accountOf()+" is ready already", "There is nothing to wait for: ask me “why” if something still does not work.")
	}
	st.Category, st.RuleID, st.Expected = d.Category, d.RuleID, expectedBy(d.Estimate)
	key, err := saveReference(ctx, c.state, t)
	if err != nil {
		t.Logger.Error("watch: keep the conversation", "err", err)
		return apologyCard("I couldn't keep this conversation to tell you later. Please try again in a minute.")
	}
	now := opts.Now
	w := store.Watch{Owner: a.ID, Conversation: key, Subject: userID, App: app.ID, CreatedAt: now, ExpiresAt: now.Add(watchFor)}
	w.DueAt = nextCheck(d.Estimate, now, w.ExpiresAt, 0)
	w.State = st.encode()
	made, err := c.state.CreateWatch(ctx, w)
	lead := ""
	switch {
	case errors.Is(err, store.ErrExists):
		lead = "I'm already watching " + lowerFirst(st.accountOf()) + "."
	case err != nil:
		t.Logger.Error("watch: store it", "err", err)
		return apologyCard("I couldn't keep this watch. Please try again in a minute.")
	default:
		c.audit.Info("watch", "asker", a.ID, "asker_help_desk", a.HelpDesk, "subject", userID, "app", app.Name, "watch", made.ID,
			"due", made.DueAt.UTC(), "time", now.UTC())
	}
	return watchingCard(d, st, made, opts, lead)
}

// watchingCard is the diagnosis the watch starts from, with the watch's
// confirmation under its verdict: a click on Notify me replaces the card
// in place, and the person still reads their answer.
func watchingCard(d diagnose.Diagnosis, st watchState, w store.Watch, o cardOptions, lead string) card.AdaptiveCard {
	o.Watchable, o.AllSteps = false, false
	c := diagnosisCard(d, o)
	confirm := watchCard(st, w, o, lead)
	at := min(1, len(c.Body))
	body := append([]card.Element{}, c.Body[:at]...)
	body = append(body, container(confirm.Body, style(card.StyleEmphasis), separator))
	c.Body = append(body, c.Body[at:]...)
	c.FallbackText = confirm.FallbackText + "\n\n" + c.FallbackText
	return c
}

// watchCard confirms a watch: what will be told, when the next check is,
// until when.
func watchCard(st watchState, w store.Watch, o cardOptions, lead string) card.AdaptiveCard {
	if lead == "" {
		lead = fmt.Sprintf("I'll tell you when %s is ready.", lowerFirst(st.accountOf()))
	}
	text := fmt.Sprintf("I'll check again at about %s, and keep checking until %s. If it takes longer than expected, I'll say so once.",
		when(w.DueAt, o.Now, o.Loc), when(w.ExpiresAt, o.Now, o.Loc))
	body := []card.Element{
		textBlock(card.Plain("🔔 "+lead), bold, medium),
		textBlock(card.Plain(text)),
		actionSet(button("My watches", ActionData{Verb: VerbWatches}), button("Stop watching", ActionData{Verb: VerbUnwatch, Watch: w.ID})),
	}
	c := newCard(body, lead+" "+text)
	c.Private = true
	return c
}

// maxListed is how many watches "my watches" shows with a Stop button.
const maxListed = 5

// listWatches answers "my watches".
func (c *Conversation) listWatches(ctx context.Context, t *botframework.Turn, a asker, o cardOptions, lead string) card.AdaptiveCard {
	ws, err := c.state.WatchesByOwner(ctx, a.ID)
	if err != nil {
		t.Logger.Error("list watches", "err", err)
		return apologyCard("I couldn't read your watches. Please try again in a minute.")
	}
	if len(ws) == 0 {
		text := "Ask me about an account; when it is waiting for provisioning, click Notify me."
		if lead != "" {
			return messageCard(lead, "You are not watching anything else. "+text)
		}
		return messageCard("You are not watching anything", text)
	}
	title := "Your watches"
	if lead != "" {
		title = lead + " Your other watches:"
	}
	body := []card.Element{textBlock(card.Plain(title), bold, medium)}
	fallback := title
	for i, w := range ws {
		st, err := decodeWatchState(w)
		if err != nil {
			continue
		}
		line := fmt.Sprintf("%s: next check at about %s, until %s.", st.accountOf(), when(w.DueAt, o.Now, o.Loc), when(w.ExpiresAt, o.Now, o.Loc))
		fallback += "\n- " + line
		items := []card.Element{textBlock(card.Plain(line))}
		if i < maxListed {
			items = append(items, actionSet(button("Stop", ActionData{Verb: VerbUnwatch, Watch: w.ID})))
		}
		body = append(body, container(items, separator))
	}
	if len(ws) > maxListed {
		body = append(body, textBlock(card.Format("To stop another, type “stop watching” and the app or the person."), subtle))
	}
	out := newCard(body, fallback)
	out.Private = true
	return out
}

// unwatch ends a watch: the one a button names, or the one the words
// name (an app or a person), or the only one.
func (c *Conversation) unwatch(ctx context.Context, t *botframework.Turn, a asker, r request, o cardOptions) card.AdaptiveCard {
	ws, err := c.state.WatchesByOwner(ctx, a.ID)
	if err != nil {
		t.Logger.Error("list watches", "err", err)
		return apologyCard("I couldn't read your watches. Please try again in a minute.")
	}
	var match []store.Watch
	ref := strings.ToLower(strings.TrimSpace(r.watchRef))
	for _, w := range ws {
		st, err := decodeWatchState(w)
		switch {
		case err != nil:
		case w.ID == r.watchRef,
			ref != "" && (strings.Contains(strings.ToLower(st.AppName), ref) || strings.Contains(strings.ToLower(st.SubjectName), ref) ||
				strings.Contains(ref, strings.ToLower(st.AppName))):
			match = append(match, w)
		}
	}
	if ref == "" && len(ws) == 1 {
		match = ws
	}
	switch len(match) {
	case 0:
		if len(ws) == 0 {
			return messageCard("You are not watching anything", "There is nothing to stop.")
		}
		return c.listWatches(ctx, t, a, o, "I couldn't tell which watch to stop.")
	case 1:
	default:
		return c.listWatches(ctx, t, a, o, "Several watches fit.")
	}
	w := match[0]
	st, _ := decodeWatchState(w)
	if err := c.state.DeleteWatch(ctx, w.ID, 0, store.Fence{}); err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Logger.Error("stop watching", "err", err)
		return apologyCard("I couldn't stop that watch. Please try again in a minute.")
	}
	c.audit.Info("unwatch", "asker", a.ID, "watch", w.ID, "subject", w.Subject, "app", st.AppName, "time", c.now().UTC())
	return c.listWatches(ctx, t, a, o, fmt.Sprintf("I stopped watching %s.", lowerFirst(st.accountOf())))
}

// lowerFirst lowers "Your" at the start of a phrase used mid-sentence.
func lowerFirst(s string) string {
	if strings.HasPrefix(s, "Your ") {
		return "your " + s[len("Your "):]
	}
	return s
}
