package escape

// CSVCell returns s ready for a CSV cell that a spreadsheet program will
// open. A cell that starts with =, +, -, @, tab, carriage return (OWASP's
// list) or NUL (ASVS 1.2.10) is a formula to Excel, LibreOffice and Google
// Sheets ("=HYPERLINK(...)", "@SUM(...)"); CSVCell prefixes it with a
// single quote, which the spreadsheet shows as text. A cell that already
// starts with a single quote gets one more, and so does one that starts
// with a line feed (CSV readers turn a carriage return and line feed into
// a line feed), so that CSVCellValue can undo the prefix exactly.
// Everything else is unchanged.
//
// A cell is only safe inside quotes: write every cell in double quotes, as
// OWASP also recommends, so that a separator in a value (a comma, or the
// semicolon of European spreadsheets) cannot start a new cell.
//
// https://owasp.org/www-community/attacks/CSV_Injection
func CSVCell(s string) string {
	if s != "" && prefixed(s[0]) {
		return "'" + s
	}
	return s
}

// CSVCellValue undoes CSVCell for a reader that knows the convention: a
// cell that starts with a single quote followed by a formula character,
// a line feed or another single quote loses the first quote. Other cells,
// those of a file CSVCell did not write included, are returned unchanged.
func CSVCellValue(s string) string {
	if len(s) >= 2 && s[0] == '\'' && prefixed(s[1]) {
		return s[1:]
	}
	return s
}

// prefixed reports whether CSVCell puts a single quote before a cell that
// starts with c.
func prefixed(c byte) bool { return isFormulaStart(c) || c == '\'' || c == '\n' }

// isFormulaStart reports whether a cell starting with c is read as a
// formula.
func isFormulaStart(c byte) bool {
	switch c {
	case '=', '+', '-', '@', '\t', '\r', 0:
		return true
	}
	return false
}

// AppendCSVRecord appends one CSV record to dst: every cell through
// CSVCell, in double quotes (a double quote inside written twice), cells
// separated by commas, the record ended by CRLF (RFC 4180 §2.6–2.7).
func AppendCSVRecord(dst []byte, cells []string) []byte {
	for i, c := range cells {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		c = CSVCell(c)
		for j := 0; j < len(c); j++ {
			if c[j] == '"' {
				dst = append(dst, '"')
			}
			dst = append(dst, c[j])
		}
		dst = append(dst, '"')
	}
	return append(dst, '\r', '\n')
}
