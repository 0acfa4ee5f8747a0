package teamsrender_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/provbot/provbot/internal/teamsrender"
)

// findings returns the findings of kind.
func findings(r teamsrender.Rendering, kind string) []teamsrender.Finding {
	var fs []teamsrender.Finding
	for _, f := range r.Findings() {
		if f.Kind == kind {
			fs = append(fs, f)
		}
	}
	return fs
}

func TestRender(t *testing.T) {
	b := teamsrender.NewBrowser(t)

	t.Run("a good card has no findings", func(t *testing.T) {
		r := b.Render(t, "good", goodCard(t), teamsrender.Width)
		if r.Width != teamsrender.Width || r.Height < 150 || r.Height > 400 {
			t.Errorf("good card drawn %.0f×%.0f px, want 460 wide and 150 to 400 tall", r.Width, r.Height)
		}
		if len(r.Actions) != 3 {
			t.Errorf("%d buttons drawn, want 3: %+v", len(r.Actions), r.Actions)
		}
		for _, p := range r.Problems() {
			t.Error(p)
		}
	})

	t.Run("two 40-character titles are cut at 460 px", func(t *testing.T) {
		long := []string{"Adele Vance, Sales (adele@contoso.com) ›", "Adele Smith · Legal · asmith@contoso.com"}
		for _, title := range long {
			if n := len([]rune(title)); n != 40 {
				t.Fatalf("title %q has %d characters, want 40", title, n)
			}
		}
		r := b.Render(t, "long titles", card(t, []any{text("Which one?"), actionSet(submit(long[0]), submit(long[1]))}), teamsrender.Width)
		var cut []string
		for _, f := range findings(r, teamsrender.CutAction) {
			cut = append(cut, f.Subject)
		}
		if !slices.Equal(cut, long) {
			t.Errorf("cut titles = %q, want both %q", cut, long)
		}
		// The same titles fit when the card is wide enough.
		wide := b.Render(t, "long titles, wide", card(t, []any{actionSet(submit(long[0]), submit(long[1]))}), 900)
		if fs := findings(wide, teamsrender.CutAction); len(fs) > 0 {
			t.Errorf("at 900 px: %v", fs)
		}
	})

	t.Run("a text without wrap is cut", func(t *testing.T) {
		line := "This sentence is much too long to fit on one line of a card that is only 460 pixels wide."
		r := b.Render(t, "no wrap", card(t, []any{text(line, "wrap", false)}), teamsrender.Width)
		if fs := findings(r, teamsrender.CutText); len(fs) != 1 || fs[0].Subject != line {
			t.Errorf("cut texts = %v, want the one line", fs)
		}
	})

	t.Run("warning and good text are too faint in the light theme", func(t *testing.T) {
		r := b.Render(t, "colours", card(t, []any{
			text("Warning text", "color", "warning"),
			text("Good text", "color", "good"),
			text("Attention text", "color", "attention"),
			text("Accent text", "color", "accent"),
			text("Default text"),
		}), teamsrender.Width)
		var faint []string
		for _, f := range findings(r, teamsrender.LowContrast) {
			if f.Theme == teamsrender.Light {
				faint = append(faint, f.Color+": "+f.Subject)
			}
		}
		if want := []string{"warning: Warning text", "good: Good text"}; !slices.Equal(faint, want) {
			t.Errorf("faint in light theme = %q, want %q", faint, want)
		}
		byText := map[string]teamsrender.RenderedText{}
		for _, tx := range r.Texts[teamsrender.Light] {
			byText[tx.Text] = tx
		}
		// Teams' light host config: warning #f8d22a and good #92c353 on white.
		for text, want := range map[string]struct {
			fg       string
			contrast float64
		}{"Warning text": {"#f8d22a", 1.5}, "Good text": {"#92c353", 2.1}, "Default text": {"#252424", 15.5}} {
			got := byText[text]
			if got.Foreground != want.fg || got.Background != "#ffffff" || got.Contrast < want.contrast-0.1 || got.Contrast > want.contrast+0.1 {
				t.Errorf("%s: %s on %s at %.2f:1, want %s on #ffffff at %.1f:1", text, got.Foreground, got.Background, got.Contrast, want.fg, want.contrast)
			}
		}
		if dark := byText["Default text"]; len(r.Texts[teamsrender.Dark]) != 5 || r.Texts[teamsrender.Dark][4].Background != "#2d2c2c" {
			t.Errorf("dark theme texts = %+v (light default: %+v)", r.Texts[teamsrender.Dark], dark)
		}
	})

	t.Run("elements with ids are measured", func(t *testing.T) {
		r := b.Render(t, "ids", card(t, []any{
			text("Verdict", "id", "verdict", "size", "large"),
			map[string]any{"type": "Container", "id": "ticket", "style": "emphasis", "items": []any{text("Error code: X")}},
			map[string]any{"type": "Container", "id": "evidence", "isVisible": false, "items": []any{text("hidden")}},
			text("Last", "id", "last"),
		}), teamsrender.Width)
		verdict, ticket, last := r.Elements["verdict"], r.Elements["ticket"], r.Elements["last"]
		if !(verdict.Top >= 0 && verdict.Bottom <= ticket.Top && ticket.Bottom <= last.Top && last.Bottom <= r.Height) {
			t.Errorf("boxes out of order: verdict %+v, ticket %+v, last %+v, card height %.0f", verdict, ticket, last, r.Height)
		}
		if ticket.Width < 400 || verdict.Height < 18 {
			t.Errorf("ticket %+v, verdict %+v: want the container across the card and a large verdict", ticket, verdict)
		}
		if _, ok := r.Elements["evidence"]; ok {
			t.Error("a hidden container is reported as drawn")
		}
	})

	t.Run("Markdown links are drawn, escaped ones are not", func(t *testing.T) {
		r := b.Render(t, "links", card(t, []any{
			text("Typed: [Reset](https://example.com/reset)"),
			text(`Escaped: \[Reset\]\(https://example.com/reset\)`),
		}), teamsrender.Width)
		if len(r.Links) != 1 || r.Links[0].Href != "https://example.com/reset" || r.Links[0].Text != "Reset" {
			t.Errorf("links = %+v, want only the unescaped one", r.Links)
		}
		if got := r.Texts[teamsrender.Light][1].Text; got != "Escaped: [Reset](https://example.com/reset)" {
			t.Errorf("escaped text drawn as %q", got)
		}
	})

	t.Run("the screenshot is the card, kept in PROVBOT_SCREENSHOT_DIR", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv("PROVBOT_SCREENSHOT_DIR", dir)
		r := b.Render(t, "help desk / Adele", goodCard(t), teamsrender.Width)
		img, err := png.Decode(bytes.NewReader(r.Screenshot))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if got := img.Bounds().Size(); got.X != teamsrender.Width || got.Y < int(r.Height) || got.Y > int(r.Height)+1 {
			t.Errorf("screenshot %v, want %d×%.0f", got, teamsrender.Width, r.Height)
		}
		if want := filepath.Join(dir, "help-desk-Adele.png"); r.ScreenshotPath != want {
			t.Errorf("screenshot written to %q, want %q", r.ScreenshotPath, want)
		}
		if kept, err := os.ReadFile(r.ScreenshotPath); err != nil || !bytes.Equal(kept, r.Screenshot) {
			t.Errorf("kept screenshot differs (%v)", err)
		}
		if len(r.Fonts) == 0 || !strings.Contains(strings.Join(r.Fonts, ","), "Liberation Sans") {
			t.Logf("fonts used: %q (Liberation Sans stands in for Segoe UI when installed)", r.Fonts)
		}
	})
}
