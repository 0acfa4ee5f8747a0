// Package card writes the Adaptive Cards (version 1.5, the newest Teams
// renders for bot messages) that provbot sends, as Go values: the elements
// and actions provbot uses, each marshalling to the schema's JSON.
//
// Types do most of the checking. Element and action types, property names
// and enumerated values (sizes, colours, styles…) cannot be misspelt; an
// Action.Execute is always written with its Action.Submit fallback; action
// and choice titles are plain text cut to one line of [MaxTitleRunes].
// Text in the fields Teams renders as Markdown (TextBlock.text, Fact.title,
// Fact.value) is a [Markdown] value, made only by [Plain], which escapes
// text we did not write, or by [Format], whose template must be a constant
// of ours and whose arguments are escaped: escaping happens here and nowhere
// else. [AdaptiveCard.Validate] checks the rest, the limits Teams imposes
// and the content the schema requires.
//
// The Markdown Teams renders is a subset of CommonMark (bold, italics,
// lists, links); escaping follows CommonMark, so that Microsoft's
// adaptivecards renderer and Teams show the text as given. See
// https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format
// for what Teams renders.
package card
