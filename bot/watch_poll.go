package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/store"
)

// WatchPoller re-checks due watches and tells their owners, proactively,
// when the verdict changed: the account is ready, it failed with a new
// cause, it is late (once), or the watch ran out. Run it on the leader
// only (store.Leader) and pass the term's Fence.
//
// A message is sent at most once per change, across replicas: the poller
// first records it as being sent (a write the store refuses once another
// replica leads, and compares with the watch's version), then sends it,
// then records it as sent. A message recorded as being sent for longer
// than sendTimeout (the sender died in between) is sent again by the next
// leader: only a replica killed during that one Bot Connector request can
// make a message arrive twice.
type WatchPoller struct {
	// State holds the watches and conversation references. Required.
	State State
	// Directory looks accounts up. Required.
	Directory Directory
	// Sender posts the messages. Required.
	Sender Sender
	// Trust, when set, is told the service URL of each stored reference
	// before a message is sent to it (botframework.Connector.TrustStored):
	// references are stored only from authenticated activities.
	Trust func(serviceURL string)
	// Logger logs; required. Now is the clock (default time.Now).
	Logger *slog.Logger
	Now    func() time.Time
	// Every is how often due watches are looked for (default a minute);
	// Batch how many are checked at most each time (default 20), so that
	// the checks stay within the reporting budget.
	Every time.Duration
	Batch int

	wake chan struct{}
	ran  *appSet // apps whose job ran since the last check
}

// appSet is a set of app ids safe for concurrent use.
type appSet struct {
	mu sync.Mutex
	m  map[string]bool
}

func (s *appSet) add(id string) {
	s.mu.Lock()
	s.m[id] = true
	s.mu.Unlock()
}

// take returns the set and empties it.
func (s *appSet) take() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.m
	s.m = map[string]bool{}
	return m
}

// maxRanChecks bounds the watches read when jobs ran.
const maxRanChecks = 1000

// sendTimeout bounds one message; a claim older than it is sent again.
const sendTimeout = time.Minute

func (p *WatchPoller) defaults() {
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Every <= 0 {
		p.Every = time.Minute
	}
	if p.Batch <= 0 {
		p.Batch = 20
	}
}

// Wake makes a running poller look for due watches now.
func (p *WatchPoller) Wake() {
	if p.wake == nil {
		return
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// JobRan tells a running poller that appID's job finished a run: its
// watches are checked at once, whenever they were due, since the run may
// have changed their answers.
func (p *WatchPoller) JobRan(appID string) {
	if p.ran == nil {
		return
	}
	p.ran.add(appID)
	p.Wake()
}

// NewWatchPoller checks p and returns it ready to Run.
func NewWatchPoller(p WatchPoller) (*WatchPoller, error) {
	if p.State == nil || p.Directory == nil || p.Sender == nil || p.Logger == nil {
		return nil, errors.New("bot: WatchPoller needs State, Directory, Sender and Logger")
	}
	p.defaults()
	p.Logger = p.Logger.With("component", "watches")
	p.wake = make(chan struct{}, 1)
	p.ran = &appSet{m: map[string]bool{}}
	return &p, nil
}

// Run checks due watches every Every (or when woken) until ctx ends.
func (p *WatchPoller) Run(ctx context.Context, f store.Fence) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-p.wake:
		}
		if _, err := p.RunOnce(ctx, f); err != nil && ctx.Err() == nil {
			p.Logger.Warn("check watches", "err", err)
		}
		t.Reset(p.Every)
	}
}

// RunOnce checks the watches due now (at most Batch) and returns how many
// it checked.
func (p *WatchPoller) RunOnce(ctx context.Context, f store.Fence) (int, error) {
	now := p.Now()
	ws, err := p.State.DueWatches(ctx, now, p.Batch)
	if err != nil {
		return 0, fmt.Errorf("due watches: %w", err)
	}
	var ran map[string]bool
	if p.ran != nil {
		ran = p.ran.take()
	}
	if len(ran) > 0 {
		// Every watch of those apps, due or not (a watch is due at most
		// watchFor ahead).
		all, err := p.State.DueWatches(ctx, now.Add(watchFor+time.Hour), maxRanChecks)
		if err != nil {
			return 0, fmt.Errorf("watches of apps that ran: %w", err)
		}
		seen := map[string]bool{}
		for _, w := range ws {
			seen[w.ID] = true
		}
		for _, w := range all {
			if ran[w.App] && !seen[w.ID] {
				ws = append(ws, w)
			}
		}
	}
	n := 0
	for _, w := range ws {
		if ctx.Err() != nil {
			break
		}
		if err := p.check(ctx, w, f); err != nil {
			if errors.Is(err, store.ErrFenced) {
				return n, err
			}
			p.Logger.Warn("check a watch", "watch", w.ID, "err", err)
		}
		n++
	}
	return n, nil
}

// check re-checks one watch and decides what to tell.
func (p *WatchPoller) check(ctx context.Context, w store.Watch, f store.Fence) error {
	st, err := decodeWatchState(w)
	if err != nil {
		// Unreadable: nothing sensible can be told; forget it.
		return errors.Join(err, p.State.DeleteWatch(ctx, w.ID, w.Version, f))
	}
	now := p.Now()
	if st.Sending != nil {
		// The replica that claimed this message stopped before it
		// confirmed it (DueAt held it back for sendTimeout).
		return p.deliver(ctx, w, st, *st.Sending, f)
	}
	if !now.Before(w.ExpiresAt) {
		n := watchNotice{Kind: "stopped", Final: true, At: now,
			Title: fmt.Sprintf("I stopped watching %s", lowerFirst(st.accountOf())),
			Text:  fmt.Sprintf("I watched it for %d days and it is still not ready. Ask me “why” to see where it stands.", int(watchFor.Hours()/24))}
		return p.claim(ctx, w, st, n, f)
	}
	if !st.Self {
		// Only the help desk may be told about someone else: check the
		// owner still is.
		hd, err := p.Directory.IsHelpDesk(ctx, w.Owner)
		if err != nil {
			return p.later(ctx, w, st, nil, f, fmt.Errorf("help-desk check: %w", err))
		}
		if !hd {
			p.Logger.Info("watch ended: its owner is no longer on the help desk", "watch", w.ID)
			return p.State.DeleteWatch(ctx, w.ID, w.Version, f)
		}
	}
	d, err := p.lookUp(ctx, w, st, now)
	if err != nil || d == nil {
		return p.later(ctx, w, st, nil, f, err)
	}
	switch {
	case settled(*d):
		return p.claim(ctx, w, st, watchNotice{Kind: "ready", Final: true, At: now,
			Title: st.accountOf() + " is ready", Text: noticeText(*d, st)}, f)
	case d.Category != st.Category:
		st.Category, st.RuleID, st.Expected, st.ToldLate = d.Category, d.RuleID, expectedBy(d.Estimate), false
		return p.claimAndReschedule(ctx, w, st, watchNotice{Kind: "changed", At: now,
			Title: st.accountOf() + ": something changed", Text: noticeText(*d, st)}, f)
	case !st.ToldLate && !st.Expected.IsZero() && now.After(st.Expected.Add(lateAfter)):
		st.ToldLate = true
		if e := expectedBy(d.Estimate); e.After(st.Expected) {
			st.Expected = e
		}
		return p.claimAndReschedule(ctx, w, st, watchNotice{Kind: "late", At: now,
			Title: st.accountOf() + " is taking longer than expected",
			Text: fmt.Sprintf("It is still not ready. %s I'll keep watching until %s and tell you when it is ready.",
				estimateText(*d), diagnose.Clock(w.ExpiresAt, now, time.UTC))}, f)
	}
	return p.later(ctx, w, st, d, f, nil)
}

// lookUp diagnoses the watched account now, for the owner's audience.
func (p *WatchPoller) lookUp(ctx context.Context, w store.Watch, st watchState, now time.Time) (*diagnose.Diagnosis, error) {
	in, err := p.Directory.Gather(ctx, diagnose.Query{UserID: w.Subject, AppID: w.App, Refresh: true})
	if err != nil {
		return nil, fmt.Errorf("look up: %w", err)
	}
	in.Audience = diagnose.EndUser
	if st.HelpDesk {
		in.Audience = diagnose.HelpDesk
	}
	ds := onlyApp(diagnose.Diagnose(in, now), w.App, st.AppName)
	if len(ds) == 0 {
		return nil, nil
	}
	return &ds[0], nil
}

// later schedules the next check (with back-off) and keeps st.
func (p *WatchPoller) later(ctx context.Context, w store.Watch, st watchState, d *diagnose.Diagnosis, f store.Fence, cause error) error {
	st.Checks++
	var e *diagnose.Estimate
	if d != nil && !st.ToldLate {
		// Once late, the estimate has proved wrong: back off instead (a
		// finished run of the job still re-checks at once, see JobRan).
		e = d.Estimate
	}
	w.DueAt = nextCheck(e, p.Now(), w.ExpiresAt, st.Checks)
	w.State = st.encode()
	_, err := p.State.UpdateWatch(ctx, w, f)
	return errors.Join(cause, err)
}

// claimAndReschedule claims n for sending with the watch going on after
// (its back-off starting again).
func (p *WatchPoller) claimAndReschedule(ctx context.Context, w store.Watch, st watchState, n watchNotice, f store.Fence) error {
	st.Checks = 0
	return p.claim(ctx, w, st, n, f)
}

// claim records n as being sent (fenced, versioned), then delivers it.
func (p *WatchPoller) claim(ctx context.Context, w store.Watch, st watchState, n watchNotice, f store.Fence) error {
	st.Sending = &n
	w.State = st.encode()
	w.DueAt = p.Now().Add(sendTimeout)
	claimed, err := p.State.UpdateWatch(ctx, w, f)
	if err != nil {
		return fmt.Errorf("claim the message: %w", err)
	}
	return p.deliver(ctx, claimed, st, n, f)
}

// deliver sends a claimed message and records it as sent: the watch ends
// after a final one, else its next check is scheduled. The send and the
// record finish even when the term ends meanwhile (within sendTimeout),
// so that a stopping leader does not leave it to be sent twice.
func (p *WatchPoller) deliver(ctx context.Context, w store.Watch, st watchState, n watchNotice, f store.Fence) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout/2)
	defer cancel()
	ref, err := loadReference(ctx, p.State, w.Conversation)
	if err == nil {
		if p.Trust != nil {
			p.Trust(ref.ServiceURL)
		}
		_, err = p.Sender.Send(ctx, ref, cardReply(noticeCard(n, w)))
	}
	if err != nil {
		if gone(err) || errors.Is(err, store.ErrNotFound) {
			// The bot was removed or the chat is gone: no one to tell.
			p.Logger.Info("watch ended: its conversation is gone", "watch", w.ID, "err", err)
			return p.State.DeleteWatch(ctx, w.ID, w.Version, store.Fence{})
		}
		return fmt.Errorf("send: %w", err)
	}
	p.Logger.Info("watch told", "watch", w.ID, "kind", n.Kind)
	// Recorded without the fence (the message is out; a new leader must
	// not send it again) but only if no one wrote the watch since.
	if n.Final {
		return p.State.DeleteWatch(ctx, w.ID, w.Version, store.Fence{})
	}
	st.Sending = nil
	w.State = st.encode()
	w.DueAt = nextCheck(nil, p.Now(), w.ExpiresAt, st.Checks)
	if !st.ToldLate && !st.Expected.IsZero() && st.Expected.Add(checkMargin).After(p.Now().Add(minCheck)) {
		w.DueAt = st.Expected.Add(checkMargin)
	}
	_, err = p.State.UpdateWatch(ctx, w, store.Fence{})
	return err
}

// noticeText is the fresh verdict in a sentence for the watch's owner.
func noticeText(d diagnose.Diagnosis, st watchState) string {
	if !st.HelpDesk {
		lead, _ := endUserLead(d)
		return lead
	}
	return d.Headline
}

// estimateText is the estimate's sentence, if any.
func estimateText(d diagnose.Diagnosis) string {
	if d.Estimate == nil {
		return ""
	}
	return d.Estimate.Text
}

// noticeCard is a watch's proactive message, with a button to see the
// whole answer.
func noticeCard(n watchNotice, w store.Watch) card.AdaptiveCard {
	mark := map[string]string{"ready": "✓ ", "changed": "! ", "late": "⏳ ", "stopped": ""}[n.Kind]
	body := []card.Element{textBlock(card.Plain(mark+n.Title), bold, medium)}
	if n.Text != "" {
		body = append(body, textBlock(card.Plain(n.Text)))
	}
	actions := []card.Action{button("Show details", ActionData{Verb: VerbDiagnose, User: w.Subject, App: w.App})}
	if !n.Final {
		actions = append(actions, button("Stop watching", ActionData{Verb: VerbUnwatch, Watch: w.ID}))
	}
	body = append(body, actionSet(actions...))
	c := newCard(body, n.Title+". "+n.Text)
	c.Private = true
	return c
}

// gone reports a Bot Connector answer that means the conversation cannot
// be posted to any more: 403 (the bot was removed, blocked or disabled) or
// 404 (the conversation does not exist).
func gone(err error) bool {
	var ce *botframework.ConnectorError
	return errors.As(err, &ce) && (errors.Is(err, botframework.ErrForbidden) || errors.Is(err, botframework.ErrNotFound))
}
