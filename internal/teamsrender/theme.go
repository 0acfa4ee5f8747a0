package teamsrender

// Theme is a Teams colour theme a card is drawn in.
type Theme string

// The themes: Teams' light and dark host configs as Microsoft publishes
// them, and our high-contrast approximation (see hostconfig/README.md).
const (
	Light        Theme = "light"
	Dark         Theme = "dark"
	HighContrast Theme = "high-contrast"
)

// Themes lists every theme, the default first.
var Themes = []Theme{Light, Dark, HighContrast}

var hostConfigFiles = map[Theme]string{
	Light:        "microsoft-teams-light.json",
	Dark:         "microsoft-teams-dark.json",
	HighContrast: "high-contrast.json",
}
