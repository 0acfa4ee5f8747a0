package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/provbot/provbot/manifest"
)

// runManifest is `provbot manifest`: the Teams app package to upload.
func runManifest(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "manifest", "--bot-id ID [--name NAME] [--version 1.0.0] --out provbot.zip")
	var p manifest.Params
	var out, domains string
	fs.StringVar(&p.BotID, "bot-id", e.getenv("MicrosoftAppId"), "the bot's Microsoft App `id` (default: MicrosoftAppId)")
	fs.StringVar(&p.AppID, "app-id", "", "the Teams app's own `id` (default: derived from the bot id, so rebuilds update the same app)")
	fs.StringVar(&p.Name, "name", "", "short app `name` shown in Teams (default provbot)")
	fs.StringVar(&p.FullName, "full-name", "", "long app `name`")
	fs.StringVar(&p.Version, "version", "", "app `version`, MAJOR.MINOR.PATCH (bump it for every new upload)")
	fs.StringVar(&p.DeveloperName, "developer", "", "developer `name` shown in the store listing")
	fs.StringVar(&p.WebsiteURL, "website", "", "developer website `URL`")
	fs.StringVar(&p.PrivacyURL, "privacy", "", "privacy statement `URL`")
	fs.StringVar(&p.TermsOfUseURL, "terms", "", "terms of use `URL`")
	fs.StringVar(&p.AccentColor, "accent", "", "accent `colour` (#RRGGBB)")
	fs.StringVar(&domains, "valid-domains", "", "comma-separated `domains` the app may open")
	fs.StringVar(&out, "out", "provbot.zip", "write the package to this `file`")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if strings.TrimSpace(p.BotID) == "" {
		return usageError("--bot-id is required (the Azure Bot's Microsoft App ID)")
	}
	p.ValidDomains = splitList(domains)
	var buf bytes.Buffer
	if err := manifest.Build(&buf, p); err != nil {
		return fmt.Errorf("build the Teams package: %w", err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	fmt.Fprintf(e.stdout, "Wrote %s (%d bytes). Upload it in Teams: Apps → Manage your apps → Upload an app.\n", out, buf.Len())
	return nil
}
