package manifest

// Params describes provbot's Teams app package. Only BotID is required: every
// other field that is left empty takes the default given in its comment.
type Params struct {
	// BotID is the Microsoft App ID of the Azure Bot resource, a GUID. It
	// becomes bots[0].botId in the manifest. Required.
	BotID string

	// AppID is the Teams app's own id (the manifest "id"), a GUID. Default:
	// DeriveAppID(BotID), so rebuilding the package for the same bot gives the
	// same app, and Teams treats a new package as an update of the old one.
	AppID string

	// Name is the short app name shown in Teams (name.short). Default
	// "provbot".
	Name string

	// FullName is the long app name shown where there is room (name.full). It
	// must differ from Name. Default "provbot: app provisioning, explained".
	FullName string

	// ShortDescription is the one-line description (description.short).
	// Default: a plain-language sentence about what provbot does.
	ShortDescription string

	// FullDescription is the app details text (description.full). It must
	// differ from ShortDescription. Default: a plain-language paragraph with
	// example questions.
	FullDescription string

	// Version is the app version, MAJOR.MINOR.PATCH. Bump it whenever the
	// package changes, or Teams will not pick up the new one. Default "1.0.0".
	Version string

	// DeveloperName is the publisher shown in the app details
	// (developer.name). Default "provbot".
	DeveloperName string

	// WebsiteURL is the developer's support page, an https URL. Default
	// "https://github.com/provbot/provbot".
	WebsiteURL string

	// PrivacyURL is the privacy statement, an https URL. Default
	// "https://github.com/provbot/provbot/blob/main/PRIVACY.md".
	PrivacyURL string

	// TermsOfUseURL is the terms of use, an https URL. Default
	// "https://github.com/provbot/provbot/blob/main/TERMS.md".
	TermsOfUseURL string

	// AccentColor is the colour behind the icon in Teams and the background of
	// color.png, as "#RRGGBB". The icon's glyph is white, so the colour must
	// be dark enough for white to read on it. Default "#1F6F8B".
	AccentColor string

	// ValidDomains lists the domains that tabs or cards load content from,
	// such as "example.com" or "*.example.com". A pure bot needs none, and the
	// bot's messaging endpoint does not belong here. Default: none.
	ValidDomains []string

	// Commands are the suggestions Teams shows in the compose box. Each one is
	// offered in every scope the bot supports. Nil means DefaultCommands(); an
	// empty, non-nil slice is invalid, because Teams needs at least one.
	Commands []Command
}

// Default values for the optional Params fields.
const (
	defaultName          = "provbot"
	defaultFullName      = "provbot: app provisioning, explained"
	defaultShortDesc     = "Find out why an account didn't reach an app, and what to do about it."
	defaultVersion       = "1.0.0"
	defaultDeveloperName = "provbot"
	defaultWebsiteURL    = "https://github.com/provbot/provbot"
	defaultPrivacyURL    = "https://github.com/provbot/provbot/blob/main/PRIVACY.md"
	defaultTermsURL      = "https://github.com/provbot/provbot/blob/main/TERMS.md"
	defaultAccentColor   = "#1F6F8B"
)

const defaultFullDesc = "provbot tells you, in plain words, why a person's account is or isn't " +
	"set up in an app that your organization connects to Microsoft Entra ID, such as " +
	"Salesforce or ServiceNow. It reads the app's provisioning logs and status, then " +
	"explains what happened, what to do next, and who can do it.\n\n" +
	"Ask about your own account: \"why can't I get into Salesforce?\". " +
	"If you work on the help desk, ask about someone else: " +
	"\"check adele@contoso.com in ServiceNow\". " +
	"You can also ask for the \"status of Salesforce\", or \"which apps\" get accounts " +
	"automatically. Type \"help\" at any time.\n\n" +
	"Chat with provbot directly, or mention it in a team channel or group chat."

// WithDefaults returns a copy of p in which every empty optional field holds
// its default. BotID is never filled in. The returned Commands and
// ValidDomains do not share memory with p's.
func (p Params) WithDefaults() Params {
	setDefault(&p.Name, defaultName)
	setDefault(&p.FullName, defaultFullName)
	setDefault(&p.ShortDescription, defaultShortDesc)
	setDefault(&p.FullDescription, defaultFullDesc)
	setDefault(&p.Version, defaultVersion)
	setDefault(&p.DeveloperName, defaultDeveloperName)
	setDefault(&p.WebsiteURL, defaultWebsiteURL)
	setDefault(&p.PrivacyURL, defaultPrivacyURL)
	setDefault(&p.TermsOfUseURL, defaultTermsURL)
	setDefault(&p.AccentColor, defaultAccentColor)
	if p.AppID == "" {
		p.AppID = DeriveAppID(p.BotID)
	}
	if p.Commands == nil {
		p.Commands = DefaultCommands()
	} else {
		p.Commands = append([]Command(nil), p.Commands...)
	}
	p.ValidDomains = append([]string{}, p.ValidDomains...)
	return p
}

func setDefault(field *string, value string) {
	if *field == "" {
		*field = value
	}
}
