package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// maxBatchUsers is how many users one provisioning-log request asks for:
// 15 "sourceIdentity/id eq '<guid>'" clauses make a filter of about a
// thousand characters, well inside Graph's URL limits.
const maxBatchUsers = 15

// batchTimeout bounds one batch of lookups, whoever waits for it.
const batchTimeout = 2 * time.Minute

// lookupKey names one user's entries, for one app or ("") all apps.
type lookupKey struct{ user, app string }

func newLookupKey(user, app string) lookupKey {
	return lookupKey{user: strings.ToLower(user), app: strings.ToLower(app)}
}

// logResult is one user's entries, newest first. complete is false when
// the log cap cut them short.
type logResult struct {
	entries  []diagnose.Entry
	complete bool
}

// logLookup is one user's entries being fetched; everyone asking for the
// same key while it runs waits for it (coalescing).
type logLookup struct {
	key     lookupKey
	userID  string
	appID   string
	done    chan struct{}
	once    sync.Once
	res     logResult
	err     error
	waiters int
	started bool
	queued  time.Time // when it joined the queue

	// Batching with other replicas (sharedqueue.go), under
	// logBatcher.mu: the item offering it on the shared queue, closed
	// once the first offer returned, whether it is offered, the poller's
	// tick of the offer, whether it waited a tick unoffered, whether
	// another replica claimed it (it waits in logBatcher.remote), and
	// whether this replica fetches it whatever happens.
	item      string
	offering  chan struct{}
	offered   bool
	offerTick int
	seen      bool
	remote    bool
	local     bool
}

// logBatcher turns concurrent lookups of provisioning logs into few
// requests. A lookup joins one already pending or running for the same
// user and app; lookups wait in a queue while the reporting budget has no
// free slot, and when one frees up a single request fetches up to
// maxBatchUsers queued users of the same app with
// "sourceIdentity/id eq 'a' or sourceIdentity/id eq 'b' ...", whose
// entries are then split per user. With a free slot a lookup goes out at
// once, so batching costs no latency.
//
// With a SharedQueue the batching spans replicas: a lookup still waiting
// after one tick of the poller is offered on its app's shared queue; a
// replica whose batch has room when it gets a slot claims other
// replicas' offered users of the same app, fetches them with its own in
// the one request and publishes their entries; the owner, polling,
// completes its lookup with them at once, or, when the claim lapses or
// the claimer's fetch failed, fetches the user itself. Before a batch
// goes out its own offered users are withdrawn; those claimed meanwhile
// are left to their claimer.
type logBatcher struct {
	c *Client

	mu       sync.Mutex
	inflight map[lookupKey]*logLookup
	pending  []*logLookup
	running  bool // a dispatcher goroutine is active

	remote     []*logLookup       // claimed by other replicas, waiting for their answers
	polling    bool               // the shared queue's poller runs
	cancelTake context.CancelFunc // ends the dispatcher's wait for a slot
}

func newLogBatcher(c *Client) *logBatcher {
	return &logBatcher{c: c, inflight: map[lookupKey]*logLookup{}}
}

// userEntries returns the user's entries for appID ("" for every app),
// newest first, capped at the log cap: from the cache unless refresh,
// else through the batcher.
func (c *Client) userEntries(ctx context.Context, userID, appID string, refresh bool) (logResult, error) {
	key := newLookupKey(userID, appID)
	if !refresh {
		if r, ok := c.entries.get(key); ok {
			return r, nil
		}
		if appID != "" {
			// Every app's entries, when complete, hold this app's.
			if r, ok := c.entries.get(newLookupKey(userID, "")); ok && r.complete {
				return logResult{entries: filterApp(r.entries, appID), complete: true}, nil
			}
		}
	}
	if gate := reportingGate(ctx); gate != nil {
		var err error
		c.cfg.idle(ctx, func() { err = gate(ctx) })
		if err != nil {
			return logResult{}, err
		}
	}
	return c.lookupShared(ctx, userID, appID)
}

// filterApp keeps the entries of one app.
func filterApp(entries []diagnose.Entry, appID string) []diagnose.Entry {
	var out []diagnose.Entry
	for _, e := range entries {
		if strings.EqualFold(e.ServicePrincipal.ID, appID) {
			out = append(out, e)
		}
	}
	return out
}

// lookup queues (or joins) a lookup and waits for it, as long as ctx
// allows: a busy reporting budget delays it but never fails it.
func (b *logBatcher) lookup(ctx context.Context, userID, appID string) (logResult, error) {
	key := newLookupKey(userID, appID)
	b.mu.Lock()
	l := b.inflight[key]
	if l == nil {
		l = &logLookup{key: key, userID: userID, appID: appID, done: make(chan struct{}), queued: b.c.cfg.now()}
		b.inflight[key] = l
		b.pending = append(b.pending, l)
		if !b.running {
			b.running = true
			b.c.goSafe(b.dispatch)
		}
		b.startPolling()
	}
	var wait QueueWait
	if bud := b.c.budget; bud != nil && !l.started {
		ahead := max(slices.Index(b.pending, l), 0) // -1: waiting on another replica
		wait = QueueWait{Ahead: ahead, Wait: bud.estimate(ahead / maxBatchUsers)}
	}
	l.waiters++
	b.mu.Unlock()
	stopNote := func() {}
	if notify := queueNotifier(ctx); notify != nil && wait.Wait > 0 {
		notify(wait)
	} else {
		// Not told now (the budget looked free), it is told if it still
		// waits for a slot, or for another replica, a while later.
		stopNote = b.c.lateNote(ctx, func() bool {
			b.mu.Lock()
			defer b.mu.Unlock()
			return !l.started
		})
	}

	// The wait for a turn in the queue is no work: the caller's place
	// among the work allowed at once is given up meanwhile (WithIdle).
	var ended bool
	b.c.cfg.idle(ctx, func() {
		select {
		case <-l.done:
		case <-ctx.Done():
			ended = true
		}
	})
	stopNote()
	if !ended {
		return l.res, l.err
	}
	b.mu.Lock()
	started := l.started
	l.waiters--
	if l.waiters == 0 && !l.started {
		// Nobody wants it any more and it has not gone out: drop it.
		b.pending = slices.DeleteFunc(b.pending, func(p *logLookup) bool { return p == l })
		delete(b.inflight, key)
		b.giveUp(l)
	}
	b.mu.Unlock()
	if b.c.budget != nil && !started {
		return logResult{}, b.c.budget.exhausted(opProvisioning.name, b.c.budget.estimate(0))
	}
	return logResult{}, toError(opProvisioning, ctx.Err(), nil)
}

// inFlight reports whether a lookup for key is queued or running.
func (b *logBatcher) inFlight(key lookupKey) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.inflight[key] != nil
}

// dispatch sends queued lookups while there are any: it takes a budget
// slot, then as many queued lookups of one app as fit in a request.
func (b *logBatcher) dispatch() {
	defer func() {
		b.mu.Lock()
		b.running = false
		restart := len(b.pending) > 0
		if restart {
			b.running = true
		}
		b.mu.Unlock()
		if restart {
			b.c.goSafe(b.dispatch)
		}
	}()
	for {
		b.mu.Lock()
		if len(b.pending) == 0 {
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()

		var slot func(bool)
		if b.c.budget != nil {
			// The wait is bounded by the budget window; lookups whose
			// callers give up meanwhile leave the queue. It ends early
			// when other replicas answered every lookup queued here.
			ctx, cancel := context.WithCancel(context.Background())
			b.mu.Lock()
			b.cancelTake = cancel
			b.mu.Unlock()
			release, err := b.c.budget.acquireSpaced(ctx, opProvisioning.name)
			b.mu.Lock()
			b.cancelTake = nil
			b.mu.Unlock()
			ended := ctx.Err() != nil
			cancel()
			switch {
			case err != nil && ended:
				continue // nothing is left to send, or something new is
			case err != nil:
				b.failPending(err)
				return
			}
			slot = release
		}
		batch := b.take()
		if len(batch) == 0 {
			if slot != nil {
				slot(false)
			}
			continue
		}
		b.c.goSafe(func() { b.run(batch, slot) })
	}
}

// take removes up to maxBatchUsers pending lookups of the first pending
// lookup's app and marks them started.
func (b *logBatcher) take() []*logLookup {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) == 0 {
		return nil
	}
	app := b.pending[0].key.app
	var batch, rest []*logLookup
	for _, l := range b.pending {
		if l.key.app == app && len(batch) < maxBatchUsers {
			l.started = true
			batch = append(batch, l)
			continue
		}
		rest = append(rest, l)
	}
	b.pending = rest
	if lo, ok := b.c.cfg.observer.(LookupObserver); ok {
		now := b.c.cfg.now()
		for _, l := range batch {
			lo.ObserveReportingWait(now.Sub(l.queued))
		}
	}
	return batch
}

// failPending ends every queued lookup with err.
func (b *logBatcher) failPending(err error) {
	b.mu.Lock()
	pending := b.pending
	b.pending = nil
	for _, l := range pending {
		b.giveUp(l) // offered: withdrawn
	}
	b.mu.Unlock()
	for _, l := range pending {
		b.finish(l, logResult{}, err)
	}
}

// run fetches one batch and hands each lookup its user's entries.
func (b *logBatcher) run(batch []*logLookup, slot func(bool)) {
	defer func() {
		if r := recover(); r != nil {
			if slot != nil {
				slot(false) // a no-op when the request already gave it back
			}
			err := &Error{Op: opProvisioning.name, Code: CodeInternal, Message: fmt.Sprintf("recovered from a panic: %v", r), kind: ErrUnavailable}
			for _, l := range batch {
				b.finish(l, logResult{}, err)
			}
			b.c.log.Error("recovered from a panic in a provisioning log batch", "panic", fmt.Sprint(r))
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	app, appID := batch[0].key.app, batch[0].appID
	batch = b.withdraw(batch)
	var users, seen []string // ids as asked for; lower case
	add := func(id string) {
		if k := strings.ToLower(id); !slices.Contains(seen, k) {
			users, seen = append(users, id), append(seen, k)
		}
	}
	for _, l := range batch {
		add(l.userID)
	}
	// A user asked for here already is not asked for twice: the answer
	// goes to both.
	others := b.claim(app, maxBatchUsers-len(users))
	for _, o := range others {
		add(o.user)
	}
	if len(users) == 0 {
		if slot != nil {
			slot(false)
		}
		return
	}
	results, err := b.c.fetchUsersLogs(ctx, users, appID, slot)
	for _, l := range batch {
		res := results[l.key.user]
		if err == nil {
			b.c.entries.put(l.key, res)
		}
		b.finish(l, res, err)
	}
	b.publish(app, others, results, err)
}

// finish completes a lookup (once).
func (b *logBatcher) finish(l *logLookup, res logResult, err error) {
	l.once.Do(func() {
		b.mu.Lock()
		if b.inflight[l.key] == l {
			delete(b.inflight, l.key)
		}
		b.mu.Unlock()
		l.res, l.err = res, err
		close(l.done)
	})
}

// fetchUsersLogs fetches the entries of several users (user ids checked
// by the caller) for one app or all apps, newest first, up to the log cap
// per user, and splits them per user (keys are lower-case user ids).
func (c *Client) fetchUsersLogs(ctx context.Context, users []string, appID string, slot func(bool)) (map[string]logResult, error) {
	filter := eqAny("sourceIdentity/id", users)
	if len(users) > 1 {
		filter = "(" + filter + ")"
	}
	if appID != "" {
		filter += " and servicePrincipal/id eq " + mustQuote(appID)
	}
	limit := c.cfg.logCap
	out := make(map[string]logResult, len(users))
	for _, u := range users {
		out[strings.ToLower(u)] = logResult{complete: true}
	}
	full := 0
	err := c.fetchLogs(ctx, filter, min(limit*len(users), maxPageSize), slot, func(entries []diagnose.Entry, _ bool) bool {
		for _, e := range entries {
			key := strings.ToLower(e.Source.ID)
			r, ok := out[key]
			if !ok || !r.complete {
				continue
			}
			r.entries = append(r.entries, e)
			if len(r.entries) >= limit {
				// The cap is reached: there may be older entries.
				r.complete = false
				full++
			}
			out[key] = r
		}
		return full < len(users)
	})
	if err != nil {
		return nil, err
	}
	for k, r := range out {
		slices.SortStableFunc(r.entries, func(a, b diagnose.Entry) int { return b.ActivityTime.Compare(a.ActivityTime) })
		out[k] = r
	}
	return out, nil
}
