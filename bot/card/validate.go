package card

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Limits Teams imposes on a card.
const (
	// MaxActions is the most actions Teams shows in one action set or at
	// the card's foot; it drops the rest silently.
	MaxActions = 6
	// MaxBytes bounds a card's JSON: Teams refuses a message over about
	// 28 KB, and the limit counts the whole activity.
	MaxBytes = 28 * 1024
	// MaxPrimaryActions and MaxPrimaryTitleRunes bound the buttons of one
	// row: Teams draws a set's primary actions side by side and cuts each
	// title with an ellipsis when the row is too narrow. At a 460 px card,
	// Microsoft's renderer with Teams' host config fits three buttons
	// whose titles add up to about 40 characters next to the overflow
	// button; the rest go in the overflow menu (mode secondary).
	MaxPrimaryActions    = 3
	MaxPrimaryTitleRunes = 34
)

// Validate checks what the types cannot: the limits Teams imposes (at most
// [MaxActions] per action set and at the card's foot, at most [MaxBytes]
// of JSON), buttons that fit one row uncut (at most [MaxPrimaryActions]
// primary actions per set, with titles of at most [MaxPrimaryTitleRunes]
// together), text readable in Teams' themes (no good or warning text
// colour), required content (text of a TextBlock, facts of a FactSet,
// items of a Container, columns of a ColumnSet, choices and an id for a
// ChoiceSet, titles of buttons, the verb of an Execute, an absolute http(s)
// URL for an OpenURL, an id for an input), ids unique in the card, and every ToggleVisibility
// target naming an element of the card. Element and action types, property
// names, enumerated values and the version are fixed by the types. It
// returns every problem found, each naming where it is, joined with
// errors.Join.
func (c AdaptiveCard) Validate() error {
	v := validator{ids: map[string]int{}}
	if len(c.Body) == 0 && len(c.Actions) == 0 {
		v.add("$", "the card has neither body nor actions")
	}
	for i, el := range c.Body {
		v.element(fmt.Sprintf("body[%d]", i), el)
	}
	v.actions("actions", c.Actions)
	for id, n := range v.ids {
		if n > 1 {
			v.add("$", "id %q is used by %d elements", id, n)
		}
	}
	for _, t := range v.targets {
		if v.ids[t.id] == 0 {
			v.add(t.path, "toggles %q, which no element of the card has as id", t.id)
		}
	}
	raw, err := json.Marshal(c)
	switch {
	case err != nil:
		v.add("$", "does not encode: %v", err)
	case len(raw) > MaxBytes:
		v.add("$", "the card is %d bytes, over Teams' %d", len(raw), MaxBytes)
	}
	return errors.Join(v.errs...)
}

// validator collects problems while walking a card.
type validator struct {
	errs    []error
	ids     map[string]int
	targets []target
}

// target is a ToggleVisibility target and where it was named.
type target struct{ path, id string }

func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

func (v *validator) id(id string) {
	if id != "" {
		v.ids[id]++
	}
}

func (v *validator) element(path string, el Element) {
	switch el.(type) {
	case TextBlock, FactSet, Container, ColumnSet, ActionSet, ChoiceSet, TextInput:
		v.id(el.common().ID)
	}
	switch e := el.(type) {
	case TextBlock:
		if strings.TrimSpace(e.Text.s) == "" {
			v.add(path, "TextBlock has no text")
		}
		if e.Color == ColorGood || e.Color == ColorWarning {
			v.add(path, "TextBlock colour %q is unreadable on Teams' light theme (about 2:1 on white): use a Container style or the default colour with a word or symbol", e.Color.v)
		}
	case TextInput:
		if e.ID == "" {
			v.add(path, "Input.Text has no id")
		}
	case FactSet:
		if len(e.Facts) == 0 {
			v.add(path, "FactSet has no facts")
		}
		for i, f := range e.Facts {
			if strings.TrimSpace(f.Title.s) == "" && strings.TrimSpace(f.Value.s) == "" {
				v.add(fmt.Sprintf("%s.facts[%d]", path, i), "fact has neither title nor value")
			}
		}
	case Container:
		if len(e.Items) == 0 {
			v.add(path, "Container has no items")
		}
		for i, it := range e.Items {
			v.element(fmt.Sprintf("%s.items[%d]", path, i), it)
		}
		v.selectAction(path+".selectAction", e.SelectAction)
	case ColumnSet:
		if len(e.Columns) == 0 {
			v.add(path, "ColumnSet has no columns")
		}
		for i, col := range e.Columns {
			cp := fmt.Sprintf("%s.columns[%d]", path, i)
			v.id(col.ID)
			for j, it := range col.Items {
				v.element(fmt.Sprintf("%s.items[%d]", cp, j), it)
			}
			v.selectAction(cp+".selectAction", col.SelectAction)
		}
		v.selectAction(path+".selectAction", e.SelectAction)
	case ActionSet:
		if len(e.Actions) == 0 {
			v.add(path, "ActionSet has no actions")
		}
		v.actions(path+".actions", e.Actions)
	case ChoiceSet:
		if e.ID == "" {
			v.add(path, "Input.ChoiceSet has no id (its value is sent under it)")
		}
		if len(e.Choices) == 0 {
			v.add(path, "Input.ChoiceSet has no choices")
		}
		values := map[string]bool{}
		for i, ch := range e.Choices {
			cp := fmt.Sprintf("%s.choices[%d]", path, i)
			if strings.TrimSpace(ch.Title) == "" {
				v.add(cp, "choice has no title")
			}
			if values[ch.Value] {
				v.add(cp, "choice value %q is not unique", ch.Value)
			}
			values[ch.Value] = true
		}
	case nil:
		v.add(path, "nil element")
	default:
		v.add(path, "unsupported element %T (elements are values, not pointers)", el)
	}
}

// actions checks a row of buttons: at most MaxActions, each with a title,
// and primary ones that fit one row uncut.
func (v *validator) actions(path string, as []Action) {
	if len(as) > MaxActions {
		v.add(path, "%d actions; Teams shows %d and drops the rest", len(as), MaxActions)
	}
	primary, runes := 0, 0
	for i, a := range as {
		ap := fmt.Sprintf("%s[%d]", path, i)
		switch a.(type) {
		case Submit, Execute, OpenURL, ToggleVisibility:
			c := a.action()
			if strings.TrimSpace(c.title) == "" {
				v.add(ap, "%s has no title", c.kind)
			}
			if c.mode != ModeSecondary {
				primary++
				runes += utf8.RuneCountInString(boundTitle(c.title))
			}
		}
		v.action(ap, a)
	}
	if primary > MaxPrimaryActions {
		v.add(path, "%d primary actions; at most %d fit one row at 460 px: make the rest secondary", primary, MaxPrimaryActions)
	}
	if runes > MaxPrimaryTitleRunes {
		v.add(path, "primary action titles of %d characters together; at most %d fit one row at 460 px uncut: shorten them or make some secondary", runes, MaxPrimaryTitleRunes)
	}
}

// selectAction checks the action of a clickable element, which needs no
// title; nil is fine.
func (v *validator) selectAction(path string, a Action) {
	if a != nil {
		v.action(path, a)
	}
}

func (v *validator) action(path string, a Action) {
	switch a := a.(type) {
	case nil:
		v.add(path, "nil action")
	case Submit:
	case Execute:
		if strings.TrimSpace(a.Verb) == "" {
			v.add(path, "Action.Execute has no verb")
		}
	case OpenURL:
		u, err := url.Parse(a.URL)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			v.add(path, "Action.OpenUrl URL %q is not an absolute http(s) URL", a.URL)
		}
	case ToggleVisibility:
		v.targetsOf(path, a)
	default:
		v.add(path, "unsupported action %T (actions are values, not pointers)", a)
	}
}

func (v *validator) targetsOf(path string, t ToggleVisibility) {
	if len(t.Targets) == 0 {
		v.add(path, "Action.ToggleVisibility has no target elements")
	}
	for _, tg := range t.Targets {
		v.targets = append(v.targets, target{path, tg.ElementID})
	}
}
