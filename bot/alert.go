package bot

import (
	"context"
	"fmt"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/store"
)

// Alerts go to the help desk's channels: "send alerts here" in a channel
// registers it (help desk only), as does installing the bot in a team when
// the person installing it is on the help desk. Muting an app ("mute
// Salesforce for 1 day") is for the help desk too, until admin groups of
// their own exist.

// alertCommand answers "send alerts here", "stop alerts here", "mute …"
// and "unmute …".
func (c *Conversation) alertCommand(ctx context.Context, t *botframework.Turn, a *asker, r request, opts cardOptions) card.AdaptiveCard {
	if c.state == nil {
		return messageCard("I can't keep alerts here", "This provbot keeps no state, so it cannot post alerts or mute apps.")
	}
	c.checkHelpDesk(ctx, t, a)
	if !a.HelpDesk {
		if a.checkErr != nil {
			return helpDeskCheckFailedCard(a.checkErr)
		}
		return messageCard("Alerts are for the help desk", fmt.Sprintf("Only the help desk can set up alerts or mute them. Please ask %s.", c.contact))
	}
	switch r.verb {
	case VerbAlertsHere:
		return c.alertsHere(ctx, t, *a)
	case VerbAlertsOff:
		id := t.Activity.Conversation.ID
		if err := c.state.DeleteAlertChannel(ctx, id); err != nil {
			t.Logger.Error("unregister alert channel", "err", err)
			return apologyCard("I couldn't change this channel's alerts. Please try again in a minute.")
		}
		c.audit.Info("alerts off", "asker", a.ID, "conversation_id", id, "time", c.now().UTC())
		return messageCard("No more alerts here", "I won't post provisioning alerts in this conversation any more. Say “send alerts here” to have them again.")
	}
	// Muting silences an app's alerts for everyone: admins only, where the
	// directory knows admins (PROVBOT_ADMIN_GROUPS).
	if ad, ok := c.dir.(ActionDirectory); ok {
		admin, err := ad.IsAdmin(ctx, a.ID)
		switch {
		case err != nil:
			t.Logger.Warn("admin check for mute", "err", err)
			return messageCard("I couldn't check that you're an admin",
				"Muting alerts is for admins, and checking your admin groups failed just now. Please ask again in a minute.")
		case !admin:
			c.audit.Info("mute refused: not an admin", "asker", a.ID, "time", c.now().UTC())
			return messageCard("Muting is for admins", fmt.Sprintf("Only admins can mute or unmute an app's alerts. Please ask %s.", c.contact))
		}
	}
	return c.mute(ctx, t, *a, r, opts)
}

// alertsHere registers the conversation as an alert channel.
func (c *Conversation) alertsHere(ctx context.Context, t *botframework.Turn, a asker) card.AdaptiveCard {
	if !t.Activity.IsGroup() {
		return messageCard("Say this in a channel", "Alerts go to a team channel where the help desk reads them: @mention me there and say “send alerts here”.")
	}
	if err := c.registerChannel(ctx, t, a.ID); err != nil {
		t.Logger.Error("register alert channel", "err", err)
		return apologyCard("I couldn't register this channel for alerts. Please try again in a minute.")
	}
	return messageCard("Alerts will come here",
		"I'll post here when an app's provisioning is quarantined or leaves quarantine, is paused or switched off, fails whole runs, holds deletions back, or has had errors for more than a day: once each time, with who must act. Nobody's account details are posted here. Say “stop alerts here” to stop.")
}

// registerChannel keeps the turn's conversation as an alert channel.
func (c *Conversation) registerChannel(ctx context.Context, t *botframework.Turn, by string) error {
	key, err := saveReference(ctx, c.state, t)
	if err != nil {
		return err
	}
	ch := store.AlertChannel{ID: t.Activity.Conversation.ID, Conversation: key, AddedBy: by, AddedAt: c.now()}
	if err := c.state.PutAlertChannel(ctx, ch); err != nil {
		return fmt.Errorf("store alert channel: %w", err)
	}
	c.audit.Info("alerts here", "asker", by, "conversation_id", ch.ID, "time", ch.AddedAt.UTC())
	return nil
}

// registerInstalledChannel registers a team's channel for alerts when the
// bot is installed in the team (a conversationUpdate adding the bot, with
// channelData.team) by a member of the help desk. Anyone else installing
// it registers nothing: they can ask the help desk to say “send alerts
// here”.
func (c *Conversation) registerInstalledChannel(ctx context.Context, t *botframework.Turn) {
	a := t.Activity
	if c.state == nil || !a.IsGroup() || c.otherTenant(a) || a.From.AADObjectID == "" {
		return
	}
	cd, err := a.TeamsChannelData()
	if err != nil || cd.Team == nil {
		return
	}
	who := newAsker(a)
	c.checkHelpDesk(ctx, t, &who)
	if !who.HelpDesk {
		return
	}
	if err := c.registerChannel(ctx, t, who.ID); err != nil {
		t.Logger.Warn("register the team's channel for alerts", "err", err)
	}
}

// mute answers "mute Salesforce for 1 day" and "unmute Salesforce".
func (c *Conversation) mute(ctx context.Context, t *botframework.Turn, a asker, r request, opts cardOptions) card.AdaptiveCard {
	app, _, answer := c.resolveApp(ctx, t, a, r, "", r.verb)
	if answer != nil {
		return *answer
	}
	if app == nil {
		return messageCard("Which app?", "Name the app, for example “mute Salesforce for 1 day”.")
	}
	if r.verb == VerbUnmute {
		if err := c.state.DeleteMute(ctx, app.ID); err != nil {
			t.Logger.Error("unmute", "err", err)
			return apologyCard("I couldn't unmute it. Please try again in a minute.")
		}
		c.audit.Info("unmute", "asker", a.ID, "app", app.Name, "time", opts.Now.UTC())
		return messageCard(app.Name+" alerts are back on", "I'll post alerts about "+app.Name+" again.")
	}
	if r.muteFor <= 0 {
		return messageCard("For how long?", fmt.Sprintf("Say how long, up to %d days: for example “mute %s for 1 day”.", int(maxMute.Hours()/24), app.Name))
	}
	until := opts.Now.Add(r.muteFor)
	if err := c.state.PutMute(ctx, store.Mute{App: app.ID, Until: until, By: a.ID}); err != nil {
		t.Logger.Error("mute", "err", err)
		return apologyCard("I couldn't mute it. Please try again in a minute.")
	}
	c.audit.Info("mute", "asker", a.ID, "app", app.Name, "until", until.UTC(), "time", opts.Now.UTC())
	return messageCard(app.Name+" alerts are muted",
		fmt.Sprintf("I won't post alerts about %s until %s. Say “unmute %s” to have them sooner.", app.Name, when(until, opts.Now, opts.Loc), app.Name))
}
