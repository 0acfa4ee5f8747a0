package bot

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// This file checks cards against the Adaptive Card 1.5 schema rules for
// the elements provbot uses: element and action types, required
// properties, allowed properties and enum values, and the version.

type propRule struct {
	required bool
	kind     string   // "string", "bool", "array", "object", "any", "width"
	enum     []string // allowed string values
}

var (
	spacingEnum = []string{"none", "small", "default", "medium", "large", "extraLarge", "padding"}
	styleEnum   = []string{"default", "emphasis", "good", "attention", "warning", "accent"}
	common      = map[string]propRule{
		"type": {required: true, kind: "string"}, "id": {kind: "string"}, "spacing": {kind: "string", enum: spacingEnum},
		"separator": {kind: "bool"}, "isVisible": {kind: "bool"}, "height": {kind: "string", enum: []string{"auto", "stretch"}},
	}
	elementRules = map[string]map[string]propRule{
		"TextBlock": {
			"text": {required: true, kind: "string"}, "wrap": {kind: "bool"}, "isSubtle": {kind: "bool"}, "maxLines": {kind: "any"},
			"size":                {kind: "string", enum: []string{"default", "small", "medium", "large", "extraLarge"}},
			"weight":              {kind: "string", enum: []string{"default", "lighter", "bolder"}},
			"color":               {kind: "string", enum: []string{"default", "dark", "light", "accent", "good", "warning", "attention"}},
			"horizontalAlignment": {kind: "string", enum: []string{"left", "center", "right"}},
			"fontType":            {kind: "string", enum: []string{"default", "monospace"}},
		},
		"ColumnSet": {"columns": {required: true, kind: "array"}, "selectAction": {kind: "object"}, "style": {kind: "string", enum: styleEnum}},
		"Column": {
			"items": {kind: "array"}, "width": {kind: "width"}, "style": {kind: "string", enum: styleEnum},
			"verticalContentAlignment": {kind: "string", enum: []string{"top", "center", "bottom"}}, "selectAction": {kind: "object"},
		},
		"FactSet":   {"facts": {required: true, kind: "array"}},
		"Container": {"items": {required: true, kind: "array"}, "style": {kind: "string", enum: styleEnum}, "selectAction": {kind: "object"}},
		"ActionSet": {"actions": {required: true, kind: "array"}},
	}
	actionRules = map[string]map[string]propRule{
		"Action.Submit":  {"title": {kind: "string"}, "data": {kind: "any"}},
		"Action.Execute": {"title": {kind: "string"}, "verb": {kind: "string"}, "data": {kind: "any"}, "fallback": {kind: "any"}},
		"Action.OpenUrl": {"title": {kind: "string"}, "url": {required: true, kind: "string"}},
	}
	widthRE = regexp.MustCompile(`^(auto|stretch|\d+px|\d+)$`)
)

// validateCard returns every schema problem in a card.
func validateCard(card adaptiveCard) []string {
	raw, err := json.Marshal(card)
	if err != nil {
		return []string{"card does not marshal: " + err.Error()}
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		return []string{err.Error()}
	}
	var probs []string
	add := func(path, f string, a ...any) { probs = append(probs, path+": "+fmt.Sprintf(f, a...)) }
	if c["type"] != "AdaptiveCard" {
		add("$", "type is %v, want AdaptiveCard", c["type"])
	}
	if c["version"] != "1.5" {
		add("$", "version is %v, want 1.5", c["version"])
	}
	for k := range c {
		if !slices.Contains([]string{"$schema", "type", "version", "body", "actions", "fallbackText", "speak", "lang", "minHeight"}, k) {
			add("$", "unknown property %q", k)
		}
	}
	body, ok := c["body"].([]any)
	if !ok {
		add("$", "body is not an array")
	}
	for i, el := range body {
		validateElement(fmt.Sprintf("body[%d]", i), el, add)
	}
	if acts, ok := c["actions"].([]any); ok {
		for i, a := range acts {
			validateAction(fmt.Sprintf("actions[%d]", i), a, false, add)
		}
	}
	if len(raw) > 100*1024 {
		add("$", "card is %d bytes, over Teams' 100 KB limit", len(raw))
	}
	return probs
}

func checkProps(path string, m map[string]any, rules map[string]propRule, withCommon bool, add func(string, string, ...any)) {
	all := map[string]propRule{}
	if withCommon {
		for k, v := range common {
			all[k] = v
		}
	} else {
		all["type"] = propRule{required: true, kind: "string"}
		all["id"] = propRule{kind: "string"}
		all["style"] = propRule{kind: "string", enum: []string{"default", "positive", "destructive"}}
		all["iconUrl"] = propRule{kind: "string"}
		all["tooltip"] = propRule{kind: "string"}
	}
	for k, v := range rules {
		all[k] = v
	}
	for k, r := range all {
		v, ok := m[k]
		if !ok {
			if r.required {
				add(path, "missing required %q", k)
			}
			continue
		}
		switch r.kind {
		case "string":
			s, ok := v.(string)
			if !ok {
				add(path, "%q is not a string", k)
			} else if len(r.enum) > 0 && !slices.Contains(r.enum, s) {
				add(path, "%q is %q, not one of %v", k, s, r.enum)
			}
		case "bool":
			if _, ok := v.(bool); !ok {
				add(path, "%q is not a boolean", k)
			}
		case "array":
			if _, ok := v.([]any); !ok {
				add(path, "%q is not an array", k)
			}
		case "object":
			if _, ok := v.(map[string]any); !ok {
				add(path, "%q is not an object", k)
			}
		case "width":
			if !widthRE.MatchString(fmt.Sprint(v)) {
				add(path, "width %v is not auto, stretch, a weight or pixels", v)
			}
		}
	}
	for k := range m {
		if _, ok := all[k]; !ok {
			add(path, "unknown property %q", k)
		}
	}
}

func validateElement(path string, el any, add func(string, string, ...any)) {
	m, ok := el.(map[string]any)
	if !ok {
		add(path, "element is not an object")
		return
	}
	typ, _ := m["type"].(string)
	rules, ok := elementRules[typ]
	if !ok {
		add(path, "unsupported element type %q", typ)
		return
	}
	checkProps(path, m, rules, true, add)
	switch typ {
	case "ColumnSet":
		cols, _ := m["columns"].([]any)
		for i, col := range cols {
			cp := fmt.Sprintf("%s.columns[%d]", path, i)
			cm, ok := col.(map[string]any)
			if !ok || cm["type"] != "Column" {
				add(cp, "not a Column")
				continue
			}
			validateElement(cp, col, add)
		}
		if sa, ok := m["selectAction"]; ok {
			validateAction(path+".selectAction", sa, true, add)
		}
	case "Column", "Container":
		items, _ := m["items"].([]any)
		for i, it := range items {
			validateElement(fmt.Sprintf("%s.items[%d]", path, i), it, add)
		}
	case "FactSet":
		facts, _ := m["facts"].([]any)
		if len(facts) == 0 {
			add(path, "FactSet has no facts")
		}
		for i, f := range facts {
			fm, ok := f.(map[string]any)
			if !ok {
				add(path, "fact %d is not an object", i)
				continue
			}
			for _, k := range []string{"title", "value"} {
				if _, ok := fm[k].(string); !ok {
					add(fmt.Sprintf("%s.facts[%d]", path, i), "missing string %q", k)
				}
			}
			if len(fm) != 2 {
				add(fmt.Sprintf("%s.facts[%d]", path, i), "unexpected properties %v", fm)
			}
		}
	case "ActionSet":
		acts, _ := m["actions"].([]any)
		for i, a := range acts {
			validateAction(fmt.Sprintf("%s.actions[%d]", path, i), a, false, add)
		}
	case "TextBlock":
		if strings.TrimSpace(fmt.Sprint(m["text"])) == "" {
			add(path, "empty TextBlock")
		}
	}
}

func validateAction(path string, a any, selectAction bool, add func(string, string, ...any)) {
	m, ok := a.(map[string]any)
	if !ok {
		add(path, "action is not an object")
		return
	}
	typ, _ := m["type"].(string)
	rules, ok := actionRules[typ]
	if !ok {
		add(path, "unsupported action type %q", typ)
		return
	}
	checkProps(path, m, rules, false, add)
	if !selectAction {
		if t, _ := m["title"].(string); t == "" {
			add(path, "action has no title")
		}
	}
	if typ == "Action.Execute" {
		fb, ok := m["fallback"]
		if !ok {
			add(path, "Action.Execute without an Action.Submit fallback")
		} else if s, isStr := fb.(string); !(isStr && s == "drop") {
			fm, _ := fb.(map[string]any)
			if fm["type"] != "Action.Submit" {
				add(path, "fallback is not an Action.Submit")
			}
			validateAction(path+".fallback", fb, selectAction, add)
		}
	}
}
