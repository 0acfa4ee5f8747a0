package bot

import (
	"context"
	"fmt"

	"github.com/provbot/provbot/botframework"
)

// welcome greets a conversation the bot was just added to, saying what it
// can do for this asker.
func (c *Conversation) welcome(ctx context.Context, t *botframework.Turn) error {
	a := c.whoIsAsking(ctx, t)
	if _, err := t.Reply(ctx, cardReply(welcomeCard(a.HelpDesk))); err != nil {
		return fmt.Errorf("send welcome: %w", err)
	}
	return nil
}
