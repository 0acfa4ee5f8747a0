package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/graph/fakegraph"
	"github.com/provbot/provbot/store"
)

// The demo's help-desk channel: a Teams channel of the Contoso IT team in
// which provbot was told "send alerts here"; the page shows what the bot
// posts there.
const (
	demoChannelID   = "19:demo-helpdesk@thread.tacv2"
	demoChannelName = "Help desk"
)

// demoPollers are the pollers' intervals in the demo: quick, so that an
// alert or a watch's message shows up while someone looks at the page.
var demoPollers = pollerSettings{WatchEvery: 5 * time.Second, AlertEvery: 10 * time.Second}

// registerDemoChannel registers the demo's help-desk channel for alerts,
// as Henrietta saying "send alerts here" in it would.
func registerDemoChannel(ctx context.Context, st store.Store, serviceURL string, now time.Time) error {
	ref := botframework.ConversationReference{
		Bot:          botframework.ChannelAccount{ID: demoBot["id"], Name: demoBot["name"]},
		Conversation: botframework.ConversationAccount{ID: demoChannelID, Name: demoChannelName, ConversationType: "channel", IsGroup: true, TenantID: fakegraph.DemoTenantID},
		ChannelID:    "msteams",
		ServiceURL:   serviceURL,
	}
	raw, err := json.Marshal(ref)
	if err != nil {
		return err
	}
	key := "conv:" + demoChannelID
	if err := st.PutConversation(ctx, key, raw); err != nil {
		return fmt.Errorf("demo channel: %w", err)
	}
	var by string
	for _, c := range fakegraph.DemoCast() {
		if strings.EqualFold(c.Role, fakegraph.RoleHelpDesk) {
			by = c.ObjectID
			break
		}
	}
	if err := st.PutAlertChannel(ctx, store.AlertChannel{ID: demoChannelID, Conversation: key, AddedBy: by, AddedAt: now}); err != nil {
		return fmt.Errorf("demo channel: %w", err)
	}
	return nil
}

// demoAppID finds a demo app's id by name, through the cast.
func demoAppID(name string) string {
	for _, c := range fakegraph.DemoCast() {
		if strings.EqualFold(c.App, strings.TrimSpace(name)) {
			return c.AppID
		}
	}
	return ""
}

// demoControl serves one of the demo tenant's controls: POST with
// {"app": "ServiceNow"}, do changes the tenant (under the fake Graph's
// lock) and says what it did, then after is told (the pollers look at
// once instead of at their next tick).
func demoControl(g *fakegraph.Server, do func(t *fakegraph.Tenant, appID string) (map[string]any, error), after func(appID string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			App string `json:"app"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
			http.Error(w, `want {"app": "ServiceNow"}`, http.StatusBadRequest)
			return
		}
		appID := demoAppID(req.App)
		if appID == "" {
			http.Error(w, "no demo app of that name", http.StatusNotFound)
			return
		}
		var (
			out map[string]any
			err error
		)
		g.Update(func(t *fakegraph.Tenant) { out, err = do(t, appID) })
		if err != nil {
			http.Error(w, "the demo tenant did not change: "+err.Error(), http.StatusConflict)
			return
		}
		if after != nil {
			after(appID)
		}
		out["app"] = req.App
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(out)
	})
}

// runCycleHandler serves POST /demo/run-cycle: the app's job runs its next
// cycle now (fakegraph.Tenant.RunDemoCycle).
func runCycleHandler(g *fakegraph.Server, now func() time.Time, ran func(appID string)) http.Handler {
	return demoControl(g, func(t *fakegraph.Tenant, appID string) (map[string]any, error) {
		done, err := t.RunDemoCycle(appID, now())
		return map[string]any{"provisioned": len(done)}, err
	}, ran)
}

// quarantineHandler serves POST /demo/quarantine: the app's job goes into
// quarantine now (fakegraph.Tenant.QuarantineDemoJob).
func quarantineHandler(g *fakegraph.Server, now func() time.Time, changed func(appID string)) http.Handler {
	return demoControl(g, func(t *fakegraph.Tenant, appID string) (map[string]any, error) {
		return map[string]any{"quarantined": true}, t.QuarantineDemoJob(appID, now())
	}, changed)
}
