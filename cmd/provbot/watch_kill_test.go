//go:build unix

package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/internal/logtest"
	"github.com/provbot/provbot/internal/redistest"
	"github.com/provbot/provbot/store/redis"
)

// TestAKilledLeadersWatchesAreAllTold runs two `provbot serve` replicas,
// each in a process of its own, on one Redis. Twenty watches end while
// the leader is sending (the Bot Connector holds its answers), and the
// leader is killed with SIGKILL in the middle of its first request: no
// shutdown, no lease given back. The survivor takes the lease when it
// expires and tells every watch. The one message whose request was in
// flight at the kill had reached the Bot Connector, and the survivor,
// which cannot know that, sends it again when its claim runs out: every
// watch is told, none is lost, and at most that one twice (at least once
// is the only guarantee a sender killed mid-request can give, since the
// Bot Connector has no idempotent send).
func TestAKilledLeadersWatchesAreAllTold(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a lease and a send claim to run out (about a minute)")
	}
	rs := redistest.Start(t)
	fakes := newServeFakes(t)
	connector := fakes.connector

	type replica struct {
		stderr *logtest.Buffer
		kill   func() error
	}
	var replicas []replica
	for range 2 {
		stderr := &logtest.Buffer{}
		p := startServeProcess(t, replicaEnv(fakes, rs.URL), stderr)
		waitWithin(t, time.Minute, "the listening address", stderr.String, regexp.MustCompile(`"msg":"listening"`))
		replicas = append(replicas, replica{stderr: stderr, kill: p.Kill})
	}
	leading := func() int {
		for i, r := range replicas {
			if strings.Contains(r.stderr.String(), `"msg":"leading"`) {
				return i
			}
		}
		return -1
	}
	waitFor(t, "a replica leading", func() string { return fmt.Sprint(leading() >= 0) }, regexp.MustCompile(`^true$`))
	leader := leading()

	st, err := redis.Open(context.Background(), rs.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const ending = 20
	release := connector.Hold()
	defer release()
	putEndingWatches(t, st, connector.URL, ending, time.Second)

	// The leader's first message reaches the connector and is held there:
	// the leader is killed while it waits for the answer.
	waitFor(t, "the leader sending", func() string { return fmt.Sprint(len(endedWatchMessages(connector))) }, regexp.MustCompile(`^1$`))
	inFlight := ""
	for conv := range endedWatchMessages(connector) {
		inFlight = conv
	}
	if err := replicas[leader].kill(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	release()

	survivor := replicas[1-leader]
	waitWithin(t, 30*time.Second, "the survivor leading", survivor.stderr.String, regexp.MustCompile(`"msg":"leading"`))
	waitWithin(t, 90*time.Second, "every ending watch told", func() string {
		told := endedWatchMessages(connector)
		return fmt.Sprintf("%d told, %d of them twice", len(told), told[inFlight]-1)
	}, regexp.MustCompile(fmt.Sprintf(`^%d told, 1 of them twice$`, ending)))

	time.Sleep(time.Second) // several more polls: nothing more is sent
	for conv, n := range endedWatchMessages(connector) {
		if n != 1 && conv != inFlight {
			t.Errorf("%s was told %d times that its watch stopped", conv, n)
		}
	}
	if n := endedWatchMessages(connector)[inFlight]; n != 2 {
		t.Errorf("the message in flight at the kill arrived %d times, want twice (once from each replica)", n)
	}
	if n := strings.Count(replicas[leader].stderr.String(), `"msg":"watch told"`); n != 0 {
		t.Errorf("the killed leader logged %d watches told before its first answer came", n)
	}
	if n := strings.Count(survivor.stderr.String(), `"msg":"watch told"`); n != ending {
		t.Errorf("the survivor told %d watches, want %d", n, ending)
	}
	if ws, err := st.DueWatches(context.Background(), time.Now().Add(30*24*time.Hour), 100); err != nil || len(ws) != 0 {
		t.Errorf("watches left: %d (%v)", len(ws), err)
	}
}
