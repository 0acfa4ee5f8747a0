package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/provbot/provbot/botframework"
)

// QueueWait is how long a lookup has to wait for Microsoft's reporting
// budget (the provisioning logs allow a few requests every few seconds
// for the whole organization): the people whose lookups go first, and
// the expected wait before its own request goes out.
type QueueWait struct {
	Ahead int
	Wait  time.Duration
}

// LookupHooks is what a lookup's context carries to the directory, so that
// the directory can talk back while it works; see
// ConversationConfig.LookupContext.
type LookupHooks struct {
	// Queued, when set, is called once, without blocking, as soon as the
	// lookup must wait for the reporting budget.
	Queued func(QueueWait)
	// Allowed, when set, is called (and may block) before the lookup
	// spends the reporting budget: an error ends the lookup with it. The
	// conversation uses it to look someone up while it is still checking
	// whether the asker may see them.
	Allowed func(ctx context.Context) error
}

// busyNote tells the asker, once, that their lookup waits its turn, and
// lets the lookup's deadline follow the wait: a busy budget is a reason
// to wait, not to give up. The answer is sent after the note.
type busyNote struct {
	t      *botframework.Turn
	ctx    context.Context // the turn's, for sending
	extend func(time.Duration)

	once sync.Once
	done chan struct{} // closed once the note is sent (or failed)
}

type busyKey struct{}

// withBusyNote returns lctx, a lookup's context, made to tell the asker
// when the lookup waits for the reporting budget (the note is sent with
// the turn's context tctx); extend(d) pushes the lookup's deadline d
// further.
func withBusyNote(lctx, tctx context.Context, t *botframework.Turn, extend func(time.Duration)) (context.Context, *busyNote) {
	b := &busyNote{t: t, ctx: tctx, extend: extend, done: make(chan struct{})}
	return context.WithValue(lctx, busyKey{}, b), b
}

// queued sends the note in the background; it never blocks the lookup.
func (b *busyNote) queued(w QueueWait) {
	b.once.Do(func() {
		b.extend(w.Wait)
		go func() {
			defer close(b.done)
			msg := &botframework.Activity{Type: botframework.ActivityMessage, Text: busyText(w)}
			if _, err := b.t.Send(b.ctx, msg); err != nil {
				b.t.Logger.Warn("the busy note could not be sent", "err", err)
			}
		}()
	})
}

// sent waits until the note, if one was started, has gone out, so that
// the answer never lands before it.
func (b *busyNote) sent(ctx context.Context) {
	started := true
	b.once.Do(func() { started = false; close(b.done) })
	if !started {
		return
	}
	select {
	case <-b.done:
	case <-ctx.Done():
	}
}

// busyText says in plain words how long the asker waits.
func busyText(w QueueWait) string {
	who := "You're next"
	switch {
	case w.Ahead == 1:
		who = "1 person ahead of you"
	case w.Ahead > 1:
		who = fmt.Sprintf("%d people ahead of you", w.Ahead)
	}
	return fmt.Sprintf("Busy: %s, %s. Microsoft lets me check account records only a few times a minute; I'll answer here as soon as it's your turn.", who, aboutWait(w.Wait))
}

// aboutWait rounds a wait to words: "a few seconds", "about 40 seconds",
// "about a minute", "about 3 minutes".
func aboutWait(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return "a few seconds"
	case d < 50*time.Second:
		return fmt.Sprintf("about %d seconds", int((d+5*time.Second)/(10*time.Second))*10)
	case d < 90*time.Second:
		return "about a minute"
	}
	return fmt.Sprintf("about %d minutes", int((d+30*time.Second)/time.Minute))
}

// lookupContext is ctx prepared for a directory lookup: with the busy
// note of the turn, if any, and allowed as the gate before the reporting
// budget (nil: none).
func (c *Conversation) lookupContext(ctx context.Context, allowed func(context.Context) error) context.Context {
	if c.hooks == nil {
		return ctx
	}
	h := LookupHooks{Allowed: allowed}
	if b, ok := ctx.Value(busyKey{}).(*busyNote); ok {
		h.Queued = b.queued
	}
	return c.hooks(ctx, h)
}

// stretchable is a context that ends after a time that can be pushed
// further while it runs (context.WithTimeout's cannot).
func stretchable(parent context.Context, d time.Duration) (context.Context, func(time.Duration), context.CancelFunc) {
	ctx, end := context.WithCancel(parent)
	var mu sync.Mutex
	timer := time.AfterFunc(d, end)
	extend := func(more time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		if more > 0 && timer.Stop() {
			timer.Reset(d + more)
		}
	}
	return ctx, extend, func() { timer.Stop(); end() }
}
