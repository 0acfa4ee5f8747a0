package card

import "strconv"

// enum is the value of a closed set of schema strings. Each set is its own
// struct type, so only the package's values exist: the compiler rejects a
// colour that Adaptive Cards does not know. The zero value is the schema's
// default and is left out of the JSON.
type enum struct{ v string }

// MarshalText writes the schema string.
func (e enum) MarshalText() ([]byte, error) { return []byte(e.v), nil }

// String returns the schema string ("" for the default).
func (e enum) String() string { return e.v }

// Size is a TextBlock's text size. In Teams medium is as large as default
// (14 px); weight is what makes a medium headline stand out.
type Size struct{ enum }

// Text sizes.
var (
	SizeSmall      = Size{enum{"small"}}
	SizeMedium     = Size{enum{"medium"}}
	SizeLarge      = Size{enum{"large"}}
	SizeExtraLarge = Size{enum{"extraLarge"}}
)

// Weight is a TextBlock's font weight.
type Weight struct{ enum }

// Font weights.
var (
	WeightLighter = Weight{enum{"lighter"}}
	WeightBolder  = Weight{enum{"bolder"}}
)

// Color is a TextBlock's colour. On Teams' light theme good (2.1:1 on
// white) and warning (1.5:1) are not readable, and attention is 3.2:1 on
// the dark theme: [AdaptiveCard.Validate] refuses good and warning text, and
// a colour never carries meaning alone (pair it with a word or symbol; a
// Container's Style colours a background readably instead).
type Color struct{ enum }

// Text colours.
var (
	ColorDark      = Color{enum{"dark"}}
	ColorLight     = Color{enum{"light"}}
	ColorAccent    = Color{enum{"accent"}}
	ColorGood      = Color{enum{"good"}}
	ColorWarning   = Color{enum{"warning"}}
	ColorAttention = Color{enum{"attention"}}
)

// Spacing is the space above an element.
type Spacing struct{ enum }

// Spacings.
var (
	SpacingNone       = Spacing{enum{"none"}}
	SpacingSmall      = Spacing{enum{"small"}}
	SpacingMedium     = Spacing{enum{"medium"}}
	SpacingLarge      = Spacing{enum{"large"}}
	SpacingExtraLarge = Spacing{enum{"extraLarge"}}
	SpacingPadding    = Spacing{enum{"padding"}}
)

// Style is a Container's or ColumnSet's background style.
type Style struct{ enum }

// Container styles.
var (
	StyleEmphasis  = Style{enum{"emphasis"}}
	StyleGood      = Style{enum{"good"}}
	StyleAttention = Style{enum{"attention"}}
	StyleWarning   = Style{enum{"warning"}}
	StyleAccent    = Style{enum{"accent"}}
)

// Width is a Column's width.
type Width struct{ enum }

// Column widths.
var (
	WidthAuto    = Width{enum{"auto"}}
	WidthStretch = Width{enum{"stretch"}}
)

// WidthPixels is a fixed column width, at least 1 px.
func WidthPixels(n int) Width { return Width{enum{strconv.Itoa(max(n, 1)) + "px"}} }

// VerticalAlignment places a Column's content.
type VerticalAlignment struct{ enum }

// Vertical alignments.
var (
	AlignTop    = VerticalAlignment{enum{"top"}}
	AlignCenter = VerticalAlignment{enum{"center"}}
	AlignBottom = VerticalAlignment{enum{"bottom"}}
)

// Mode says where an action shows: as a button (the default) or, when
// secondary, in the overflow menu.
type Mode struct{ enum }

// Action modes.
var (
	ModePrimary   = Mode{enum{"primary"}}
	ModeSecondary = Mode{enum{"secondary"}}
)

// AssociatedInputs says which inputs an Action.Submit or Action.Execute
// sends with its data: those of the card (auto, the default) or none.
type AssociatedInputs struct{ enum }

// Associated inputs.
var (
	InputsAuto = AssociatedInputs{enum{"auto"}}
	InputsNone = AssociatedInputs{enum{"none"}}
)

// ChoiceStyle is how an Input.ChoiceSet shows its choices: a drop-down
// (compact, the default) or radio buttons (expanded).
type ChoiceStyle struct{ enum }

// Choice set styles.
var (
	ChoiceCompact  = ChoiceStyle{enum{"compact"}}
	ChoiceExpanded = ChoiceStyle{enum{"expanded"}}
)

// TeamsWidth is the card's width in Teams (the msteams property).
type TeamsWidth struct{ enum }

// TeamsWidthFull uses the whole message width instead of Teams' narrow
// default.
var TeamsWidthFull = TeamsWidth{enum{"Full"}}
