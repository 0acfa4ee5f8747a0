package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// Directory is what the conversation needs from Microsoft Graph. The graph
// package's Client implements it; tests use a fake. Errors match
// diagnose.ErrNotFound, ErrForbidden, ErrThrottled, ErrUnavailable or
// ErrInvalid through errors.Is.
type Directory interface {
	// ResolveUser finds the users an object id, UPN, mail or name refers
	// to; several people can match a name.
	ResolveUser(ctx context.Context, ref string) ([]diagnose.User, error)
	// Apps lists the apps that provision users, with their jobs.
	Apps(ctx context.Context) ([]diagnose.App, error)
	// AppCatalog lists the apps that provision users by id and name only
	// (Jobs not read, JobsKnown false): what questions are read with, so
	// that reading one costs no Graph request once the list is built.
	AppCatalog(ctx context.Context) ([]diagnose.App, error)
	// FindApps ranks the apps by how well their names match, best first,
	// with their jobs. An object id, or a name no provisioning app has but
	// an enterprise app without provisioning does (single sign-on only),
	// finds that app too (JobsKnown, no jobs).
	FindApps(ctx context.Context, name string) ([]diagnose.App, error)
	// Gather collects what one diagnosis needs.
	Gather(ctx context.Context, q diagnose.Query) (diagnose.Input, error)
	// IsHelpDesk reports whether a user is in a help-desk group.
	IsHelpDesk(ctx context.Context, userID string) (bool, error)
}

// GroupDirectory is a [Directory] that can also find groups, for the help
// desk's questions about a group's own provisioning ("why is the Sales
// group missing from Slack?"); Gather then takes diagnose.Query.GroupID.
type GroupDirectory interface {
	// ResolveGroup finds the groups an object id or name refers to.
	ResolveGroup(ctx context.Context, ref string) ([]diagnose.Group, error)
}

// ConversationConfig configures the [Conversation].
type ConversationConfig struct {
	// Directory answers the Graph questions. Required.
	Directory Directory
	// Logger receives operational logs. Required.
	Logger *slog.Logger
	// Audit receives one line per lookup (asker, subject, app, verdict,
	// time). Default: Logger.
	Audit *slog.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// HelpDeskContact says whom end users should ask about other people's
	// accounts, e.g. "the IT help desk (help@contoso.com)". Default "your
	// help desk".
	HelpDeskContact string
	// LookupTimeout bounds one lookup for a message (invokes have their own,
	// shorter deadline) beyond any wait for the reporting budget: a lookup
	// told it waits its turn gets that wait on top. Default 25 s.
	LookupTimeout time.Duration
	// LookupContext, when set, prepares the context of each directory
	// lookup with hooks the directory calls back (cmd/provbot passes them
	// on to the Graph client): the asker is told at once when their lookup
	// waits for the reporting budget, and someone else's provisioning logs
	// are read only once the asker may see them.
	LookupContext func(ctx context.Context, h LookupHooks) context.Context
	// OnLookup, when set, is told about every lookup (for metrics): its
	// outcome ("answered", "refused", "error") and the verdicts.
	OnLookup func(outcome string, verdicts []diagnose.Category)
	// OnAnswered, when set, is told how long each question took from its
	// turn's start to its answer card having been sent (for metrics:
	// elapsed wall time, whatever Now says).
	OnAnswered func(d time.Duration)
	// TenantID is the Entra tenant whose directory the Directory reads.
	// When set, people from any other tenant are told that the bot
	// answers for another organization and get nothing from the
	// directory. Empty: not checked here (the Bot Framework server's
	// AllowedTenantIds still applies).
	TenantID string
	// State keeps watches, alert channels, mutes and conversation
	// references (see watch.go and alert.go). Nil: the bot offers no
	// watches and takes no alert channels.
	State State
	// Actions keeps the confirmations and the audit of the approved fixes
	// (provision on demand, restart a job), which the Directory takes when
	// it is an [ActionDirectory]. Nil: no actions are offered.
	Actions ActionState
}

// Conversation is provbot's [botframework.Handler]: it understands
// questions, checks who may see what, looks the answer up and replies with
// Adaptive Cards.
type Conversation struct {
	dir      Directory
	log      *slog.Logger
	audit    *slog.Logger
	now      func() time.Time
	contact  string
	timeout  time.Duration
	onLookup func(outcome string, verdicts []diagnose.Category)
	tenant   string
	state    State
	hooks    func(ctx context.Context, h LookupHooks) context.Context
	answered func(time.Duration)
	actions  ActionState
}

var _ botframework.Handler = (*Conversation)(nil)

// NewConversation checks the configuration and returns the handler.
func NewConversation(cfg ConversationConfig) (*Conversation, error) {
	if cfg.Directory == nil {
		return nil, errors.New("bot: ConversationConfig.Directory is required")
	}
	if cfg.Logger == nil {
		return nil, errors.New("bot: ConversationConfig.Logger is required")
	}
	c := &Conversation{dir: cfg.Directory, log: cfg.Logger.With("component", "conversation"), audit: cfg.Audit,
		now: cfg.Now, contact: cfg.HelpDeskContact, timeout: cfg.LookupTimeout, onLookup: cfg.OnLookup,
		tenant: strings.TrimSpace(cfg.TenantID), state: cfg.State, hooks: cfg.LookupContext, answered: cfg.OnAnswered,
		actions: cfg.Actions}
	if c.audit == nil {
		c.audit = cfg.Logger
	}
	c.audit = c.audit.With("component", "audit")
	if c.now == nil {
		c.now = time.Now
	}
	if c.contact == "" {
		c.contact = "your help desk"
	}
	if c.timeout <= 0 {
		c.timeout = 25 * time.Second
	}
	return c, nil
}

// OnActivity answers messages and card submits, and welcomes new
// conversations.
func (c *Conversation) OnActivity(ctx context.Context, t *botframework.Turn) error {
	a := t.Activity
	switch a.Type {
	case botframework.ActivityConversationUpdate:
		if addsBot(a) {
			c.registerInstalledChannel(ctx, t)
			return c.welcome(ctx, t)
		}
	case botframework.ActivityInstallationUpdate:
		if a.Action == "" || strings.HasPrefix(a.Action, "add") {
			return c.welcome(ctx, t)
		}
	case botframework.ActivityMessage:
		return c.onMessage(ctx, t)
	}
	return nil
}

// OnInvoke answers Action.Execute clicks with a replacement card.
func (c *Conversation) OnInvoke(ctx context.Context, t *botframework.Turn) (botframework.InvokeResponse, error) {
	if t.Activity.Name != botframework.InvokeNameAdaptiveCardAction {
		return botframework.InvokeNotImplemented(), nil
	}
	act, err := t.Activity.AdaptiveCardAction()
	if err != nil {
		return botframework.InvokeFailure(400, "BadRequest", "That button sent data I could not read."), nil
	}
	var data ActionData
	if err := json.Unmarshal(act.Action.Data, &data); err != nil || data.Kind != "provbot" {
		return botframework.InvokeFailure(400, "BadRequest", "That button is not one of mine."), nil
	}
	if data.Verb == "" {
		data.Verb = act.Action.Verb
	}
	req := requestFromAction(data)
	card := c.keepPrivate(ctx, t, req, c.answer(ctx, t, req))
	return botframework.InvokeCard(card), nil
}

func (c *Conversation) onMessage(ctx context.Context, t *botframework.Turn) error {
	arrived := time.Now()
	a := t.Activity
	var req request
	if len(a.Value) > 0 && string(a.Value) != "null" {
		var data ActionData
		if err := json.Unmarshal(a.Value, &data); err != nil || data.Kind != "provbot" {
			_, err := t.Reply(ctx, cardReply(messageCard("I didn't understand that", "That card button isn't one of mine.")))
			return err
		}
		req = requestFromAction(data)
	} else {
		text := a.TextWithoutRecipientMention()
		var catalog []diagnose.App
		if !c.otherTenant(a) {
			catalog = c.appCatalog(ctx)
		}
		if cmd, ok := parseCommand(text, catalog); ok {
			req = cmd
		} else {
			req = requestFromQuestion(parseQuestion(text, catalogNames(catalog)), catalog)
		}
	}
	if req.verb != verbHelp && req.verb != verbUnknown && req.verb != verbThanks {
		t.StartTyping(ctx)
	}
	lctx, extend, cancel := stretchable(ctx, c.timeout)
	defer cancel()
	lctx, busy := withBusyNote(lctx, ctx, t, extend)
	card := c.keepPrivate(ctx, t, req, c.answer(lctx, t, req))
	busy.sent(ctx)
	_, err := t.Reply(ctx, cardReply(card))
	if err != nil {
		return fmt.Errorf("reply: %w", err)
	}
	if c.answered != nil {
		c.answered(time.Since(arrived))
	}
	return nil
}

// cardReply wraps a card in a message activity, with the card's fallback
// text as the notification summary.
func cardReply(c card.AdaptiveCard) *botframework.Activity {
	return &botframework.Activity{Type: botframework.ActivityMessage, Summary: clip(firstLine(c.FallbackText), 200),
		Attachments: []botframework.Attachment{{ContentType: botframework.ContentTypeAdaptiveCard, Content: c}}}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// addsBot reports whether a conversationUpdate adds the bot itself: a
// member with the recipient's id, or, in a personal chat (where only this
// bot can be added), any bot account ("28:…").
func addsBot(a *botframework.Activity) bool {
	personal := a.Conversation.ConversationType == "personal"
	for _, m := range a.MembersAdded {
		if m.ID == a.Recipient.ID || personal && strings.HasPrefix(m.ID, "28:") {
			return true
		}
	}
	return false
}

// appCatalog lists the known apps (ids and names) for question parsing;
// on failure the parser falls back to how the question is phrased.
func (c *Conversation) appCatalog(ctx context.Context) []diagnose.App {
	apps, err := c.dir.AppCatalog(ctx)
	if err != nil {
		c.log.Warn("list apps for parsing", "err", err)
		return nil
	}
	return apps
}

// location is where the asker's clock times are shown: their Teams time
// zone (localTimezone, or the clientInfo entity's timezone), else the
// offset of their local timestamp, else UTC.
func location(a *botframework.Activity) *time.Location {
	zones := []string{a.LocalTimezone}
	for _, e := range a.Entities {
		if strings.EqualFold(e.Type, "clientInfo") {
			var tz string
			if raw, ok := e.Extra["timezone"]; ok && json.Unmarshal(raw, &tz) == nil {
				zones = append(zones, tz)
			}
		}
	}
	for _, z := range zones {
		if z == "" {
			continue
		}
		if loc, err := time.LoadLocation(z); err == nil {
			return loc
		}
	}
	if a.LocalTimestamp != "" {
		if t, err := time.Parse(time.RFC3339Nano, a.LocalTimestamp); err == nil {
			_, off := t.Zone()
			if off == 0 {
				return time.UTC
			}
			return time.FixedZone(t.Format("-07:00"), off)
		}
	}
	return time.UTC
}
