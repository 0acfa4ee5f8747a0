package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// teamsLightHostConfig is the host config Microsoft's card designer uses
// for Teams' light theme, which the renderer tests draw cards with.
var teamsLightHostConfig = filepath.Join("..", "..", "internal", "teamsrender", "hostconfig", "microsoft-teams-light.json")

// cssColor writes a host config colour (#RRGGBB, or #AARRGGBB with the
// alpha first) as CSS: #rrggbb when opaque, else rgba().
func cssColor(hc string) (string, error) {
	h := strings.TrimPrefix(strings.ToLower(hc), "#")
	alpha := 255
	if len(h) == 8 {
		a, err := strconv.ParseUint(h[:2], 16, 8)
		if err != nil {
			return "", err
		}
		alpha, h = int(a), h[2:]
	}
	if len(h) != 6 {
		return "", fmt.Errorf("colour %q", hc)
	}
	if alpha == 255 {
		return "#" + h, nil
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("rgba(%d, %d, %d, %s)", v>>16, v>>8&0xff, v&0xff, strconv.FormatFloat(float64(alpha)/255, 'f', 2, 64)), nil
}

// The demo's card renderer uses Teams' own sizes, weights, colours,
// backgrounds, spacings and limit of buttons, so it never draws a card
// better than Teams does (issue 10 §4).
func TestDemoCardsFollowTeamsHostConfig(t *testing.T) {
	raw, err := os.ReadFile(teamsLightHostConfig)
	if err != nil {
		t.Fatal(err)
	}
	var hc struct {
		Spacing   map[string]int `json:"spacing"`
		Separator struct {
			LineColor string `json:"lineColor"`
		} `json:"separator"`
		FontTypes struct {
			Default struct {
				FontSizes   map[string]int `json:"fontSizes"`
				FontWeights map[string]int `json:"fontWeights"`
			} `json:"default"`
		} `json:"fontTypes"`
		ContainerStyles map[string]struct {
			BackgroundColor  string `json:"backgroundColor"`
			ForegroundColors map[string]struct {
				Default string `json:"default"`
				Subtle  string `json:"subtle"`
			} `json:"foregroundColors"`
		} `json:"containerStyles"`
		Actions struct {
			MaxActions    int `json:"maxActions"`
			ButtonSpacing int `json:"buttonSpacing"`
		} `json:"actions"`
		FactSet struct {
			Spacing int `json:"spacing"`
		} `json:"factSet"`
	}
	if err := json.Unmarshal(raw, &hc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	px := func(n int) string { return strconv.Itoa(n) + "px" }
	for k, v := range hc.FontTypes.Default.FontSizes {
		want["font-"+strings.ToLower(k)] = px(v)
	}
	for k, v := range hc.FontTypes.Default.FontWeights {
		want["weight-"+k] = strconv.Itoa(v)
	}
	for k, v := range hc.Spacing {
		want["spacing-"+strings.ToLower(k)] = px(v)
	}
	color := func(key, hcColor string) {
		c, err := cssColor(hcColor)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		want[key] = c
	}
	for name, fg := range hc.ContainerStyles["default"].ForegroundColors {
		color("color-"+name, fg.Default)
	}
	color("color-default-subtle", hc.ContainerStyles["default"].ForegroundColors["default"].Subtle)
	for name, st := range hc.ContainerStyles {
		color("bg-"+name, st.BackgroundColor)
	}
	color("separator", hc.Separator.LineColor)
	want["button-spacing"] = px(hc.Actions.ButtonSpacing)
	want["factset-spacing"] = px(hc.FactSet.Spacing)

	css, err := os.ReadFile(filepath.Join("web", "style.css"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range regexp.MustCompile(`--ac-([a-z-]+):\s*([^;]+);`).FindAllStringSubmatch(string(css), -1) {
		got[m[1]] = strings.ToLower(strings.TrimSpace(m[2]))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("style.css --ac-%s: %q, Teams' host config says %q", k, got[k], v)
		}
	}
	if len(want) < 30 {
		t.Errorf("only %d values read from the host config", len(want))
	}

	js, err := os.ReadFile(filepath.Join("web", "cards.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`export const MAX_ACTIONS = (\d+);`).FindSubmatch(js)
	if m == nil || string(m[1]) != strconv.Itoa(hc.Actions.MaxActions) {
		t.Errorf("cards.js MAX_ACTIONS %q, Teams' host config says %d", m, hc.Actions.MaxActions)
	}
}
