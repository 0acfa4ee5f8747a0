package bot_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/provbot/provbot/bot"
	"github.com/provbot/provbot/diagnose"
)

// personLookup is the fake directory with Lookup: it resolves the
// reference (a directory read), then, as the Graph client does before the
// provisioning logs, passes the gate the conversation gave it, and
// gathers. queued, when set, is told to the conversation as a wait for the
// reporting budget.
type personLookup struct {
	*fakeDirectory
	lookups, gated atomic.Int32
	queued         *bot.QueueWait
}

type hooksKey struct{}

func (p *personLookup) Lookup(ctx context.Context, ref string, q diagnose.Query) (diagnose.Input, []diagnose.User, error) {
	p.lookups.Add(1)
	users, err := p.ResolveUser(ctx, ref)
	switch {
	case err != nil:
		return diagnose.Input{}, nil, err
	case len(users) > 1:
		return diagnose.Input{}, users, nil
	case len(users) == 0:
		return diagnose.Input{}, nil, diagnose.ErrNotFound
	}
	h, _ := ctx.Value(hooksKey{}).(bot.LookupHooks)
	if h.Allowed != nil {
		if err := h.Allowed(ctx); err != nil {
			return diagnose.Input{}, nil, err
		}
	}
	p.gated.Add(1)
	if p.queued != nil && h.Queued != nil {
		h.Queued(*p.queued)
	}
	q.UserID = users[0].ObjectID
	in, err := p.Gather(ctx, q)
	return in, nil, err
}

func newLookupHarness(t *testing.T) (*convHarness, *personLookup) {
	pl := &personLookup{}
	h := newConvHarness(t, func(cfg *bot.ConversationConfig) {
		pl.fakeDirectory = cfg.Directory.(*fakeDirectory)
		cfg.Directory = pl
		cfg.LookupContext = func(ctx context.Context, h bot.LookupHooks) context.Context {
			return context.WithValue(ctx, hooksKey{}, h)
		}
	})
	return h, pl
}

// TestTheHelpDeskLookupRunsAlongsideTheCheck: the help desk's question by
// UPN is one Lookup, and its gate lets the logs be read once the check
// says the asker is on the help desk.
func TestTheHelpDeskLookupRunsAlongsideTheCheck(t *testing.T) {
	h, pl := newLookupHarness(t)
	text := cardText(h.ask(t, hankID, "check adele.vance@contoso.com in ServiceNow"))
	if !strings.Contains(text, "ServiceNow") || strings.Contains(text, "I can only check your own account") {
		t.Errorf("not the help desk's answer about Adele:\n%s", text)
	}
	if pl.lookups.Load() != 1 || pl.gated.Load() != 1 {
		t.Errorf("lookups %d, past the gate %d; want 1 and 1", pl.lookups.Load(), pl.gated.Load())
	}
}

// TestAnEndUsersLookupOfSomeoneElseStopsAtTheGate: an end user asking about
// someone else is refused, and the lookup that ran alongside the check
// never got past the gate to the provisioning logs.
func TestAnEndUsersLookupOfSomeoneElseStopsAtTheGate(t *testing.T) {
	h, pl := newLookupHarness(t)
	text := cardText(h.ask(t, meganID, "check adele.vance@contoso.com in ServiceNow"))
	if !strings.Contains(text, "I can only check your own account") || strings.Contains(text, "Adele") {
		t.Errorf("not a refusal that reveals nothing:\n%s", text)
	}
	if pl.gated.Load() != 0 || pl.gathers.Load() != 0 {
		t.Errorf("the refused lookup went past the gate (%d) or gathered (%d)", pl.gated.Load(), pl.gathers.Load())
	}
}

// TestAQueuedLookupSaysSoBeforeItAnswers: a lookup that waits for the
// reporting budget sends the busy note at once, then the answer.
func TestAQueuedLookupSaysSoBeforeItAnswers(t *testing.T) {
	h, pl := newLookupHarness(t)
	pl.queued = &bot.QueueWait{Ahead: 40, Wait: 62 * time.Second}
	before := len(h.connector.Calls())
	h.ask(t, hankID, "check adele.vance@contoso.com in ServiceNow")
	var order []string
	for _, c := range h.connector.Calls()[before:] {
		switch text, _ := c.Body["text"].(string); {
		case strings.HasPrefix(text, "Busy: "):
			order = append(order, text)
		case c.Body["attachments"] != nil:
			order = append(order, "card")
		}
	}
	if len(order) != 2 || !strings.HasPrefix(order[0], "Busy: 40 people ahead of you, about a minute.") || order[1] != "card" {
		t.Errorf("messages %q, want the busy note and then the card", order)
	}
}
