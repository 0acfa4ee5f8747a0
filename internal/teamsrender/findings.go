package teamsrender

import "fmt"

// Minimum contrast ratios (WCAG 2, level AA) that Problems asks of text.
const (
	MinContrast      = 4.5 // normal text
	MinContrastLarge = 3.0 // large text: 24 px, or 18.66 px and bold (700)
)

// MinContrastFor is the contrast text of that size and weight needs.
func MinContrastFor(fontSize float64, fontWeight int) float64 {
	if fontSize >= 24 || (fontSize >= 18.66 && fontWeight >= 700) {
		return MinContrastLarge
	}
	return MinContrast
}

// The kinds of Finding.
const (
	CutAction   = "cut action title" // a button's title is cut with an ellipsis
	CutText     = "cut text"         // a text is cut (no wrap, or maxLines)
	LowContrast = "low contrast"     // a text is below the contrast it needs
)

// Finding is one thing a reader would miss in Teams.
type Finding struct {
	Kind    string // CutAction, CutText or LowContrast
	Theme   Theme  // the theme, for LowContrast
	Color   string // the colour the card asks for ("good subtle"), for LowContrast
	Subject string // the action title or the text
	Detail  string // what was measured
}

// String says the finding in one sentence.
func (f Finding) String() string {
	switch f.Kind {
	case LowContrast:
		return fmt.Sprintf("%s theme: %s text %q %s", f.Theme, f.Color, f.Subject, f.Detail)
	case CutAction:
		return fmt.Sprintf("action title %q is cut: %s", f.Subject, f.Detail)
	default:
		return fmt.Sprintf("text %q is cut: %s", f.Subject, f.Detail)
	}
}

// Findings lists what a reader would miss in Teams: action titles cut,
// texts cut, and texts below the contrast they need in any theme (each
// text and colour once per theme).
func (r Rendering) Findings() []Finding {
	var fs []Finding
	for _, a := range r.Actions {
		if a.Truncated {
			fs = append(fs, Finding{Kind: CutAction, Subject: a.Title,
				Detail: fmt.Sprintf("at a %.0f px card it needs %.0f px, the button shows %.0f", r.Width, a.TextWidth, a.Shown)})
		}
	}
	for _, t := range r.TruncatedTexts {
		fs = append(fs, Finding{Kind: CutText, Subject: t.Text, Detail: fmt.Sprintf("at a %.0f px card", r.Width)})
	}
	seen := map[Finding]bool{}
	for _, theme := range Themes {
		for _, t := range r.Texts[theme] {
			need := MinContrastFor(t.FontSize, t.FontWeight)
			if t.Contrast >= need {
				continue
			}
			shade := t.Color
			if t.IsSubtle {
				shade += " subtle"
			}
			f := Finding{Kind: LowContrast, Theme: theme, Color: shade, Subject: t.Text,
				Detail: fmt.Sprintf("at %.1f:1 (%s on %s), needs %.1f:1", t.Contrast, t.Foreground, t.Background, need)}
			if !seen[f] {
				seen[f] = true
				fs = append(fs, f)
			}
		}
	}
	return fs
}

// Problems is Findings, one sentence each.
func (r Rendering) Problems() []string {
	var ps []string
	for _, f := range r.Findings() {
		ps = append(ps, f.String())
	}
	return ps
}
