package bot

import (
	"context"
	"fmt"

	"github.com/provbot/provbot/botframework"
)

// welcome greets a conversation the bot was just added to, saying what it
// can do for this asker.
func (c *Conversation) welcome(ctx context.Context, t *botframework.Turn) error {
	card := otherTenantCard()
	if !c.otherTenant(t.Activity) {
		a := newAsker(t.Activity)
		c.checkHelpDesk(ctx, t, &a)
		card = welcomeCard(a.HelpDesk)
	}
	if _, err := t.Reply(ctx, cardReply(card)); err != nil {
		return fmt.Errorf("send welcome: %w", err)
	}
	return nil
}
