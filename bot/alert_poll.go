package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/store"
)

// AlertPoller reads every provisioning job of the catalogue and posts to
// the registered alert channels when a job enters one of the conditions
// of conditionsOf, and when it leaves it: once per episode (the store's
// episodes, written under the leader's Fence), unless the app is muted.
// Run it on the leader only. An alert is recorded as posted before it is
// posted, so that no replica posts it twice; one whose post failed is
// tried again at the next poll.
type AlertPoller struct {
	State     State
	Directory Directory
	Sender    Sender
	// Trust: see WatchPoller.Trust.
	Trust  func(serviceURL string)
	Logger *slog.Logger
	Now    func() time.Time
	// Every is how often the jobs are read (default 5 minutes: a job's
	// status changes at most once a cycle).
	Every time.Duration
	// Loc is where alert times are shown (default UTC).
	Loc *time.Location
	// OnCycle, when set, is told about every app whose job finished a
	// run since the previous poll (the watch poller re-checks its
	// watches: WatchPoller.JobRan).
	OnCycle func(appID string)

	wake    chan struct{}
	lastRun map[string]time.Time // job key → end of its last run, as last read
}

// FreshDirectory is a [Directory] that can read every job anew, bypassing
// its caches; the alert poller uses it when the Directory has it.
type FreshDirectory interface {
	AppsFresh(ctx context.Context) ([]diagnose.App, error)
}

// Wake makes a running poller read the jobs now.
func (p *AlertPoller) Wake() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// episodeState is what an episode remembers (store.Episode.State).
type episodeState struct {
	App     string       `json:"app"`
	AppName string       `json:"appName"`
	Cond    jobCondition `json:"cond"`
	// Posted says the alert was posted (or claimed for posting).
	Posted bool `json:"posted,omitempty"`
}

// NewAlertPoller checks p and returns it ready to Run.
func NewAlertPoller(p AlertPoller) (*AlertPoller, error) {
	if p.State == nil || p.Directory == nil || p.Sender == nil || p.Logger == nil {
		return nil, errors.New("bot: AlertPoller needs State, Directory, Sender and Logger")
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.Every <= 0 {
		p.Every = 5 * time.Minute
	}
	if p.Loc == nil {
		p.Loc = time.UTC
	}
	p.Logger = p.Logger.With("component", "alerts")
	p.wake = make(chan struct{}, 1)
	p.lastRun = map[string]time.Time{}
	return &p, nil
}

// Run polls every Every until ctx ends.
func (p *AlertPoller) Run(ctx context.Context, f store.Fence) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-p.wake:
		}
		if err := p.RunOnce(ctx, f); err != nil && ctx.Err() == nil {
			p.Logger.Warn("check jobs", "err", err)
		}
		t.Reset(p.Every)
	}
}

const episodePrefix = "job:"

// RunOnce reads the jobs once, opens and closes episodes, and posts.
func (p *AlertPoller) RunOnce(ctx context.Context, f store.Fence) error {
	var apps []diagnose.App
	var err error
	if fd, ok := p.Directory.(FreshDirectory); ok {
		apps, err = fd.AppsFresh(ctx)
	} else {
		apps, err = p.Directory.Apps(ctx)
	}
	if err != nil {
		return fmt.Errorf("read the jobs: %w", err)
	}
	now := p.Now()
	mutes, err := p.State.Mutes(ctx, now)
	if err != nil {
		return fmt.Errorf("read mutes: %w", err)
	}
	muted := map[string]bool{}
	for _, m := range mutes {
		muted[m.App] = true
	}
	channels, err := p.State.AlertChannels(ctx)
	if err != nil {
		return fmt.Errorf("read alert channels: %w", err)
	}
	current := map[string]bool{}
	read := map[string]bool{} // apps whose jobs were read
	var errs []error
	for _, app := range apps {
		if !app.JobsKnown {
			continue
		}
		read[app.ID] = true
		for i := range app.Jobs {
			j := &app.Jobs[i]
			p.noteRun(app.ID, j)
			for _, cond := range conditionsOf(j, now) {
				key := episodePrefix + app.ID + "/" + j.ID + "/" + string(cond)
				current[key] = true
				st := episodeState{App: app.ID, AppName: app.Name, Cond: cond}
				raw, _ := json.Marshal(st)
				ep, _, err := p.State.OpenEpisode(ctx, store.Episode{Key: key, OpenedAt: now, State: raw}, f)
				if err != nil {
					if errors.Is(err, store.ErrFenced) {
						return err
					}
					errs = append(errs, err)
					continue
				}
				if err := p.alert(ctx, ep, app, j, muted[app.ID], channels, now, f); err != nil {
					if errors.Is(err, store.ErrFenced) {
						return err
					}
					errs = append(errs, err)
				}
			}
		}
	}
	open, err := p.State.OpenEpisodes(ctx)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("open episodes: %w", err))...)
	}
	for _, ep := range open {
		if !strings.HasPrefix(ep.Key, episodePrefix) || current[ep.Key] {
			continue
		}
		var st episodeState
		if json.Unmarshal(ep.State, &st) != nil || !read[st.App] {
			continue // its app was not read this time: nothing is known
		}
		closed, err := p.State.CloseEpisode(ctx, ep.Key, f)
		if err != nil {
			if errors.Is(err, store.ErrFenced) {
				return err
			}
			errs = append(errs, err)
			continue
		}
		if st.Posted && !muted[st.App] {
			p.Logger.Info("episode over", "episode", closed.Key)
			var job *diagnose.Job
			var app diagnose.App
			for _, a := range apps {
				if a.ID == st.App {
					app = a
				}
			}
			for i := range app.Jobs {
				if strings.Contains(ep.Key, "/"+app.Jobs[i].ID+"/") {
					job = &app.Jobs[i]
				}
			}
			errs = append(errs, p.post(ctx, channels, alertCard(st.Cond, app, job, true, now, p.Loc)))
		}
	}
	return errors.Join(errs...)
}

// alert posts an episode's alert unless it was posted, the app is muted
// or there is no channel; it records the alert as posted first.
func (p *AlertPoller) alert(ctx context.Context, ep store.Episode, app diagnose.App, j *diagnose.Job, muted bool,
	channels []store.AlertChannel, now time.Time, f store.Fence) error {
	var st episodeState
	if err := json.Unmarshal(ep.State, &st); err != nil {
		return fmt.Errorf("episode %s: %w", ep.Key, err)
	}
	if st.Posted || muted || len(channels) == 0 {
		return nil
	}
	st.Posted = true
	ep.State, _ = json.Marshal(st)
	claimed, err := p.State.UpdateEpisode(ctx, ep, f)
	if errors.Is(err, store.ErrConflict) {
		return nil // another term is on it
	}
	if err != nil {
		return fmt.Errorf("claim alert %s: %w", ep.Key, err)
	}
	p.Logger.Info("alert", "episode", ep.Key, "channels", len(channels))
	if err := p.post(ctx, channels, alertCard(st.Cond, app, j, false, now, p.Loc)); err != nil {
		// Not posted anywhere it should be: try again next time.
		st.Posted = false
		claimed.State, _ = json.Marshal(st)
		_, uerr := p.State.UpdateEpisode(ctx, claimed, store.Fence{})
		return errors.Join(err, uerr)
	}
	return nil
}

// post sends c to every channel; it fails when no channel got it.
func (p *AlertPoller) post(ctx context.Context, channels []store.AlertChannel, c card.AdaptiveCard) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
	defer cancel()
	var errs []error
	sent := 0
	for _, ch := range channels {
		ref, err := loadReference(ctx, p.State, ch.Conversation)
		if err == nil {
			if p.Trust != nil {
				p.Trust(ref.ServiceURL)
			}
			_, err = p.Sender.Send(ctx, ref, cardReply(c))
		}
		if err != nil {
			if gone(err) {
				// The bot was removed from the team or the channel is
				// gone: stop posting there.
				p.Logger.Info("alert channel unregistered: the bot can no longer post there", "channel", ch.ID, "err", err)
				if derr := p.State.DeleteAlertChannel(ctx, ch.ID); derr != nil {
					errs = append(errs, derr)
				}
				continue
			}
			errs = append(errs, fmt.Errorf("post to %s: %w", ch.ID, err))
			continue
		}
		sent++
	}
	if sent > 0 || len(errs) == 0 {
		for _, err := range errs {
			p.Logger.Warn("alert not posted to a channel", "err", err)
		}
		return nil
	}
	return errors.Join(errs...)
}

// alertCard is an alert for the help desk's channel: what happened, the
// job's status (the state, its verdict, since when, the next attempt, the
// job id: nothing about any person) and who must act.
func alertCard(cond jobCondition, app diagnose.App, j *diagnose.Job, ended bool, now time.Time, loc *time.Location) card.AdaptiveCard {
	title := alertTitle(cond, app.Name, ended)
	body := []card.Element{textBlock(card.Plain(title), bold, medium)}
	fallback := title
	if j != nil {
		s := diagnose.StatusOf(j, 0, now, loc)
		body = append(body, statusVerdict(s))
		var facts []card.Fact
		facts = append(facts, fact(card.Format("State"), card.Plain(s.State)))
		if !s.QuarantineSince.IsZero() {
			facts = append(facts, fact(card.Format("Quarantined since"), card.Plain(when(s.QuarantineSince, now, loc))))
		}
		if !s.NextAttempt.IsZero() {
			facts = append(facts, fact(card.Format("Next attempt"), card.Plain(when(s.NextAttempt, now, loc))))
		}
		if !s.LastRun.IsZero() {
			facts = append(facts, fact(card.Format("Last run"), card.Plain(when(s.LastRun, now, loc))))
		}
		if !s.LastSuccess.IsZero() {
			facts = append(facts, fact(card.Format("Last clean run"), card.Plain(when(s.LastSuccess, now, loc))))
		}
		facts = append(facts, fact(card.Format("Job ID"), card.Plain(s.JobID)))
		body = append(body, factSet(facts))
		fallback += ". " + s.Verdict
	}
	who := whoActs(cond, app.Name, ended)
	body = append(body, textBlock(card.Format("Who must act"), bold), textBlock(card.Plain(who), noSpace))
	fallback += " Who must act: " + who
	if !ended {
		// No buttons: a click answered in place would replace the alert
		// for everyone in the channel.
		body = append(body, textBlock(card.Format("Ask me “status of %s” for more, or say “mute %s for 1 day” to silence it.", app.Name, app.Name), subtle, small))
	}
	return newCard(body, fallback)
}

// noteRun tells OnCycle when the job's last run ended later than when it
// was last read (not on the first read: nothing is known to have changed).
func (p *AlertPoller) noteRun(appID string, j *diagnose.Job) {
	le := j.Status.LastExecution
	if le == nil || diagnose.IsNever(le.Ended) {
		return
	}
	key := appID + "/" + j.ID
	prev, seen := p.lastRun[key]
	p.lastRun[key] = le.Ended
	if seen && le.Ended.After(prev) && p.OnCycle != nil {
		p.OnCycle(appID)
	}
}
