package manifest_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/provbot/provbot/manifest"
)

// fieldsOf returns the Field of every *FieldError in err.
func fieldsOf(err error) []string {
	var fields []string
	var walk func(error)
	walk = func(err error) {
		var fe *manifest.FieldError
		switch e := err.(type) {
		case nil:
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				walk(inner)
			}
		default:
			if errors.As(err, &fe) {
				fields = append(fields, fe.Field)
			}
		}
	}
	walk(err)
	return fields
}

func tenCommands() []manifest.Command {
	cmds := make([]manifest.Command, 10)
	for i := range cmds {
		cmds[i] = manifest.Command{Title: fmt.Sprintf("cmd%d", i), Description: "Does a thing."}
	}
	return cmds
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mutate    func(*manifest.Params)
		wantField string // "" means valid
	}{
		// Valid, including values right at the limits.
		{"defaults with only a bot ID are valid", func(*manifest.Params) {}, ""},
		{"upper-case GUIDs are accepted", func(p *manifest.Params) { p.BotID = strings.ToUpper(testBotID) }, ""},
		{"a 30-character short name fits", func(p *manifest.Params) { p.Name = strings.Repeat("n", 30) }, ""},
		{"a 100-character full name fits", func(p *manifest.Params) { p.FullName = strings.Repeat("f", 100) }, ""},
		{"an 80-character short description fits", func(p *manifest.Params) { p.ShortDescription = strings.Repeat("s", 80) }, ""},
		{"a 4000-character full description fits", func(p *manifest.Params) { p.FullDescription = strings.Repeat("d", 4000) }, ""},
		{"lengths count characters, not bytes", func(p *manifest.Params) { p.Name = strings.Repeat("é", 30) }, ""},
		{"a 32-character developer name fits", func(p *manifest.Params) { p.DeveloperName = strings.Repeat("d", 32) }, ""},
		{"ten commands fit", func(p *manifest.Params) { p.Commands = tenCommands() }, ""},
		{"a 32-character command title fits", func(p *manifest.Params) { p.Commands[0].Title = strings.Repeat("t", 32) }, ""},
		{"a 128-character command description fits", func(p *manifest.Params) { p.Commands[0].Description = strings.Repeat("d", 128) }, ""},
		{"a wildcard domain is accepted", func(p *manifest.Params) { p.ValidDomains = []string{"*.contoso.com", "cards.contoso.com:8443"} }, ""},
		{"sixteen domains fit", func(p *manifest.Params) { p.ValidDomains = domains(16) }, ""},
		{"a dark accent colour is accepted", func(p *manifest.Params) { p.AccentColor = "#000000" }, ""},

		// Each invalid case changes one field and expects exactly that field to be named.
		{"bot ID is required", func(p *manifest.Params) { p.BotID = "" }, "BotID"},
		{"bot ID must be a GUID", func(p *manifest.Params) { p.BotID = "provbot" }, "BotID"},
		{"bot ID must not have braces", func(p *manifest.Params) { p.BotID = "{" + testBotID + "}" }, "BotID"},
		{"bot ID must not be the all-zero placeholder", func(p *manifest.Params) { p.BotID = "00000000-0000-0000-0000-000000000000" }, "BotID"},
		{"app ID must be a GUID", func(p *manifest.Params) { p.AppID = "com.contoso.provbot" }, "AppID"},
		{"short name over 30 characters is rejected", func(p *manifest.Params) { p.Name = strings.Repeat("n", 31) }, "Name"},
		{"short name must not be blank", func(p *manifest.Params) { p.Name = "   " }, "Name"},
		{"short name must not have surrounding spaces", func(p *manifest.Params) { p.Name = " provbot" }, "Name"},
		{"full name over 100 characters is rejected", func(p *manifest.Params) { p.FullName = strings.Repeat("f", 101) }, "FullName"},
		{"full name must differ from the short name", func(p *manifest.Params) { p.FullName = "PROVBOT" }, "FullName"},
		{"short description over 80 characters is rejected", func(p *manifest.Params) { p.ShortDescription = strings.Repeat("s", 81) }, "ShortDescription"},
		{"full description over 4000 characters is rejected", func(p *manifest.Params) { p.FullDescription = strings.Repeat("d", 4001) }, "FullDescription"},
		{"full description must differ from the short one", func(p *manifest.Params) {
			p.FullDescription = manifest.Params{}.WithDefaults().ShortDescription
		}, "FullDescription"},
		{"version must have three parts", func(p *manifest.Params) { p.Version = "1.0" }, "Version"},
		{"version must not have a v prefix", func(p *manifest.Params) { p.Version = "v1.0.0" }, "Version"},
		{"version must not have leading zeros", func(p *manifest.Params) { p.Version = "1.02.0" }, "Version"},
		{"version must not have a pre-release tag", func(p *manifest.Params) { p.Version = "1.0.0-beta" }, "Version"},
		{"developer name over 32 characters is rejected", func(p *manifest.Params) { p.DeveloperName = strings.Repeat("d", 33) }, "DeveloperName"},
		{"website must be https", func(p *manifest.Params) { p.WebsiteURL = "http://contoso.com" }, "WebsiteURL"},
		{"website must be a full URL", func(p *manifest.Params) { p.WebsiteURL = "contoso.com" }, "WebsiteURL"},
		{"website must have a host", func(p *manifest.Params) { p.WebsiteURL = "https:///path" }, "WebsiteURL"},
		{"website over 2048 characters is rejected", func(p *manifest.Params) {
			p.WebsiteURL = "https://contoso.com/" + strings.Repeat("a", 2029)
		}, "WebsiteURL"},
		{"privacy URL must be https", func(p *manifest.Params) { p.PrivacyURL = "ftp://contoso.com/privacy" }, "PrivacyURL"},
		{"privacy URL must not carry a password", func(p *manifest.Params) { p.PrivacyURL = "https://user:secret@contoso.com/privacy" }, "PrivacyURL"},
		{"terms URL must be https", func(p *manifest.Params) { p.TermsOfUseURL = "https:terms" }, "TermsOfUseURL"},
		{"accent colour must be #RRGGBB", func(p *manifest.Params) { p.AccentColor = "#FFF" }, "AccentColor"},
		{"accent colour must not be a colour name", func(p *manifest.Params) { p.AccentColor = "teal" }, "AccentColor"},
		{"accent colour too light for the white glyph is rejected", func(p *manifest.Params) { p.AccentColor = "#FFD700" }, "AccentColor"},
		{"more than sixteen valid domains are rejected", func(p *manifest.Params) { p.ValidDomains = domains(17) }, "ValidDomains"},
		{"a valid domain must not have a scheme", func(p *manifest.Params) { p.ValidDomains = []string{"https://contoso.com"} }, "ValidDomains[0]"},
		{"a valid domain must not have a path", func(p *manifest.Params) { p.ValidDomains = []string{"contoso.com/cards"} }, "ValidDomains[0]"},
		{"a valid domain must not be empty", func(p *manifest.Params) { p.ValidDomains = []string{""} }, "ValidDomains[0]"},
		{"a wildcard over a top-level domain is rejected", func(p *manifest.Params) { p.ValidDomains = []string{"*.com"} }, "ValidDomains[0]"},
		{"a valid domain must not repeat", func(p *manifest.Params) { p.ValidDomains = []string{"contoso.com", "Contoso.com"} }, "ValidDomains[1]"},
		{"a valid domain port must be a number", func(p *manifest.Params) { p.ValidDomains = []string{"contoso.com:https"} }, "ValidDomains[0]"},
		{"at least one command is needed", func(p *manifest.Params) { p.Commands = []manifest.Command{} }, "Commands"},
		{"more than ten commands are rejected", func(p *manifest.Params) {
			p.Commands = append(tenCommands(), manifest.Command{Title: "extra", Description: "One too many."})
		}, "Commands"},
		{"command title over 32 characters is rejected", func(p *manifest.Params) { p.Commands[1].Title = strings.Repeat("t", 33) }, "Commands[1].Title"},
		{"command title must not be blank", func(p *manifest.Params) { p.Commands[0].Title = "" }, "Commands[0].Title"},
		{"command description over 128 characters is rejected", func(p *manifest.Params) {
			p.Commands[2].Description = strings.Repeat("d", 129)
		}, "Commands[2].Description"},
		{"command description must not be blank", func(p *manifest.Params) { p.Commands[3].Description = "" }, "Commands[3].Description"},
		{"command titles must be unique", func(p *manifest.Params) { p.Commands[4].Title = "Check" }, "Commands[4].Title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := manifest.Params{BotID: testBotID, Commands: manifest.DefaultCommands()}
			tc.mutate(&p)
			err := p.Validate()

			var want []string
			if tc.wantField != "" {
				want = []string{tc.wantField}
			}
			if got := fieldsOf(err); !reflect.DeepEqual(got, want) {
				t.Fatalf("Validate() fields = %q, want %q; error: %v", got, want, err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), tc.wantField+": ") {
				t.Errorf("error %q does not start with the field name %q", err, tc.wantField)
			}
		})
	}
}

func domains(n int) []string {
	d := make([]string, n)
	for i := range d {
		d[i] = fmt.Sprintf("site%d.contoso.com", i)
	}
	return d
}

func TestValidate_ReportsEveryBadField(t *testing.T) {
	err := manifest.Params{BotID: "x", Version: "one", AccentColor: "red"}.Validate()
	if got, want := fieldsOf(err), []string{"BotID", "Version", "AccentColor"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("fields = %q, want %q", got, want)
	}
}

func TestWithDefaults_FillsOnlyEmptyFieldsAndCopiesSlices(t *testing.T) {
	p := manifest.Params{BotID: testBotID, Name: "Mine"}
	d := p.WithDefaults()
	if d.Name != "Mine" {
		t.Errorf("Name = %q, want the given %q", d.Name, "Mine")
	}
	if d.Version != "1.0.0" || d.AppID != testAppID || d.FullName == "" || d.AccentColor == "" {
		t.Errorf("defaults not applied: %+v", d)
	}
	if !reflect.DeepEqual(d.Commands, manifest.DefaultCommands()) {
		t.Errorf("Commands = %v, want DefaultCommands()", d.Commands)
	}
	d.Commands[0].Title = "changed"
	if manifest.DefaultCommands()[0].Title == "changed" {
		t.Errorf("changing the defaults' Commands changed DefaultCommands()")
	}

	own := []manifest.Command{{Title: "help", Description: "Help."}}
	d = manifest.Params{BotID: testBotID, Commands: own}.WithDefaults()
	d.Commands[0].Title = "changed"
	if own[0].Title != "help" {
		t.Errorf("WithDefaults shares the caller's Commands slice")
	}
}
