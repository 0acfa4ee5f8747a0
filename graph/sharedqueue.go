package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// SharedQueue is a work queue kept outside the client, shared by every
// replica of provbot serving the same tenant, with a cache for the
// answers: store.Shared implements it (store/redis across replicas). The
// client puts there the users whose provisioning logs wait for the
// reporting budget, so that whichever replica gets a slot first fetches
// other replicas' waiting users of the same app in the same request
// (up to 15 users per request, as it batches its own), and hands them
// their entries through the cache. It is an optimisation only: when it
// fails the client logs a warning and batches its own users alone.
type SharedQueue interface {
	// QueueOffer puts item at the back of queue for ttl, or refreshes it
	// in place; false when another caller has claimed it.
	QueueOffer(ctx context.Context, queue, item string, ttl time.Duration) (offered bool, err error)
	// QueueClaim takes up to max of queue's oldest offered items for
	// lease; items whose offer or claim lapsed leave the queue.
	QueueClaim(ctx context.Context, queue string, max int, lease time.Duration) (items []string, err error)
	// QueueWithdraw takes items off queue but those under a live claim,
	// which it returns.
	QueueWithdraw(ctx context.Context, queue string, items ...string) (claimed []string, err error)
	// CacheGet returns the value stored under key and not yet expired.
	CacheGet(ctx context.Context, key string) (v []byte, ok bool, err error)
	// CachePut stores v under key for ttl.
	CachePut(ctx context.Context, key string, v []byte, ttl time.Duration) error
}

// WithSharedQueue makes the client batch its users' provisioning log
// lookups with other replicas' using q: a replica that gets a slot of
// the reporting budget fills its request with the users other replicas
// have waiting for the same app.
func WithSharedQueue(q SharedQueue) Option {
	return func(c *config) {
		if q == nil {
			c.invalid("shared queue is nil")
			return
		}
		c.sharedQueue = q
	}
}

// How lookups are shared through the queue. A lookup waiting for the
// budget is offered (queueOfferTTL, refreshed every queueRefresh while
// it waits, so a dead replica's lookups leave the queue); a replica
// claims others' lookups for queueLease, fetches them with its own and
// publishes each user's entries (or that the fetch failed) for
// queueLease. The owner looks for the answer every queuePoll; when the
// claim lapses without one (the claimer died, or was slower than the
// lease) the owner fetches the user itself: a lookup never waits on
// another replica longer than queueLease plus its own turn.
const (
	queuePoll     = 150 * time.Millisecond
	queueOfferTTL = 30 * time.Second
	queueRefresh  = 10 * time.Second
	queueLease    = 30 * time.Second
)

// queueName is the shared queue of an app's lookups ("all" for every
// app's).
func queueName(app string) string {
	if app == "" {
		app = "all"
	}
	return sharedKeyPrefix + "xbatch:" + app
}

// queueResultKey is where the answer to an offered item is published.
// The item holds a token of its own offer, so that an answer is never
// taken for a later lookup of the same user (a refresh).
func queueResultKey(app, item string) string {
	if app == "" {
		app = "all"
	}
	return sharedKeyPrefix + "xbatch-result:" + app + ":" + item
}

// newQueueItem is the item offering a lookup of user: "<user>/<token>".
func newQueueItem(user string) string {
	var b [8]byte
	rand.Read(b[:])
	return user + "/" + hex.EncodeToString(b[:])
}

// queueItemUser returns the user an item offers, when it is a GUID (the
// only users offered): anything else from the store is ignored.
func queueItemUser(item string) (string, bool) {
	user, _, ok := strings.Cut(item, "/")
	if !ok || !isGUID(user) {
		return "", false
	}
	return strings.ToLower(user), true
}

// queueResult is an answer published for an offered item: the user's
// entries, as sharedLogs, or that the claimer's fetch failed (the owner
// then fetches itself at once).
type queueResult struct {
	sharedLogs
	Failed bool `json:"failed,omitempty"`
}

// sharedQueueOff reports whether no shared queue is configured.
func (c *Client) sharedQueueOff() bool { return c.cfg.sharedQueue == nil }

// queueBackoff is how long the client leaves the shared queue alone
// after a call to it failed: while the store is down or slow, a batch
// does not wait for it before it goes out, nor a lookup to be offered.
const queueBackoff = 5 * time.Second

// queueUsable reports whether the shared queue is configured and did not
// fail within queueBackoff (on the real clock: it paces calls to the
// store).
func (c *Client) queueUsable() bool {
	return !c.sharedQueueOff() && time.Now().UnixNano() >= c.queueDown.Load()
}

// queueWarn logs a failure of the shared queue (rate-limited) and leaves
// the queue alone for queueBackoff.
func (c *Client) queueWarn(msg string, args ...any) {
	c.queueDown.Store(time.Now().Add(queueBackoff).UnixNano())
	c.sharedWarn(msg, args...)
}

// queueCtx bounds one call to the shared queue.
func queueCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), sharedCacheTimeout)
}

// startPolling starts the poller of the shared queue, unless it runs.
// Call with mu held.
func (b *logBatcher) startPolling() {
	if b.c.sharedQueueOff() || b.polling {
		return
	}
	b.polling = true
	b.c.goSafe(b.poll)
}

// poll runs while lookups wait here: it offers those that waited one
// tick (a lookup whose request goes out at once is never offered),
// refreshes the offers, and looks for the answers other replicas
// published. It runs on real timers: it paces calls to the store.
func (b *logBatcher) poll() {
	t := time.NewTicker(queuePoll)
	defer t.Stop()
	for tick := 1; ; tick++ {
		<-t.C
		if !b.pollOnce(tick) {
			return
		}
	}
}

// pollOnce is one tick of poll; false when nothing waits any more.
func (b *logBatcher) pollOnce(tick int) bool {
	refresh := int(queueRefresh / queuePoll)
	usable := b.c.queueUsable()
	b.mu.Lock()
	var offer, watch []*logLookup
	for _, l := range b.pending {
		switch {
		case l.started || l.local:
		case !usable:
			// Neither offered nor looked after while the store fails.
		case l.offering == nil && !l.seen:
			l.seen = true
		case l.offering == nil:
			if !isGUID(l.userID) {
				l.local = true
				continue
			}
			l.item, l.offering, l.offerTick = newQueueItem(l.key.user), make(chan struct{}), tick
			offer = append(offer, l)
		case l.offered:
			watch = append(watch, l)
			if (tick-l.offerTick)%refresh == 0 {
				offer = append(offer, l)
			}
		}
	}
	remote := slices.Clone(b.remote)
	if len(b.pending) == 0 && len(remote) == 0 {
		b.polling = false
		b.mu.Unlock()
		return false
	}
	b.mu.Unlock()

	for _, l := range offer {
		b.offer(l, l.offerTick == tick)
	}
	for _, l := range watch {
		if r, ok := b.result(l); ok {
			b.answer(l, r)
		}
	}
	b.watchRemote(remote)
	return true
}

// offer offers l on its app's queue, or refreshes its offer.
func (b *logBatcher) offer(l *logLookup, first bool) {
	ctx, cancel := queueCtx()
	defer cancel()
	ok, err := b.c.cfg.sharedQueue.QueueOffer(ctx, queueName(l.key.app), l.item, queueOfferTTL)
	if err != nil {
		b.c.queueWarn("offer a provisioning log lookup to other replicas; this replica fetches it alone", "err", err)
	}
	if !first {
		return // refused: claimed meanwhile, or the store failed (the offer lapses)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	l.offered = err == nil && ok
	l.local = !l.offered
	close(l.offering)
}

// result looks for the answer another replica published for l.
func (b *logBatcher) result(l *logLookup) (queueResult, bool) {
	ctx, cancel := queueCtx()
	defer cancel()
	v, ok, err := b.c.cfg.sharedQueue.CacheGet(ctx, queueResultKey(l.key.app, l.item))
	if err != nil {
		b.c.queueWarn("read another replica's answer to a provisioning log lookup", "err", err)
		return queueResult{}, false
	}
	if !ok {
		return queueResult{}, false
	}
	var r queueResult
	if err := json.Unmarshal(v, &r); err != nil {
		b.c.sharedWarn("another replica's answer to a provisioning log lookup does not decode; fetching it here", "err", err)
		return queueResult{Failed: true}, true
	}
	return r, true
}

// watchRemote looks after the lookups another replica claimed: each
// takes its answer when published, and one whose claim lapsed without an
// answer (or that the store cannot tell about) is fetched here.
func (b *logBatcher) watchRemote(remote []*logLookup) {
	byApp := map[string][]*logLookup{}
	for _, l := range remote {
		byApp[l.key.app] = append(byApp[l.key.app], l)
	}
	for app, ls := range byApp {
		items := make([]string, len(ls))
		for i, l := range ls {
			items[i] = l.item
		}
		ctx, cancel := queueCtx()
		claimed, err := b.c.cfg.sharedQueue.QueueWithdraw(ctx, queueName(app), items...)
		cancel()
		if err != nil {
			b.c.queueWarn("ask whether another replica still fetches a provisioning log lookup; fetching it here", "err", err)
		}
		for _, l := range ls {
			r, ok := b.result(l)
			switch {
			case ok:
				b.answer(l, r)
			case err != nil || !slices.Contains(claimed, l.item):
				b.fetchHere(l)
			}
		}
	}
}

// answer completes l, waiting here, with another replica's answer; a
// failed one sends l to this replica's own queue, at once.
func (b *logBatcher) answer(l *logLookup, r queueResult) {
	if r.Failed {
		b.fetchHere(l)
		return
	}
	res := logResult{entries: r.Entries, complete: r.Complete}
	b.mu.Lock()
	if l.started {
		// Its own request went out meanwhile: that one answers it.
		b.mu.Unlock()
		return
	}
	b.unqueue(l)
	b.mu.Unlock()
	b.c.entries.put(l.key, res)
	b.finish(l, res, nil)
}

// fetchHere makes l a lookup this replica fetches itself, never offered
// again; one waiting on another replica goes to the front of the queue.
func (b *logBatcher) fetchHere(l *logLookup) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l.local, l.offered = true, false
	if !l.remote {
		return
	}
	l.remote = false
	b.remote = slices.DeleteFunc(b.remote, func(p *logLookup) bool { return p == l })
	b.pending = slices.Insert(b.pending, 0, l)
	if !b.running {
		b.running = true
		b.c.goSafe(b.dispatch)
	}
}

// unqueue takes l out of the queue and the lookups waiting on other
// replicas, and ends the dispatcher's wait for a slot when nothing is
// left to send. Call with mu held.
func (b *logBatcher) unqueue(l *logLookup) {
	b.pending = slices.DeleteFunc(b.pending, func(p *logLookup) bool { return p == l })
	b.remote = slices.DeleteFunc(b.remote, func(p *logLookup) bool { return p == l })
	l.remote = false
	if len(b.pending) == 0 && b.cancelTake != nil {
		b.cancelTake()
	}
}

// withdraw takes a batch's offered lookups off the shared queue before
// the batch is sent, and returns the batch without those another replica
// claimed meanwhile: they wait for its answer.
func (b *logBatcher) withdraw(batch []*logLookup) []*logLookup {
	if !b.c.queueUsable() {
		return batch
	}
	var items []string
	for _, l := range batch {
		b.mu.Lock()
		offering, local := l.offering, l.local
		b.mu.Unlock()
		if offering == nil || local {
			continue
		}
		// An offer still on its way must land before it is withdrawn.
		t := time.NewTimer(sharedCacheTimeout)
		select {
		case <-offering:
		case <-t.C:
		}
		t.Stop()
		b.mu.Lock()
		if l.offered && !l.local {
			items = append(items, l.item)
		}
		b.mu.Unlock()
	}
	if len(items) == 0 {
		return batch
	}
	ctx, cancel := queueCtx()
	defer cancel()
	claimed, err := b.c.cfg.sharedQueue.QueueWithdraw(ctx, queueName(batch[0].key.app), items...)
	if err != nil {
		b.c.queueWarn("withdraw provisioning log lookups from other replicas; fetching them here", "err", err)
		return batch
	}
	if len(claimed) == 0 {
		return batch
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	var own []*logLookup
	for _, l := range batch {
		if slices.Contains(items, l.item) && slices.Contains(claimed, l.item) {
			l.started, l.remote = false, true
			b.remote = append(b.remote, l)
			continue
		}
		own = append(own, l)
	}
	b.startPolling()
	return own
}

// claimed is another replica's lookup this replica fetches.
type claimed struct{ item, user string }

// claim takes up to room of other replicas' offered lookups of app.
func (b *logBatcher) claim(app string, room int) []claimed {
	if !b.c.queueUsable() || room <= 0 {
		return nil
	}
	ctx, cancel := queueCtx()
	defer cancel()
	items, err := b.c.cfg.sharedQueue.QueueClaim(ctx, queueName(app), room, queueLease)
	if err != nil {
		b.c.queueWarn("claim other replicas' provisioning log lookups", "err", err)
		return nil
	}
	var out []claimed
	for _, it := range items {
		u, ok := queueItemUser(it)
		if !ok {
			b.c.sharedWarn("a shared provisioning log lookup names no user id; left out", "item", it)
			continue
		}
		out = append(out, claimed{item: it, user: u})
	}
	return out
}

// publish hands the claimed lookups their users' entries (or the
// failure), keeps them in this replica's cache, and completes any of
// them that are this replica's own.
func (b *logBatcher) publish(app string, cs []claimed, results map[string]logResult, fetchErr error) {
	for _, c := range cs {
		r := queueResult{Failed: fetchErr != nil}
		res := results[c.user]
		if fetchErr == nil {
			r.sharedLogs = sharedLogs{Entries: res.entries, Complete: res.complete}
			b.c.entries.put(newLookupKey(c.user, app), res)
		}
		v, err := json.Marshal(r)
		if err == nil {
			ctx, cancel := queueCtx()
			err = b.c.cfg.sharedQueue.CachePut(ctx, queueResultKey(app, c.item), v, queueLease)
			cancel()
		}
		if err != nil {
			b.c.queueWarn("publish a provisioning log answer for another replica", "err", err)
		}
		b.mu.Lock()
		l := b.inflight[newLookupKey(c.user, app)]
		own := l != nil && l.item == c.item
		b.mu.Unlock()
		if own {
			b.answer(l, r)
		}
	}
}

// giveUp takes a lookup nobody waits for any more off the shared queue,
// in the background. Call with mu held.
func (b *logBatcher) giveUp(l *logLookup) {
	offering := l.offering
	b.remote = slices.DeleteFunc(b.remote, func(p *logLookup) bool { return p == l })
	l.remote = false
	if offering == nil || b.c.sharedQueueOff() {
		return
	}
	b.c.goSafe(func() {
		<-offering
		ctx, cancel := queueCtx()
		defer cancel()
		if _, err := b.c.cfg.sharedQueue.QueueWithdraw(ctx, queueName(l.key.app), l.item); err != nil {
			b.c.queueWarn("withdraw a provisioning log lookup nobody waits for", "err", err)
		}
	})
}
