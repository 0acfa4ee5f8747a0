package botframework

import (
	"context"
	"net/http"
	"sync"
)

// turnPool runs turns with at most size of them working at once, the others
// queued in arrival order, so that a burst of activities cannot take the
// CPU the acknowledgements need. A turn that waits for another service
// ([Idle]: Graph, the Bot Connector) gives its place up while it waits and,
// when the wait is over, takes the next free place ahead of the turns not
// yet started. Safe for concurrent use.
type turnPool struct {
	size     int
	maxQueue int

	mu       sync.Mutex
	busy     int             // places taken
	queued   []func(*place)  // turns not yet started, oldest first
	resuming []chan struct{} // idle turns waiting for a place, oldest first
}

func newTurnPool(size, maxQueue int) *turnPool {
	return &turnPool{size: max(size, 1), maxQueue: maxQueue}
}

// submit runs run on a free place, or queues it; it reports false when
// the queue is full.
func (p *turnPool) submit(run func(*place)) bool {
	p.mu.Lock()
	if p.busy < p.size {
		p.busy++
		p.mu.Unlock()
		go p.work(run)
		return true
	}
	if len(p.queued) >= p.maxQueue {
		p.mu.Unlock()
		return false
	}
	p.queued = append(p.queued, run)
	p.mu.Unlock()
	return true
}

// work runs turns on the place it was given: this one, then, while turns
// are queued and no idle turn waits to work again, the next in arrival
// order on the same goroutine.
func (p *turnPool) work(run func(*place)) {
	for run != nil {
		pl := &place{pool: p}
		run(pl)
		run = pl.finish()
	}
}

// leave gives a place up: to the oldest idle turn that is ready to work
// again, else to the oldest queued turn (on a new goroutine), else it is
// free.
func (p *turnPool) leave() {
	if next := p.handOver(); next != nil {
		go p.work(next)
	}
}

// handOver gives a place up to the oldest idle turn ready to work again and
// returns nil, or returns the oldest queued turn for the caller to run on
// the place, or frees the place and returns nil.
func (p *turnPool) handOver() func(*place) {
	p.mu.Lock()
	if len(p.resuming) > 0 {
		ch := p.resuming[0]
		p.resuming = p.resuming[1:]
		p.mu.Unlock()
		close(ch)
		return nil
	}
	if len(p.queued) > 0 {
		next := p.queued[0]
		p.queued[0] = nil
		p.queued = p.queued[1:]
		p.mu.Unlock()
		return next
	}
	p.busy--
	p.mu.Unlock()
	return nil
}

// enter takes a place for a turn coming back from an idle wait, waiting
// for one ahead of the queued turns.
func (p *turnPool) enter() {
	p.mu.Lock()
	if p.busy < p.size {
		p.busy++
		p.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	p.resuming = append(p.resuming, ch)
	p.mu.Unlock()
	<-ch
}

// queuedLen returns how many turns wait to start.
func (p *turnPool) queuedLen() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queued)
}

// place is one turn's place in the pool. Its goroutines may be idle
// (waiting for another service) at the same time: the place is given up
// when the first starts waiting and taken again when the last is done.
type place struct {
	pool *turnPool

	mu   sync.Mutex
	idle int
	done bool
}

// idleStart notes that one of the turn's goroutines starts waiting.
func (pl *place) idleStart() {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	pl.idle++
	if pl.idle == 1 && !pl.done {
		pl.pool.leave()
	}
}

// idleEnd notes that a wait is over; the last one takes a place again.
func (pl *place) idleEnd() {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	pl.idle--
	if pl.idle == 0 && !pl.done {
		pl.pool.enter()
	}
}

// finish ends the turn: it gives the place up (or returns the next queued
// turn to run on it), unless a goroutine of the turn still waits, in which
// case the place was given up already.
func (pl *place) finish() func(*place) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if pl.done {
		return nil
	}
	pl.done = true
	if pl.idle > 0 {
		return nil
	}
	return pl.pool.handOver()
}

// placeKey is the context key of a turn's place.
type placeKey struct{}

// withPlace returns ctx carrying pl (nil: no place, Idle does nothing).
func withPlace(ctx context.Context, pl *place) context.Context {
	return context.WithValue(ctx, placeKey{}, pl)
}

// Idle runs wait, a wait for another service (a Graph request, a
// throttling delay), after giving up the calling turn's place among the
// turns allowed to work at once, and takes a place again afterwards (ahead
// of the turns not yet started). Use it with the context a [Handler] was
// given; with any other context it just runs wait. The server's own calls
// to the Bot Connector and the token endpoint do this already.
func Idle(ctx context.Context, wait func()) {
	pl, _ := ctx.Value(placeKey{}).(*place)
	if pl == nil {
		wait()
		return
	}
	pl.idleStart()
	defer pl.idleEnd()
	wait()
}

// IdleTransport wraps an HTTP transport so that every round trip made with
// a turn's context runs in [Idle]: give it to the clients a handler calls
// other services with (nil means http.DefaultTransport).
func IdleTransport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return idleTransport{next: next}
}

type idleTransport struct{ next http.RoundTripper }

// RoundTrip sends req while the calling turn is idle.
func (t idleTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	Idle(req.Context(), func() { resp, err = t.next.RoundTrip(req) })
	return resp, err
}
