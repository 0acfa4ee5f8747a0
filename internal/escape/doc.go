// Package escape makes text that came from data (directory names, log
// fields, app messages, what people type) safe for each place provbot
// writes it, one function per output:
//
//   - [Terminal] and [TerminalLines]: a terminal, where escape sequences
//     clear the screen, set the window title, write the clipboard or hide
//     a link;
//   - [CSVCell]: a CSV cell a spreadsheet opens, where a leading = runs a
//     formula ([CSVCellValue] undoes it for a reader);
//   - [JSON]: JSON output, whose C1 controls and bidirectional overrides
//     are written as \u escapes.
//
// Card Markdown has its own escaping where the cards are built.
package escape
