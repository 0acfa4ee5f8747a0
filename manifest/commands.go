package manifest

// Command is one entry in the bot's command menu: the suggestions Teams shows
// when a user starts typing to the bot.
type Command struct {
	// Title is the command word Teams inserts into the message, such as
	// "check". At most 32 characters.
	Title string
	// Description tells end users, in plain language, what the command does,
	// with an example. At most 128 characters.
	Description string
}

// DefaultCommands returns provbot's commands, in menu order. Each call
// returns a new slice.
func DefaultCommands() []Command {
	return []Command{
		{
			Title:       "check",
			Description: "Help desk: see why a person's account did or didn't reach an app. Example: check adele@contoso.com in ServiceNow",
		},
		{
			Title:       "why",
			Description: "Find out why you can't get into an app, and what to do. Example: why can't I get into Salesforce?",
		},
		{
			Title:       "status",
			Description: "See whether an app is getting accounts as it should. Example: status of Salesforce",
		},
		{
			Title:       "apps",
			Description: "List the apps that get accounts automatically. Example: which apps",
		},
		{
			Title:       "help",
			Description: "Show what I can do and how to ask.",
		},
	}
}
