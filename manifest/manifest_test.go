package manifest_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/provbot/provbot/internal/golden"
	"github.com/provbot/provbot/manifest"
)

const (
	testBotID = "6f1c2a34-8b7d-4e90-a1b2-c3d4e5f60718"
	// testAppID is DeriveAppID(testBotID), cross-checked with Python's
	// uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/provbot/provbot/manifest/app-id/" + testBotID).
	testAppID = "5e072dee-49fc-579c-bc9f-2191f7ef2896"

	goldenFile = "testdata/manifest.golden.json"
)

var guidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// MustBuild builds the package for p and fails the test on error.
func MustBuild(tb testing.TB, p manifest.Params) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := manifest.Build(&buf, p); err != nil {
		tb.Fatalf("Build: %v", err)
	}
	return buf.Bytes()
}

// MustUnzip returns the package's files by name, in archive order.
func MustUnzip(tb testing.TB, pkg []byte) (names []string, files map[string][]byte, zr *zip.Reader) {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		tb.Fatalf("open zip: %v", err)
	}
	files = make(map[string][]byte)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatalf("open %s: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatalf("read %s: %v", f.Name, err)
		}
		names = append(names, f.Name)
		files[f.Name] = data
	}
	return names, files, zr
}

// MustManifest builds the package for p and returns manifest.json decoded.
func MustManifest(tb testing.TB, p manifest.Params) map[string]any {
	tb.Helper()
	_, files, _ := MustUnzip(tb, MustBuild(tb, p))
	var m map[string]any
	if err := json.Unmarshal(files[manifest.ManifestFile], &m); err != nil {
		tb.Fatalf("manifest.json does not parse: %v", err)
	}
	return m
}

// lookup walks m along a path such as "bots.0.botId".
func lookup(tb testing.TB, m any, path string) any {
	tb.Helper()
	cur := m
	for _, key := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[key]
			if !ok {
				tb.Fatalf("manifest has no %q (missing %q)", path, key)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 0 || i >= len(v) {
				tb.Fatalf("manifest has no %q (index %q out of range)", path, key)
			}
			cur = v[i]
		default:
			tb.Fatalf("manifest %q: %q is inside a %T", path, key, cur)
		}
	}
	return cur
}

func lookupString(tb testing.TB, m any, path string) string {
	tb.Helper()
	s, ok := lookup(tb, m, path).(string)
	if !ok {
		tb.Fatalf("manifest %q is not a string", path)
	}
	return s
}

func TestBuild_PackageHoldsExactlyTheManifestAndTwoIconsAtTheRoot(t *testing.T) {
	names, _, _ := MustUnzip(t, MustBuild(t, manifest.Params{BotID: testBotID}))
	want := []string{manifest.ManifestFile, manifest.ColorIconFile, manifest.OutlineIconFile}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("files = %q, want %q", names, want)
	}
}

func TestBuild_ManifestHasEveryRequiredField(t *testing.T) {
	m := MustManifest(t, manifest.Params{BotID: testBotID})

	for path, want := range map[string]string{
		"$schema":         "https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json",
		"manifestVersion": "1.22",
		"version":         "1.0.0",
		"id":              testAppID,
		"icons.color":     "color.png",
		"icons.outline":   "outline.png",
		"bots.0.botId":    testBotID,
	} {
		if got := lookupString(t, m, path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	for _, path := range []string{
		"developer.name", "developer.websiteUrl", "developer.privacyUrl", "developer.termsOfUseUrl",
		"name.short", "name.full", "description.short", "description.full", "accentColor",
	} {
		if got := lookupString(t, m, path); strings.TrimSpace(got) == "" {
			t.Errorf("%s is blank", path)
		}
	}
	for _, path := range []string{"developer.websiteUrl", "developer.privacyUrl", "developer.termsOfUseUrl"} {
		if got := lookupString(t, m, path); !strings.HasPrefix(got, "https://") {
			t.Errorf("%s = %q, want an https URL", path, got)
		}
	}
	if got := lookupString(t, m, "accentColor"); !regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`).MatchString(got) {
		t.Errorf("accentColor = %q, want #RRGGBB", got)
	}
}

func TestBuild_BotIsConversationalInPersonalTeamAndGroupChat(t *testing.T) {
	m := MustManifest(t, manifest.Params{BotID: testBotID})

	bots := lookup(t, m, "bots").([]any)
	if len(bots) != 1 {
		t.Fatalf("bots has %d entries, want 1", len(bots))
	}
	if got, want := lookup(t, m, "bots.0.scopes"), []any{"personal", "team", "groupChat"}; !reflect.DeepEqual(got, want) {
		t.Errorf("bots[0].scopes = %v, want %v", got, want)
	}
	for _, path := range []string{"bots.0.supportsFiles", "bots.0.isNotificationOnly"} {
		if got := lookup(t, m, path); got != false {
			t.Errorf("%s = %v, want false", path, got)
		}
	}
	if _, ok := m["webApplicationInfo"]; ok {
		t.Errorf("manifest has webApplicationInfo; a bot without SSO does not need it")
	}
}

func TestBuild_EachScopeHasItsOwnListOfTheBotsCommands(t *testing.T) {
	m := MustManifest(t, manifest.Params{BotID: testBotID})

	lists := lookup(t, m, "bots.0.commandLists").([]any)
	var scopes []string
	for i, l := range lists {
		list := l.(map[string]any)
		s := list["scopes"].([]any)
		if len(s) != 1 {
			t.Errorf("commandLists[%d].scopes = %v, want one scope per list", i, s)
			continue
		}
		scopes = append(scopes, s[0].(string))

		var titles []string
		for _, c := range list["commands"].([]any) {
			titles = append(titles, c.(map[string]any)["title"].(string))
		}
		if want := []string{"check", "why", "status", "apps", "help"}; !reflect.DeepEqual(titles, want) {
			t.Errorf("commandLists[%d] (%s) titles = %q, want %q", i, s[0], titles, want)
		}
	}
	if want := []string{"personal", "team", "groupChat"}; !reflect.DeepEqual(scopes, want) {
		t.Errorf("command list scopes = %q, want %q", scopes, want)
	}
}

func TestBuild_AsksForNoPermissionsOrDomainsByDefault(t *testing.T) {
	m := MustManifest(t, manifest.Params{BotID: testBotID})
	for _, key := range []string{"permissions", "validDomains"} {
		if got := lookup(t, m, key); !reflect.DeepEqual(got, []any{}) {
			t.Errorf("%s = %v, want []", key, got)
		}
	}

	m = MustManifest(t, manifest.Params{BotID: testBotID, ValidDomains: []string{"cards.example.com"}})
	if got, want := lookup(t, m, "validDomains"), []any{"cards.example.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("validDomains = %v, want %v", got, want)
	}
}

func TestBuild_TextFitsTheTeamsLengthLimits(t *testing.T) {
	// Limits from https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/
	// (root-name, root-description, root-developer, root-bots-command-lists-commands).
	m := MustManifest(t, manifest.Params{BotID: testBotID})
	for path, limit := range map[string]int{
		"name.short":        30,
		"name.full":         100,
		"description.short": 80,
		"description.full":  4000,
		"developer.name":    32,
	} {
		if n := utf8.RuneCountInString(lookupString(t, m, path)); n > limit {
			t.Errorf("%s is %d characters, limit %d", path, n, limit)
		}
	}
	if lookupString(t, m, "name.short") == lookupString(t, m, "name.full") {
		t.Errorf("name.short and name.full are the same")
	}
	if lookupString(t, m, "description.short") == lookupString(t, m, "description.full") {
		t.Errorf("description.short and description.full are the same")
	}
	for _, l := range lookup(t, m, "bots.0.commandLists").([]any) {
		cmds := l.(map[string]any)["commands"].([]any)
		if len(cmds) > 10 {
			t.Errorf("a command list has %d commands, limit 10", len(cmds))
		}
		for _, c := range cmds {
			c := c.(map[string]any)
			title, desc := c["title"].(string), c["description"].(string)
			if n := utf8.RuneCountInString(title); n == 0 || n > 32 {
				t.Errorf("command %q title is %d characters, want 1-32", title, n)
			}
			if n := utf8.RuneCountInString(desc); n == 0 || n > 128 {
				t.Errorf("command %q description is %d characters, want 1-128", title, n)
			}
		}
	}
}

func TestBuild_IDsAreGUIDsAndTheAppIDIsDerivedFromTheBot(t *testing.T) {
	m := MustManifest(t, manifest.Params{BotID: testBotID})
	id := lookupString(t, m, "id")
	if !guidPattern.MatchString(id) {
		t.Errorf("id = %q, want a lower-case GUID", id)
	}
	if id == testBotID {
		t.Errorf("id equals the bot ID; want the derived app ID")
	}
	if got := lookupString(t, m, "bots.0.botId"); got != testBotID {
		t.Errorf("bots[0].botId = %q, want %q", got, testBotID)
	}

	const explicit = "0b7e1a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
	m = MustManifest(t, manifest.Params{BotID: testBotID, AppID: explicit})
	if got := lookupString(t, m, "id"); got != explicit {
		t.Errorf("with AppID set, id = %q, want %q", got, explicit)
	}
}

func TestBuild_UsesTheGivenParams(t *testing.T) {
	p := manifest.Params{
		BotID:            testBotID,
		Name:             "Contoso access help",
		FullName:         "Contoso access help for Microsoft Teams",
		ShortDescription: "Why can't I get into an app?",
		FullDescription:  "Ask why your account is missing from an app.",
		Version:          "2.3.4",
		DeveloperName:    "Contoso IT",
		WebsiteURL:       "https://it.contoso.com",
		PrivacyURL:       "https://it.contoso.com/privacy",
		TermsOfUseURL:    "https://it.contoso.com/terms",
		AccentColor:      "#123456",
		Commands:         []manifest.Command{{Title: "why", Description: "Why can't I get into an app?"}},
	}
	m := MustManifest(t, p)
	for path, want := range map[string]string{
		"name.short":                             p.Name,
		"name.full":                              p.FullName,
		"description.short":                      p.ShortDescription,
		"description.full":                       p.FullDescription,
		"version":                                p.Version,
		"developer.name":                         p.DeveloperName,
		"developer.websiteUrl":                   p.WebsiteURL,
		"developer.privacyUrl":                   p.PrivacyURL,
		"developer.termsOfUseUrl":                p.TermsOfUseURL,
		"accentColor":                            p.AccentColor,
		"bots.0.commandLists.0.commands.0.title": "why",
	} {
		if got := lookupString(t, m, path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}

func TestBuild_SameParamsGiveTheSameBytes(t *testing.T) {
	p := manifest.Params{BotID: testBotID, ValidDomains: []string{"cards.example.com"}}
	first := MustBuild(t, p)
	for range 3 {
		if again := MustBuild(t, p); !bytes.Equal(first, again) {
			t.Fatalf("two builds of the same Params differ (%d and %d bytes)", len(first), len(again))
		}
	}

	_, _, zr := MustUnzip(t, first)
	want := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range zr.File {
		if !f.Modified.Equal(want) {
			t.Errorf("%s modified %v, want the fixed %v", f.Name, f.Modified, want)
		}
	}
}

func TestBuild_InvalidParamsWriteNothingAndNameTheField(t *testing.T) {
	var buf bytes.Buffer
	err := manifest.Build(&buf, manifest.Params{BotID: "not-a-guid"})
	if err == nil {
		t.Fatal("Build succeeded with an invalid BotID")
	}
	var fe *manifest.FieldError
	if !errors.As(err, &fe) || fe.Field != "BotID" {
		t.Errorf("Build error = %v, want a *FieldError for BotID", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Build wrote %d bytes despite the error", buf.Len())
	}
}

func TestBuild_ReportsWriteErrors(t *testing.T) {
	err := manifest.Build(failingWriter{}, manifest.Params{BotID: testBotID})
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("Build error = %v, want it to wrap %v", err, errDiskFull)
	}
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestBuild_ManifestMatchesGolden(t *testing.T) {
	_, files, _ := MustUnzip(t, MustBuild(t, manifest.Params{BotID: testBotID}))
	golden.JSON(t, goldenFile, files[manifest.ManifestFile])
}
