package teamsrender

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Teams' limits, as the published host config and Microsoft Learn state
// them (see shared/reference/teams-rendering.md).
const (
	// MaxVersion is the newest Adaptive Card schema Teams renders.
	MaxVersion = "1.5"
	// MaxBytes is the largest card, as compact JSON, that this package
	// accepts: Teams refuses messages over 28 KB, and the activity around
	// the card counts too, so a card near this is already too big.
	MaxBytes = 28 * 1024
)

// checkTimeout bounds one run of the Node.js checker.
const checkTimeout = 2 * time.Minute

// Report is what Microsoft's library says about a set of cards.
type Report struct {
	Library    string                // version of the adaptivecards package, e.g. "3.0.6"
	MaxActions int                   // the host config's limit of actions per action set
	Cards      map[string]CardReport // by the names given to Check
	Took       time.Duration         // the Node.js run, install excluded
}

// CardReport is what the library says about one card.
type CardReport struct {
	Name    string
	Type    string // the card's "type": "AdaptiveCard" for a card
	Version string // the card's "version", as written
	Size    int    // bytes of the card as compact JSON
	// Err is set when the card is not JSON, not an object, or made the
	// library throw; nothing else is then filled in.
	Err string
	// Events are the library's parse and validation events: unknown
	// element and action types, invalid property values, too many actions,
	// duplicate ids, unsupported versions and the like.
	Events []Event
	// ActionSets are the card's action sets: its own actions, every
	// ActionSet element and the actions of Action.ShowCard cards.
	ActionSets []ActionSet
	// UnknownProperties are properties of typed objects that the library
	// does not read: misspelt, or not in Adaptive Cards.
	UnknownProperties []Property
	// Texts are the TextBlocks and TextRuns, with the colour each asks for.
	Texts []Text
	// IDs are the ids given to elements and actions.
	IDs []string
}

// Event is one parse or validation event of the library.
type Event struct {
	Phase   string `json:"phase"`   // "parse" or "validation"
	Event   string `json:"event"`   // the library's ValidationEvent name, e.g. "UnknownElementType"
	Message string `json:"message"` // the library's message
	Source  string `json:"source"`  // the object it is about: type and #id when it has one
}

// ActionSet is one set of actions as the card declares it.
type ActionSet struct {
	Path      string   `json:"path"`      // where it is, e.g. "$.body[3].actions"
	Titles    []string `json:"titles"`    // the action titles, in order
	Types     []string `json:"types"`     // the action types, in order
	Secondary int      `json:"secondary"` // how many have mode "secondary"
}

// Property is a property the renderer does not read.
type Property struct {
	Path     string `json:"path"`
	Type     string `json:"type"`
	Property string `json:"property"`
}

// Text is a TextBlock or TextRun and the colour it asks for.
type Text struct {
	Path     string `json:"path"`
	Text     string `json:"text"`
	Color    string `json:"color"` // lower case: default, accent, good, warning, attention, light, dark
	IsSubtle bool   `json:"isSubtle"`
}

// Check parses every card with Microsoft's library and the Teams light host
// config, fails t with each of the report's problems, and returns the
// report. Cards are keyed by a name used in messages.
func Check(t testing.TB, cards map[string][]byte) Report {
	t.Helper()
	r := Inspect(t, cards)
	for _, p := range r.Problems() {
		t.Error(p)
	}
	return r
}

// Inspect is Check without failing t on the cards' problems: for tests that
// look at the report themselves. It still fails (or skips) t when the
// checker cannot run.
func Inspect(t testing.TB, cards map[string][]byte) Report {
	t.Helper()
	dir := install(t)
	r, err := inspect(dir, cards)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type checkerInput struct {
	HostConfig    json.RawMessage `json:"hostConfig"`
	TargetVersion string          `json:"targetVersion"`
	Cards         []checkerCard   `json:"cards"`
}

type checkerCard struct {
	Name string `json:"name"`
	JSON string `json:"json"`
}

type checkerOutput struct {
	Library    string `json:"library"`
	MaxActions int    `json:"maxActions"`
	Cards      []struct {
		Name              string      `json:"name"`
		Type              string      `json:"type"`
		Version           string      `json:"version"`
		JSONError         string      `json:"jsonError"`
		ParseError        string      `json:"parseError"`
		Events            []Event     `json:"events"`
		ActionSets        []ActionSet `json:"actionSets"`
		UnknownProperties []Property  `json:"unknownProperties"`
		Texts             []Text      `json:"texts"`
		IDs               []string    `json:"ids"`
	} `json:"cards"`
}

func inspect(dir string, cards map[string][]byte) (Report, error) {
	hc, err := hostConfig(Light)
	if err != nil {
		return Report{}, err
	}
	in := checkerInput{HostConfig: hc, TargetVersion: MaxVersion}
	names := make([]string, 0, len(cards))
	for name := range cards {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		in.Cards = append(in.Cards, checkerCard{Name: name, JSON: string(cards[name])})
	}
	stdin, err := json.Marshal(in)
	if err != nil {
		return Report{}, fmt.Errorf("checker input: %w", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", filepath.Join(dir, "check.cjs"))
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return Report{}, fmt.Errorf("node check.cjs: %w\n%s", err, tail(stderr.Bytes(), 2000))
	}
	took := time.Since(start)
	var out checkerOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return Report{}, fmt.Errorf("node check.cjs printed something else than a report: %w\n%s", err, tail(stdout.Bytes(), 500))
	}
	if len(out.Cards) != len(names) {
		return Report{}, fmt.Errorf("node check.cjs reported %d cards, asked %d", len(out.Cards), len(names))
	}

	r := Report{Library: out.Library, MaxActions: out.MaxActions, Cards: make(map[string]CardReport, len(names)), Took: took}
	for i, c := range out.Cards {
		if c.Name != names[i] {
			return Report{}, fmt.Errorf("node check.cjs reported %q where %q was asked", c.Name, names[i])
		}
		cr := CardReport{Name: c.Name, Type: c.Type, Version: c.Version, Events: c.Events, ActionSets: c.ActionSets,
			UnknownProperties: c.UnknownProperties, Texts: c.Texts, IDs: c.IDs}
		switch {
		case c.JSONError != "":
			cr.Err = "not a card: " + c.JSONError
		case c.ParseError != "":
			cr.Err = "the library failed on it: " + c.ParseError
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, cards[c.Name]); err == nil {
			cr.Size = compact.Len()
		} else {
			cr.Size = len(cards[c.Name])
		}
		r.Cards[c.Name] = cr
	}
	return r, nil
}

// Problems lists, one sentence each and sorted, what would go wrong in Teams
// with any of the cards.
func (r Report) Problems() []string {
	var all []string
	for name, c := range r.Cards {
		for _, p := range c.Problems(r.MaxActions) {
			all = append(all, name+": "+p)
		}
	}
	slices.Sort(all)
	return all
}

// Problems lists what would go wrong in Teams with the card, given the host
// config's limit of actions per set.
func (c CardReport) Problems(maxActions int) []string {
	if c.Err != "" {
		return []string{c.Err}
	}
	var ps []string
	for _, e := range c.Events {
		at := ""
		if e.Source != "" {
			at = " (" + e.Source + ")"
		}
		ps = append(ps, fmt.Sprintf("%s event %s%s: %s", e.Phase, e.Event, at, e.Message))
	}
	if c.Type == "AdaptiveCard" {
		if p := versionProblem(c.Version); p != "" {
			ps = append(ps, p)
		}
	}
	for _, s := range c.ActionSets {
		if maxActions > 0 && len(s.Titles) > maxActions {
			ps = append(ps, fmt.Sprintf("%d actions in %s, Teams shows %d and drops the rest: %s",
				len(s.Titles), s.Path, maxActions, quoteAll(s.Titles[maxActions:])))
		}
	}
	if c.Size > MaxBytes {
		ps = append(ps, fmt.Sprintf("%d bytes as compact JSON, over Teams' 28 KB (%d bytes)", c.Size, MaxBytes))
	}
	for _, p := range c.UnknownProperties {
		ps = append(ps, fmt.Sprintf("%s: %s has no property %q that the renderer reads (misspelt, or not Adaptive Cards %s)",
			p.Path, p.Type, p.Property, MaxVersion))
	}
	return ps
}

// versionProblem says what is wrong with a card's version for Teams, or "".
func versionProblem(v string) string {
	if v == "" {
		return "no version: Teams needs one (at most " + MaxVersion + ")"
	}
	major, minor, ok := parseVersion(v)
	if !ok {
		return fmt.Sprintf("version %q is not major.minor", v)
	}
	maxMajor, maxMinor, _ := parseVersion(MaxVersion)
	if major > maxMajor || (major == maxMajor && minor > maxMinor) {
		return fmt.Sprintf("version %s is newer than Teams renders (%s)", v, MaxVersion)
	}
	return ""
}

func parseVersion(v string) (major, minor int, ok bool) {
	a, b, found := strings.Cut(v, ".")
	if !found {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(a)
	minor, err2 := strconv.Atoi(b)
	return major, minor, err1 == nil && err2 == nil && major >= 0 && minor >= 0
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
