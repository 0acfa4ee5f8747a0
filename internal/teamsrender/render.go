package teamsrender

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/provbot/provbot/internal/browsertest"
)

// Width is the card width the checks use by default: a card in a Teams chat
// at the width of a laptop's message pane.
const Width = 460

// FirstScreen is how much of a card's height a reader sees without
// scrolling: Teams' message pane on a 1080p laptop screen, less the header
// and the compose box, shows about 600 px of a card. What the reader must
// see first (a help-desk card's verdict, action and ticket block) ends
// above it.
const FirstScreen = 600

// renderTimeout bounds the drawing and measuring of one card in one theme.
const renderTimeout = 30 * time.Second

// Rendering is a card as Microsoft's renderer draws it in Chromium with
// Teams' host config, measured in CSS pixels from the card's top left.
// Layout fields are of the light theme; they do not change with the theme.
type Rendering struct {
	Name   string
	Width  float64 // the card's width, as asked
	Height float64 // the card's height
	// Elements are the boxes of the visible elements that have an id.
	Elements map[string]Box
	// Actions are the visible buttons, in document order (the overflow
	// button "..." of secondary actions is one of them).
	Actions []RenderedAction
	// Texts are every visible text (TextBlocks, TextRuns and the facts of
	// FactSets) with its colours and contrast, by theme.
	Texts map[Theme][]RenderedText
	// TruncatedTexts are texts cut by the renderer (no wrap, or maxLines).
	TruncatedTexts []RenderedText
	// Links are the hyperlinks drawn inside texts (Markdown links).
	Links []Link
	// Fonts are the fonts Chromium drew the first text and the first
	// button with: Segoe UI in Teams; here a metric stand-in (see teams.css).
	Fonts []string
	// Screenshot is the light-theme card as PNG.
	Screenshot []byte
	// ScreenshotPath is where Screenshot was written, when
	// $PROVBOT_SCREENSHOT_DIR is set.
	ScreenshotPath string
}

// Box is where an element is drawn, relative to the card's top left.
type Box struct {
	Top    float64 `json:"top"`
	Bottom float64 `json:"bottom"`
	Left   float64 `json:"left"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// RenderedAction is a drawn button.
type RenderedAction struct {
	Title     string  `json:"title"`     // the title as the card gives it
	Box       Box     `json:"box"`       // the button
	Truncated bool    `json:"truncated"` // the title is cut with an ellipsis
	TextWidth float64 `json:"textWidth"` // width the whole title needs
	Shown     float64 `json:"shownWidth"`
}

// RenderedText is a drawn text and its colours.
type RenderedText struct {
	Text       string  `json:"text"`
	Color      string  `json:"color"`      // the colour the card asks for: default, accent, good, warning, attention, light, dark
	IsSubtle   bool    `json:"isSubtle"`   // the card asks for the subtle shade
	Foreground string  `json:"foreground"` // the drawn colour (#rrggbb), alpha composed over the background
	Background string  `json:"background"` // the opaque colour behind it (#rrggbb)
	Contrast   float64 `json:"contrast"`   // WCAG 2 contrast ratio of the two
	FontSize   float64 `json:"fontSize"`   // px
	FontWeight int     `json:"fontWeight"`
	Box        Box     `json:"box"`
}

// Link is a hyperlink drawn inside a text.
type Link struct {
	Text string `json:"text"`
	Href string `json:"href"`
}

// Browser draws cards in one headless Chromium, one card at a time.
type Browser struct {
	ctx         context.Context
	hostConfigs map[Theme]string
	mu          sync.Mutex
}

// NewBrowser installs the renderer (see [Check]), starts Chromium and opens
// the render page from a loopback server. Both stop when t ends. Without
// node, npm or Chromium, t is skipped, or fails when $CI is set.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	dir := install(t)
	ctx := browsertest.Start(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)

	b := &Browser{ctx: ctx, hostConfigs: map[Theme]string{}}
	for _, theme := range Themes {
		hc, err := hostConfig(theme)
		if err != nil {
			t.Fatal(err)
		}
		b.hostConfigs[theme] = string(hc)
	}

	errs := watchPageErrors(ctx)
	loadCtx, cancel := context.WithTimeout(ctx, renderTimeout)
	defer cancel()
	if err := chromedp.Do(loadCtx, chromedp.Navigate(srv.URL+"/page.html")); err != nil {
		t.Fatalf("open the render page: %v", err)
	}
	ready, err := chromedp.Run(loadCtx, chromedp.Evaluate[bool](
		`!!(window.teamsrender && window.AdaptiveCards && window.markdownit)`))
	if err != nil || !ready {
		t.Fatalf("the render page did not load the renderer (%v); page errors: %q", err, errs())
	}
	return b
}

// Render draws one card in a fresh browser; see [Browser.Render]. Use
// NewBrowser when drawing several cards.
func Render(t testing.TB, name string, card []byte, width int) Rendering {
	t.Helper()
	return NewBrowser(t).Render(t, name, card, width)
}

// pageResult is what the render page's teamsrender.render returns.
type pageResult struct {
	Error          string           `json:"error"`
	Width          float64          `json:"width"`
	Height         float64          `json:"height"`
	Elements       map[string]Box   `json:"elements"`
	Actions        []RenderedAction `json:"actions"`
	Texts          []RenderedText   `json:"texts"`
	TruncatedTexts []RenderedText   `json:"truncatedTexts"`
	Links          []Link           `json:"links"`
}

// Render draws card at width CSS pixels in each theme and measures it; the
// screenshot is of the light theme. It fails t when the card cannot be
// drawn at all (the library throws, or the JSON is broken); what is wrong
// for Teams is in the Rendering's Problems.
func (b *Browser) Render(t testing.TB, name string, card []byte, width int) Rendering {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	r := Rendering{Name: name, Texts: map[Theme][]RenderedText{}}
	for _, theme := range Themes {
		res, err := b.draw(card, theme, width)
		if err != nil {
			t.Fatalf("render %s (%s theme): %v", name, theme, err)
		}
		r.Texts[theme] = res.Texts
		if theme != Light {
			continue
		}
		r.Width, r.Height = res.Width, res.Height
		r.Elements, r.Actions, r.TruncatedTexts, r.Links = res.Elements, res.Actions, res.TruncatedTexts, res.Links
		if r.Screenshot, err = b.screenshot(); err != nil {
			t.Fatalf("render %s: screenshot: %v", name, err)
		}
		if r.Fonts, err = b.fonts(); err != nil {
			t.Fatalf("render %s: fonts: %v", name, err)
		}
		if dir := os.Getenv("PROVBOT_SCREENSHOT_DIR"); dir != "" {
			if r.ScreenshotPath, err = writeScreenshot(dir, name, r.Screenshot); err != nil {
				t.Fatalf("render %s: %v", name, err)
			}
		}
	}
	return r
}

func (b *Browser) draw(card []byte, theme Theme, width int) (pageResult, error) {
	ctx, cancel := context.WithTimeout(b.ctx, renderTimeout)
	defer cancel()
	expr := fmt.Sprintf("JSON.stringify(teamsrender.render(%s, %s, %s, %d))",
		jsString(string(card)), jsString(b.hostConfigs[theme]), jsString(string(theme)), width)
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		return pageResult{}, err
	}
	var res pageResult
	if err := json.Unmarshal([]byte(s), &res); err != nil {
		return pageResult{}, fmt.Errorf("decode the page's measurements: %w", err)
	}
	if res.Error != "" {
		return pageResult{}, fmt.Errorf("the renderer: %s", res.Error)
	}
	return res, nil
}

// screenshot captures the card host as PNG, beyond the viewport when the
// card is taller. (It clips by the host's box itself rather than through
// chromedp's node queries, which the DOM calls of fonts would disturb.)
func (b *Browser) screenshot() ([]byte, error) {
	ctx, cancel := context.WithTimeout(b.ctx, renderTimeout)
	defer cancel()
	clip, err := chromedp.Run(ctx, chromedp.Evaluate[page.Viewport](`(() => {
		const r = document.getElementById("host").getBoundingClientRect();
		return { x: Math.floor(r.left + scrollX), y: Math.floor(r.top + scrollY), width: Math.ceil(r.width), height: Math.ceil(r.height), scale: 1 };
	})()`))
	if err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		beyond, fromSurface := true, true
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng, Clip: &clip, CaptureBeyondViewport: &beyond, FromSurface: &fromSurface,
		})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	})
}

// fonts asks Chromium which platform fonts drew the first text and the
// first button of the card on the page.
func (b *Browser) fonts() ([]string, error) {
	ctx, cancel := context.WithTimeout(b.ctx, renderTimeout)
	defer cancel()
	return chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) ([]string, error) {
		if _, err := cdp.Call(ctx, t, dom.Enable, dom.EnableParams{}); err != nil {
			return nil, err
		}
		if _, err := cdp.Call(ctx, t, css.Enable, cdp.Empty{}); err != nil {
			return nil, err
		}
		doc, err := cdp.Call(ctx, t, dom.GetDocument, dom.GetDocumentParams{})
		if err != nil {
			return nil, err
		}
		var names []string
		for _, sel := range []string{"#host .ac-textBlock", "#host .ac-pushButton div"} {
			n, err := cdp.Call(ctx, t, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: sel})
			if err != nil || n.NodeID == 0 {
				continue
			}
			used, err := cdp.Call(ctx, t, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: n.NodeID})
			if err != nil {
				return nil, err
			}
			for _, f := range used.Fonts {
				if !slices.Contains(names, f.FamilyName) {
					names = append(names, f.FamilyName)
				}
			}
		}
		return names, nil
	})
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// writeScreenshot writes png as dir/name.png (name made safe for a file).
func writeScreenshot(dir, name string, png []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("screenshot directory: %w", err)
	}
	file := strings.Trim(unsafeFileChars.ReplaceAllString(name, "-"), "-")
	if file == "" {
		file = "card"
	}
	p := filepath.Join(dir, file+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		return "", fmt.Errorf("write screenshot: %w", err)
	}
	return p, nil
}

// watchPageErrors collects the page's console errors and uncaught
// exceptions from now on; the returned func lists them so far.
func watchPageErrors(ctx context.Context) func() []string {
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && !m.IsException() {
				continue
			}
			mu.Lock()
			problems = append(problems, fmt.Sprint(m))
			mu.Unlock()
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(problems)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
