package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/store"
)

// pollerLease is the name of the lease whose holder runs the pollers.
const pollerLease = "pollers"

// pollerSettings say how often the watch and alert pollers run.
type pollerSettings struct {
	// WatchEvery is how often due watches are looked for
	// (PROVBOT_WATCH_POLL_INTERVAL, default a minute); AlertEvery how
	// often every job is read (PROVBOT_ALERT_POLL_INTERVAL, default 5
	// minutes).
	WatchEvery, AlertEvery time.Duration
	// LeaseTTL is how long the leader's lease lasts unrenewed (default
	// store.DefaultLeaseTTL).
	LeaseTTL time.Duration
}

// loadPollerSettings reads the pollers' intervals; errors name the
// setting.
func loadPollerSettings(getenv func(string) string) (pollerSettings, []error) {
	s := pollerSettings{WatchEvery: time.Minute, AlertEvery: 5 * time.Minute}
	var errs []error
	for _, f := range []struct {
		name     string
		dst      *time.Duration
		min, max time.Duration
	}{
		{"PROVBOT_WATCH_POLL_INTERVAL", &s.WatchEvery, 100 * time.Millisecond, time.Hour},
		{"PROVBOT_ALERT_POLL_INTERVAL", &s.AlertEvery, 100 * time.Millisecond, 24 * time.Hour},
	} {
		raw := strings.TrimSpace(getenv(f.name))
		if raw == "" {
			continue
		}
		d, err := time.ParseDuration(raw)
		if err != nil || d < f.min || d > f.max {
			errs = append(errs, fmt.Errorf("%s: %q: want a duration from %v to %v, such as 1m", f.name, raw, f.min, f.max))
			continue
		}
		*f.dst = d
	}
	return s, errs
}

// pollers are the watch and alert pollers of one replica; they run while
// this replica holds the pollers' lease.
type pollers struct {
	leader  store.Leader
	watches *bot.WatchPoller
	alerts  *bot.AlertPoller
	logger  *slog.Logger
	wg      sync.WaitGroup
}

// newPollers builds the pollers over the store, the directory and the
// Bot Connector.
func newPollers(st store.Store, dir bot.Directory, conn *botframework.Connector, s pollerSettings, now func() time.Time, logger *slog.Logger) (*pollers, error) {
	w, err := bot.NewWatchPoller(bot.WatchPoller{State: st, Directory: dir, Sender: conn, Trust: conn.TrustStored,
		Logger: logger, Now: now, Every: s.WatchEvery})
	if err != nil {
		return nil, err
	}
	a, err := bot.NewAlertPoller(bot.AlertPoller{State: st, Directory: dir, Sender: conn, Trust: conn.TrustStored,
		Logger: logger, Now: now, Every: s.AlertEvery, OnCycle: w.JobRan})
	if err != nil {
		return nil, err
	}
	return &pollers{
		leader:  store.Leader{Leases: st, Name: pollerLease, Holder: replicaID(), TTL: s.LeaseTTL, Logger: logger},
		watches: w, alerts: a, logger: logger,
	}, nil
}

// start campaigns for the lease until ctx ends; wait waits for it to stop.
func (p *pollers) start(ctx context.Context) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		err := p.leader.Run(ctx, func(ctx context.Context, f store.Fence) {
			var wg sync.WaitGroup
			wg.Add(2)
			go func() { defer wg.Done(); p.watches.Run(ctx, f) }()
			go func() { defer wg.Done(); p.alerts.Run(ctx, f) }()
			wg.Wait()
		})
		if err != nil && ctx.Err() == nil {
			p.logger.Error("pollers stopped", "err", err)
		}
	}()
}

func (p *pollers) wait() { p.wg.Wait() }

// replicaID names this replica for the lease: host, process id and a
// random suffix (two processes in one test share host and pid).
func replicaID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}
