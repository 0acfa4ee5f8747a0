package manifest

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of the Teams app manifest schema. Lengths count Unicode characters,
// as JSON Schema's maxLength does.
//
// Sources:
//   - name.short ≤ 30, name.full ≤ 100, and the two must differ:
//     https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/root-name
//   - description.short ≤ 80, description.full ≤ 4000:
//     https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/root-description
//   - developer.name ≤ 32; websiteUrl, privacyUrl and termsOfUseUrl are
//     https URLs of at most 2048 characters:
//     https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/root-developer
//   - bot command title ≤ 32 and description ≤ 128. The v1.22 page lists these
//     limits next to the looser 128 / 4000 of later schemas; the strict pair
//     is valid under every schema version:
//     https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/root-bots-command-lists-commands?view=m365-app-1.22
//   - at most 10 commands per command list, and a bot needs at least one
//     command list for the Teams mobile client:
//     https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/root-bots-command-lists?view=m365-app-1.19
//   - version is MAJOR.MINOR.PATCH without leading zeros (≤ 256 characters),
//     id is a GUID, accentColor is #RRGGBB, validDomains holds at most 16
//     entries of at most 2048 characters: the "semver", "guid", "hexColor"
//     and "httpsUrl" definitions and the validDomains property of
//     https://github.com/OfficeDev/microsoft-teams-app-schema/blob/main/MicrosoftTeams.schema.json
//   - description.short and description.full must differ: provbot's Bot
//     Framework protocol notes, §4.1 (the JSON schema itself does not check it)
//   - white on the accent colour needs a contrast ratio of at least 4.5:1
//     ("Do: Provide enough contrast"):
//     https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/design/design-teams-app-icon-store-appbar
const (
	maxShortName        = 30
	maxFullName         = 100
	maxShortDescription = 80
	maxFullDescription  = 4000
	maxDeveloperName    = 32
	maxURL              = 2048
	maxVersion          = 256
	maxCommandTitle     = 32
	maxCommandDesc      = 128
	maxCommandsPerList  = 10
	maxValidDomains     = 16
	maxValidDomain      = 2048
	minAccentContrast   = 4.5
)

var (
	guidPattern    = regexp.MustCompile(`^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$`)
	semverPattern  = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)
	hexColorRegexp = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	domainLabel    = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`)
)

const nilGUID = "00000000-0000-0000-0000-000000000000"

// FieldError reports a Params field whose value the Teams app manifest would
// not accept.
type FieldError struct {
	// Field names the Params field, such as "BotID", "Commands[2].Title" or
	// "ValidDomains[0]".
	Field string
	// Problem says what is wrong, in words a person can act on.
	Problem string
}

// Error returns "Field: Problem".
func (e *FieldError) Error() string {
	return e.Field + ": " + e.Problem
}

// Validate checks p, with defaults applied to its empty optional fields, against
// the Teams app manifest schema and the Teams icon guidance. It returns nil, or
// one *FieldError per problem found, joined with errors.Join; use errors.As to
// get the first.
func (p Params) Validate() error {
	p = p.WithDefaults()
	var v validator

	v.guid("BotID", p.BotID)
	v.guid("AppID", p.AppID)

	v.text("Name", p.Name, maxShortName)
	v.text("FullName", p.FullName, maxFullName)
	if strings.EqualFold(strings.TrimSpace(p.Name), strings.TrimSpace(p.FullName)) {
		v.fail("FullName", "must differ from Name")
	}
	v.text("ShortDescription", p.ShortDescription, maxShortDescription)
	v.text("FullDescription", p.FullDescription, maxFullDescription)
	if strings.EqualFold(strings.TrimSpace(p.ShortDescription), strings.TrimSpace(p.FullDescription)) {
		v.fail("FullDescription", "must differ from ShortDescription")
	}

	if !semverPattern.MatchString(p.Version) || len(p.Version) > maxVersion {
		v.fail("Version", fmt.Sprintf("must be MAJOR.MINOR.PATCH without leading zeros, such as 1.0.0; got %q", p.Version))
	}

	v.text("DeveloperName", p.DeveloperName, maxDeveloperName)
	v.httpsURL("WebsiteURL", p.WebsiteURL)
	v.httpsURL("PrivacyURL", p.PrivacyURL)
	v.httpsURL("TermsOfUseURL", p.TermsOfUseURL)

	v.accentColor("AccentColor", p.AccentColor)
	v.validDomains("ValidDomains", p.ValidDomains)
	v.commands("Commands", p.Commands)

	return errors.Join(v.errs...)
}

// validator collects field errors.
type validator struct {
	errs []error
}

func (v *validator) fail(field, problem string) {
	v.errs = append(v.errs, &FieldError{Field: field, Problem: problem})
}

func (v *validator) guid(field, s string) {
	switch {
	case !guidPattern.MatchString(s):
		v.fail(field, fmt.Sprintf("must be a GUID such as 6f1c2a34-8b7d-4e90-a1b2-c3d4e5f60718; got %q", s))
	case s == nilGUID:
		v.fail(field, "must not be the all-zero GUID; use the real ID")
	}
}

// text checks a required, length-limited string.
func (v *validator) text(field, s string, limit int) {
	switch n := utf8.RuneCountInString(s); {
	case strings.TrimSpace(s) == "":
		v.fail(field, "must not be blank")
	case s != strings.TrimSpace(s):
		v.fail(field, "must not start or end with spaces")
	case n > limit:
		v.fail(field, fmt.Sprintf("must be at most %d characters; got %d", limit, n))
	}
}

func (v *validator) httpsURL(field, s string) {
	if n := utf8.RuneCountInString(s); n > maxURL {
		v.fail(field, fmt.Sprintf("must be at most %d characters; got %d", maxURL, n))
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		v.fail(field, fmt.Sprintf("must be an https URL: %v", err))
	case u.Scheme != "https" || u.Host == "" || u.Opaque != "":
		v.fail(field, fmt.Sprintf("must be an https URL such as https://example.com/page; got %q", s))
	case u.User != nil:
		v.fail(field, "must not contain a user name or password")
	}
}

func (v *validator) accentColor(field, s string) {
	if !hexColorRegexp.MatchString(s) {
		v.fail(field, fmt.Sprintf("must be a colour as #RRGGBB, such as %s; got %q", defaultAccentColor, s))
		return
	}
	if c := contrastWithWhite(mustParseHexColor(s)); c < minAccentContrast {
		v.fail(field, fmt.Sprintf("is too light for the white icon: contrast with white is %.2f:1, needs at least %.1f:1", c, minAccentContrast))
	}
}

func (v *validator) validDomains(field string, domains []string) {
	if len(domains) > maxValidDomains {
		v.fail(field, fmt.Sprintf("must list at most %d domains; got %d", maxValidDomains, len(domains)))
	}
	seen := make(map[string]bool, len(domains))
	for i, d := range domains {
		f := fmt.Sprintf("%s[%d]", field, i)
		if problem := domainProblem(d); problem != "" {
			v.fail(f, problem)
			continue
		}
		key := strings.ToLower(d)
		if seen[key] {
			v.fail(f, fmt.Sprintf("repeats %q", d))
		}
		seen[key] = true
	}
}

// domainProblem says what is wrong with one validDomains entry, or returns "".
// An entry is a host name with an optional "*." prefix and optional port; it
// has no scheme and no path.
func domainProblem(d string) string {
	switch {
	case d == "":
		return "must not be empty"
	case len(d) > maxValidDomain:
		return fmt.Sprintf("must be at most %d characters; got %d", maxValidDomain, len(d))
	case strings.Contains(d, "://"):
		return fmt.Sprintf("must be a domain without a scheme, such as example.com; got %q", d)
	case strings.ContainsAny(d, "/?#@ \t"):
		return fmt.Sprintf("must be a domain without a path, such as example.com; got %q", d)
	}
	host := d
	if h, port, ok := strings.Cut(d, ":"); ok {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Sprintf("has an invalid port in %q", d)
		}
		host = h
	}
	labels := strings.Split(host, ".")
	if labels[0] == "*" {
		labels = labels[1:]
		if len(labels) < 2 {
			return fmt.Sprintf("must not be a wildcard over a whole top-level domain; got %q", d)
		}
	}
	for _, l := range labels {
		if len(l) > 63 || !domainLabel.MatchString(l) {
			return fmt.Sprintf("must be a domain such as example.com or *.example.com; got %q", d)
		}
	}
	return ""
}

func (v *validator) commands(field string, cmds []Command) {
	switch {
	case len(cmds) == 0:
		v.fail(field, "must list at least one command; the Teams mobile client needs them")
	case len(cmds) > maxCommandsPerList:
		v.fail(field, fmt.Sprintf("must list at most %d commands; got %d", maxCommandsPerList, len(cmds)))
	}
	seen := make(map[string]bool, len(cmds))
	for i, c := range cmds {
		f := fmt.Sprintf("%s[%d]", field, i)
		v.text(f+".Title", c.Title, maxCommandTitle)
		v.text(f+".Description", c.Description, maxCommandDesc)
		key := strings.ToLower(strings.TrimSpace(c.Title))
		if key != "" && seen[key] {
			v.fail(f+".Title", fmt.Sprintf("repeats the command %q", c.Title))
		}
		seen[key] = true
	}
}

// contrastWithWhite returns the WCAG 2 contrast ratio between c and white.
func contrastWithWhite(c rgb) float64 {
	channel := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	l := 0.2126*channel(c.r) + 0.7152*channel(c.g) + 0.0722*channel(c.b)
	return 1.05 / (l + 0.05)
}
