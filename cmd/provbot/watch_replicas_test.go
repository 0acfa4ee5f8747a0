package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/botframework/bftest"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/internal/redistest"
	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/store/redis"
)

// castMember finds a demo cast member by name.
func castByName(t *testing.T, name string) fakegraph.CastMember {
	t.Helper()
	for _, c := range fakegraph.DemoCast() {
		if c.DisplayName == name {
			return c
		}
	}
	t.Fatalf("no cast member %s", name)
	return fakegraph.CastMember{}
}

// messagesTo counts the cards the connector got, by conversation id.
func messagesTo(c *bftest.Connector, match func(text string) bool) map[string]int {
	n := map[string]int{}
	for _, call := range c.Calls() {
		if call.Method != "POST" || call.Body["attachments"] == nil {
			continue
		}
		if match(string(call.RawBody)) {
			n[call.ConversationID]++
		}
	}
	return n
}

// TestTwoReplicasFireEveryWatchOnceWhenTheLeaderStops runs two
// `provbot serve` replicas on one Redis, as in production behind one Azure
// Bot. Emily and Diego ask to be told about ServiceNow, through either
// replica; twenty more watches end while the leader is sending (the Bot
// Connector holds its answers), and the leader is stopped in the middle:
// the other replica takes the lease and finishes, and every watch's
// message arrives exactly once. The references of those twenty never
// came through an activity on either replica: they are trusted because
// the bot stored them. Then the demo tenant's ServiceNow job runs, and
// Emily and Diego are each told once that their account is ready.
func TestTwoReplicasFireEveryWatchOnceWhenTheLeaderStops(t *testing.T) {
	rs := redistest.Start(t)
	fakes := newServeFakes(t)
	graphSrv, issuer, connector := fakes.graph, fakes.issuer, fakes.connector
	env := func() map[string]string { return replicaEnv(fakes, rs.URL) }
	type replica struct {
		*running
		base string
	}
	var replicas []replica
	for range 2 {
		r := start(t, []string{"serve", "--addr", "127.0.0.1:0"}, env())
		addr := waitFor(t, "the listening address", r.stderr.String, regexp.MustCompile(`"msg":"listening".*?"addr":"([^"]+)"`))
		replicas = append(replicas, replica{running: r, base: "http://" + addr})
	}

	// Emily asks through the first replica, Diego through the second.
	for i, name := range []string{"Emily Braun", "Diego Siciliani"} {
		var m map[string]any
		_ = json.Unmarshal(activityFrom(name, "tell me when my ServiceNow account is ready", connector.URL), &m)
		m["conversation"].(map[string]any)["id"] = "a:chat-" + castByName(t, name).ObjectID
		m["from"].(map[string]any)["id"] = "29:" + castByName(t, name).ObjectID
		body, _ := json.Marshal(m)
		b := &servedBot{running: replicas[i].running, base: replicas[i].base}
		if code := b.postActivity(t, body, issuer.Bearer(connector.URL)); code != 200 {
			t.Fatalf("%s's question answered %d", name, code)
		}
	}
	confirmed := func() int {
		return len(messagesTo(connector, func(s string) bool { return strings.Contains(s, "I'll tell you when your ServiceNow account is ready") }))
	}
	waitFor(t, "both watches confirmed", func() string { return fmt.Sprint(confirmed()) }, regexp.MustCompile(`^2$`))

	// Twenty watches that end in two seconds, written as the bot writes
	// them, each to be told in its own chat.
	st, err := redis.Open(context.Background(), rs.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const ending = 20
	emily := castByName(t, "Emily Braun")
	putEndingWatches(t, st, connector.URL, ending, 2*time.Second)
	stopped := func() map[string]int { return endedWatchMessages(connector) }

	// The leader is stopped while its first message is held.
	leader := -1
	for i, r := range replicas {
		if strings.Contains(r.stderr.String(), `"msg":"leading"`) {
			leader = i
		}
	}
	if leader < 0 {
		t.Fatal("no replica leads the pollers")
	}
	release := connector.Hold()
	waitFor(t, "the leader sending", func() string { return fmt.Sprint(len(stopped()) > 0) }, regexp.MustCompile(`^true$`))
	replicas[leader].cancel()
	time.Sleep(300 * time.Millisecond)
	release()
	select {
	case code := <-replicas[leader].done:
		if code != 0 {
			t.Errorf("the stopped leader exited %d", code)
		}
		replicas[leader].done <- code // for the test's cleanup
	case <-time.After(30 * time.Second):
		t.Fatal("the leader did not stop")
	}
	other := replicas[1-leader]
	waitFor(t, "the other replica leading", other.stderr.String, regexp.MustCompile(`"msg":"leading"`))
	waitFor(t, "every ending watch told", func() string { return fmt.Sprint(len(stopped())) }, regexp.MustCompile(fmt.Sprintf(`^%d$`, ending)))

	told := func(r replica) int { return strings.Count(r.stderr.String(), `"msg":"watch told"`) }
	// A replica logs a message as told once the connector has answered:
	// the last line may come a moment after the last message.
	waitFor(t, "every message logged as told", func() string { return fmt.Sprint(told(replicas[leader]) + told(other)) },
		regexp.MustCompile(fmt.Sprintf(`^%d$`, ending)))
	if l, o := told(replicas[leader]), told(other); l == 0 || o == 0 || l+o != ending {
		t.Errorf("the stopped leader told %d watches and the other replica %d: want both some, %d in all", l, o, ending)
	}

	// The demo tenant's ServiceNow job runs: the survivor's job poller
	// sees it and re-checks Emily's and Diego's watches at once.
	time.Sleep(time.Second) // its job poller has read the jobs once
	graphSrv.Update(func(tn *fakegraph.Tenant) {
		if _, err := tn.RunDemoCycle(emily.AppID, time.Now()); err != nil {
			t.Error(err)
		}
	})
	ready := func() map[string]int {
		return messagesTo(connector, func(s string) bool { return strings.Contains(s, "Your ServiceNow account is ready") })
	}
	waitFor(t, "Emily and Diego told", func() string { return fmt.Sprint(len(ready())) }, regexp.MustCompile(`^2$`))

	time.Sleep(1500 * time.Millisecond) // several more polls: nothing is sent again
	for conv, n := range stopped() {
		if n != 1 {
			t.Errorf("%s was told %d times that its watch stopped", conv, n)
		}
	}
	for conv, n := range ready() {
		if n != 1 || !strings.HasPrefix(conv, "a:chat-") {
			t.Errorf("%s was told %d times that the account is ready", conv, n)
		}
	}
	if ws, err := st.DueWatches(context.Background(), time.Now().Add(30*24*time.Hour), 100); err != nil || len(ws) != 0 {
		t.Errorf("watches left: %d (%v)", len(ws), err)
	}
}

// replicaEnv is the configuration of a `provbot serve` replica on the
// fakes and the Redis at storeURL, its pollers fast.
func replicaEnv(f serveFakes, storeURL string) map[string]string {
	env := f.env()
	env["PROVBOT_STORE"] = storeURL
	env["PROVBOT_WATCH_POLL_INTERVAL"] = "200ms"
	env["PROVBOT_ALERT_POLL_INTERVAL"] = "300ms"
	return env
}

// putEndingWatches writes n watches of Emily's ServiceNow account that end
// in d, as the bot writes them, each to be told in its own chat
// ("a:ending-00", ...) through the connector at serviceURL. Their
// references never came through an activity on any replica: they are
// trusted because the bot stored them.
func putEndingWatches(t *testing.T, st store.Store, serviceURL string, n int, d time.Duration) {
	t.Helper()
	now := time.Now()
	emily := castByName(t, "Emily Braun")
	for i := range n {
		conv := fmt.Sprintf("a:ending-%02d", i)
		ref, _ := json.Marshal(botframework.ConversationReference{ServiceURL: serviceURL, ChannelID: "msteams",
			Conversation: botframework.ConversationAccount{ID: conv, ConversationType: "personal"},
			Bot:          botframework.ChannelAccount{ID: "28:" + serveAppID}, User: botframework.ChannelAccount{ID: "29:" + conv}})
		if err := st.PutConversation(context.Background(), "conv:"+conv, ref); err != nil {
			t.Fatal(err)
		}
		_, err := st.CreateWatch(context.Background(), store.Watch{Owner: fmt.Sprintf("owner-%02d", i), Conversation: "conv:" + conv,
			Subject: emily.ObjectID, App: emily.AppID, State: []byte(`{"app":"ServiceNow","self":true,"category":"pending-next-cycle"}`),
			CreatedAt: now.Add(-7 * 24 * time.Hour), DueAt: now.Add(d), ExpiresAt: now.Add(d)})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// endedWatchMessages counts, by conversation, the messages saying a
// watch of the ServiceNow account ended.
func endedWatchMessages(c *bftest.Connector) map[string]int {
	return messagesTo(c, func(s string) bool { return strings.Contains(s, "I stopped watching your ServiceNow account") })
}
