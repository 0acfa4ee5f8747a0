package bot

import "github.com/provbot/provbot/bot/card"

// fitCard drops detail until the card is under the size limit: the body
// elements at the droppable indices in turn (-1 for none), then the length
// of the fallback text and of every text.
func fitCard(c card.AdaptiveCard, droppable ...int) card.AdaptiveCard {
	if c.Size() <= maxCardBytes {
		return c
	}
	full := c.Body
	dropped := map[int]bool{}
	for _, i := range droppable {
		if i < 0 || i >= len(full) {
			continue
		}
		dropped[i] = true
		c.Body = nil
		for j, el := range full {
			if !dropped[j] {
				c.Body = append(c.Body, el)
			}
		}
		c.Body = dropDeadToggles(c.Body)
		if c.Size() <= maxCardBytes {
			return c
		}
	}
	c.FallbackText = clip(c.FallbackText, 2000)
	for limit := 2000; c.Size() > maxCardBytes && limit >= 100; limit /= 2 {
		c.Body = clipTexts(c.Body, limit)
	}
	return c
}

// dropDeadToggles removes the toggle buttons whose elements are gone.
func dropDeadToggles(els []card.Element) []card.Element {
	ids := map[string]bool{}
	for _, el := range els {
		collectIDs(el, ids)
	}
	out := make([]card.Element, 0, len(els))
	for _, el := range els {
		if as, ok := el.(card.ActionSet); ok {
			var kept []card.Action
			for _, a := range as.Actions {
				if t, ok := a.(card.ToggleVisibility); ok && !targetsExist(t, ids) {
					continue
				}
				kept = append(kept, a)
			}
			if len(kept) == 0 {
				continue
			}
			as.Actions = kept
			el = as
		}
		out = append(out, el)
	}
	return out
}

func targetsExist(t card.ToggleVisibility, ids map[string]bool) bool {
	for _, tg := range t.Targets {
		if !ids[tg.ElementID] {
			return false
		}
	}
	return true
}

func collectIDs(el card.Element, ids map[string]bool) {
	switch e := el.(type) {
	case card.Container:
		ids[e.ID] = true
		for _, it := range e.Items {
			collectIDs(it, ids)
		}
	case card.ColumnSet:
		for _, c := range e.Columns {
			for _, it := range c.Items {
				collectIDs(it, ids)
			}
		}
	case card.TextBlock:
		ids[e.ID] = true
	case card.FactSet:
		ids[e.ID] = true
	case card.ChoiceSet:
		ids[e.ID] = true
	case card.TextInput:
		ids[e.ID] = true
	}
}

// clipTexts shortens every text of the elements to limit runes.
func clipTexts(els []card.Element, limit int) []card.Element {
	out := make([]card.Element, 0, len(els))
	for _, el := range els {
		switch e := el.(type) {
		case card.TextBlock:
			e.Text = e.Text.Clip(limit)
			el = e
		case card.FactSet:
			facts := make([]card.Fact, len(e.Facts))
			for i, f := range e.Facts {
				facts[i] = card.Fact{Title: f.Title.Clip(limit), Value: f.Value.Clip(limit)}
			}
			e.Facts = facts
			el = e
		case card.Container:
			e.Items = clipTexts(e.Items, limit)
			el = e
		case card.ColumnSet:
			cols := make([]card.Column, len(e.Columns))
			for i, c := range e.Columns {
				c.Items = clipTexts(c.Items, limit)
				cols[i] = c
			}
			e.Columns = cols
			el = e
		case card.TextInput:
			e.Value = clip(e.Value, limit*4)
			el = e
		}
		out = append(out, el)
	}
	return out
}
