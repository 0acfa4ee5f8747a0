// Package cardtest checks what Teams would make of a card's text, for tests:
// it finds the fields Teams renders as Markdown and renders them the way
// CommonMark renderers do (markdown-it in Microsoft's adaptivecards
// package among them), so a test can assert that no text we did not write
// became a link, emphasis, a list or a heading.
package cardtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// commonMark renders with the GitHub strike-through and tables that some
// hosts add to CommonMark.
var commonMark = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Table))

var (
	tagRE   = regexp.MustCompile(`<(/?)([a-z0-9]+)[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// Rendered is one Markdown text as a CommonMark renderer draws it.
type Rendered struct {
	// HTML is the renderer's output.
	HTML string
	// Formatting lists the HTML elements other than paragraphs and line
	// breaks: what Markdown made of the text ("a", "strong", "li"…).
	Formatting []string
	// Shown is the text a reader sees: tags removed, entities decoded,
	// blanks collapsed.
	Shown string
}

// Render renders Markdown source.
func Render(markdown string) Rendered {
	var out bytes.Buffer
	if err := commonMark.Convert([]byte(markdown), &out); err != nil {
		return Rendered{HTML: err.Error(), Formatting: []string{"render error"}}
	}
	r := Rendered{HTML: out.String()}
	for _, m := range tagRE.FindAllStringSubmatch(r.HTML, -1) {
		if m[1] == "" && m[2] != "p" && m[2] != "br" {
			r.Formatting = append(r.Formatting, m[2])
		}
	}
	r.Shown = Collapse(html.UnescapeString(tagRE.ReplaceAllString(r.HTML, " ")))
	return r
}

// Collapse trims s and turns each run of white space into one space.
func Collapse(s string) string { return strings.TrimSpace(spaceRE.ReplaceAllString(s, " ")) }

// MarkdownFields returns the texts Teams renders as Markdown in a card
// (TextBlock.text, Fact.title, Fact.value), keyed by their JSON path. card
// is anything that marshals to an Adaptive Card.
func MarkdownFields(card any) (map[string]string, error) {
	raw, err := json.Marshal(card)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	walk("$", v, fields)
	return fields, nil
}

func walk(path string, v any, fields map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		switch v["type"] {
		case "TextBlock":
			if s, ok := v["text"].(string); ok {
				fields[path+".text"] = s
			}
		case "FactSet":
			facts, _ := v["facts"].([]any)
			for i, f := range facts {
				fm, _ := f.(map[string]any)
				for _, k := range []string{"title", "value"} {
					if s, ok := fm[k].(string); ok {
						fields[fmt.Sprintf("%s.facts[%d].%s", path, i, k)] = s
					}
				}
			}
		}
		for k, child := range v {
			walk(path+"."+k, child, fields)
		}
	case []any:
		for i, child := range v {
			walk(fmt.Sprintf("%s[%d]", path, i), child, fields)
		}
	}
}
