package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Schema and version of the manifest that Build writes. 1.22 is the version
// the Teams documentation calls current (generally available).
const (
	// SchemaURL is the manifest's "$schema".
	SchemaURL = "https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json"
	// ManifestVersion is the manifest's "manifestVersion".
	ManifestVersion = "1.22"
)

// Names of the files at the root of the package.
const (
	// ManifestFile is the app manifest.
	ManifestFile = "manifest.json"
	// ColorIconFile is the 192×192 full-colour icon.
	ColorIconFile = "color.png"
	// OutlineIconFile is the 32×32 white-on-transparent icon.
	OutlineIconFile = "outline.png"
)

// Bot scopes, spelled as the schema's enum has them (camel-case groupChat).
const (
	scopePersonal  = "personal"
	scopeTeam      = "team"
	scopeGroupChat = "groupChat"
)

// The JSON shape of manifest.json, in the field order of the Teams samples.
type (
	manifestJSON struct {
		Schema          string          `json:"$schema"`
		ManifestVersion string          `json:"manifestVersion"`
		Version         string          `json:"version"`
		ID              string          `json:"id"`
		Developer       developerJSON   `json:"developer"`
		Name            nameJSON        `json:"name"`
		Description     descriptionJSON `json:"description"`
		Icons           iconsJSON       `json:"icons"`
		AccentColor     string          `json:"accentColor"`
		Bots            []botJSON       `json:"bots"`
		// Permissions is empty on purpose: a bot learns who is talking to it
		// from each activity and needs neither "identity" nor
		// "messageTeamMembers".
		Permissions  []string `json:"permissions"`
		ValidDomains []string `json:"validDomains"`
	}
	developerJSON struct {
		Name          string `json:"name"`
		WebsiteURL    string `json:"websiteUrl"`
		PrivacyURL    string `json:"privacyUrl"`
		TermsOfUseURL string `json:"termsOfUseUrl"`
	}
	nameJSON struct {
		Short string `json:"short"`
		Full  string `json:"full"`
	}
	descriptionJSON struct {
		Short string `json:"short"`
		Full  string `json:"full"`
	}
	iconsJSON struct {
		Color   string `json:"color"`
		Outline string `json:"outline"`
	}
	botJSON struct {
		BotID              string            `json:"botId"`
		Scopes             []string          `json:"scopes"`
		SupportsFiles      bool              `json:"supportsFiles"`
		IsNotificationOnly bool              `json:"isNotificationOnly"`
		CommandLists       []commandListJSON `json:"commandLists"`
	}
	commandListJSON struct {
		Scopes   []string      `json:"scopes"`
		Commands []commandJSON `json:"commands"`
	}
	commandJSON struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	}
)

// manifestBytes renders manifest.json for p, which must already have its
// defaults applied and be valid.
func manifestBytes(p Params) ([]byte, error) {
	scopes := []string{scopePersonal, scopeTeam, scopeGroupChat}
	commands := make([]commandJSON, len(p.Commands))
	for i, c := range p.Commands {
		commands[i] = commandJSON{Title: c.Title, Description: c.Description}
	}
	lists := make([]commandListJSON, len(scopes))
	for i, s := range scopes {
		lists[i] = commandListJSON{Scopes: []string{s}, Commands: commands}
	}

	m := manifestJSON{
		Schema:          SchemaURL,
		ManifestVersion: ManifestVersion,
		Version:         p.Version,
		ID:              p.AppID,
		Developer: developerJSON{
			Name:          p.DeveloperName,
			WebsiteURL:    p.WebsiteURL,
			PrivacyURL:    p.PrivacyURL,
			TermsOfUseURL: p.TermsOfUseURL,
		},
		Name:        nameJSON{Short: p.Name, Full: p.FullName},
		Description: descriptionJSON{Short: p.ShortDescription, Full: p.FullDescription},
		Icons:       iconsJSON{Color: ColorIconFile, Outline: OutlineIconFile},
		AccentColor: p.AccentColor,
		Bots: []botJSON{{
			BotID:              p.BotID,
			Scopes:             scopes,
			SupportsFiles:      false,
			IsNotificationOnly: false,
			CommandLists:       lists,
		}},
		Permissions:  []string{},
		ValidDomains: append([]string{}, p.ValidDomains...),
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode %s: %w", ManifestFile, err)
	}
	return buf.Bytes(), nil
}
