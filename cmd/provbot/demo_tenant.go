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

// runCycleHandler serves POST /demo/run-cycle {"app": "ServiceNow"}: the
// demo tenant's job of that app runs its next cycle now (see
// fakegraph.Tenant.RunDemoCycle), and ran is told (the pollers look at
// once instead of at their next tick).
func runCycleHandler(g *fakegraph.Server, now func() time.Time, ran func(appID string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			App string `json:"app"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&req); err != nil {
			http.Error(w, `want {"app": "ServiceNow"}`, http.StatusBadRequest)
			return
		}
		appID := ""
		for _, c := range fakegraph.DemoCast() {
			if strings.EqualFold(c.App, strings.TrimSpace(req.App)) {
				appID = c.AppID
				break
			}
		}
		if appID == "" {
			http.Error(w, "no demo app of that name", http.StatusNotFound)
			return
		}
		var (
			done []string
			err  error
		)
		g.Update(func(t *fakegraph.Tenant) { done, err = t.RunDemoCycle(appID, now()) })
		if err != nil {
			http.Error(w, "the cycle did not run: "+err.Error(), http.StatusConflict)
			return
		}
		if ran != nil {
			ran(appID)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(map[string]any{"app": req.App, "provisioned": len(done)})
	})
}
