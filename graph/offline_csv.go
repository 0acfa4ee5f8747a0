package graph

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/provbot/provbot/diagnose"
)

// csvKind is which of the portal's three files a CSV file is.
type csvKind int

const (
	csvUnknown csvKind = iota
	csvEntries
	csvSteps
	csvProperties
)

func (k csvKind) String() string {
	switch k {
	case csvEntries:
		return "entries"
	case csvSteps:
		return "steps"
	case csvProperties:
		return "modified properties"
	}
	return "unknown"
}

// csvTable is one CSV file read whole.
type csvTable struct {
	name   string
	header csvHeader
	// columns are the header's names as written.
	columns []string
	rows    [][]string
	// line is the line each row starts on, for messages.
	line []int
	kind csvKind
	// notes say what was unusual about the bytes (encoding, separator).
	notes []string
}

// kindOf tells the three files apart by their columns.
func kindOf(h csvHeader) csvKind {
	switch {
	case h.has(colOldValue) || h.has(colNewValue):
		return csvProperties
	case h.has(colDate) && (h.has(colStatus) || h.has(colAction) || h.has(colSourceID)):
		return csvEntries
	case h.has(colChangeID) && (h.has(colStepType) || h.has(colStepNumber) || h.has(colStepDescription)):
		return csvSteps
	}
	return csvUnknown
}

// readCSVTable reads a CSV file: UTF-8 with or without a byte-order mark,
// UTF-16 with one, or (failing UTF-8) Latin-1; separated by commas, or by
// the semicolons or tabs a spreadsheet may have saved it with; quoted
// cells may span lines.
func readCSVTable(name string, data []byte) (*csvTable, error) {
	t := &csvTable{name: name}
	text, note, err := decodeText(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if note != "" {
		t.notes = append(t.notes, note)
	}
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("%s: the file is empty", name)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.Comma = separator(text)
	if r.Comma != ',' {
		t.notes = append(t.notes, fmt.Sprintf("cells separated by %s", map[rune]string{';': "semicolons", '\t': "tabs"}[r.Comma]))
	}
	first := true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: line %d: %v", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		for i := range rec {
			rec[i] = csvCellValue(rec[i])
		}
		if first {
			t.header, t.columns = newCSVHeader(rec), slices.Clone(rec)
			first = false
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		t.rows = append(t.rows, rec)
		t.line = append(t.line, line)
	}
	t.kind = kindOf(t.header)
	return t, nil
}

// decodeText turns the file's bytes into text, saying how when it was not
// plain UTF-8.
func decodeText(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		be := data[0] == 0xfe
		data = data[2:]
		if len(data)%2 != 0 {
			return "", "", errors.New("the file is UTF-16 but has an odd number of bytes")
		}
		u := make([]uint16, len(data)/2)
		for i := range u {
			if be {
				u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			} else {
				u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
			}
		}
		return string(utf16.Decode(u)), "read as UTF-16", nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", errors.New("the file holds NUL bytes: it is not a text file")
	}
	if utf8.Valid(data) {
		return string(data), "", nil
	}
	r := make([]rune, len(data))
	for i, b := range data {
		r[i] = rune(b)
	}
	return string(r), "not UTF-8: read as Latin-1, so accented letters may be wrong", nil
}

// separator guesses the cell separator from the header line: the most
// frequent of comma, semicolon and tab outside quotes (comma on a tie).
func separator(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (r == '\n' || r == '\r') {
			break
		}
		if !quoted && (r == ',' || r == ';' || r == '\t') {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// csvCellValue undoes the single quote that a writer guarding against
// spreadsheet formulas (OWASP's CSV injection advice) puts before a cell
// starting with =, +, -, @, tab, carriage return, NUL, a line feed or a
// single quote. A cell of a file written without that guard comes back
// unchanged unless it starts with a single quote followed by one of those.
// https://owasp.org/www-community/attacks/CSV_Injection
func csvCellValue(s string) string {
	if len(s) >= 2 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@', '\t', '\r', 0, '\n', '\'':
			return s[1:]
		}
	}
	return s
}

// cell returns row's value in column c as written ("" when the file
// lacks it).
func (t *csvTable) cell(row []string, c csvColumn) string {
	i := t.header.index(c)
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// id returns row's value in column c without surrounding blanks: ids,
// codes and enum values, where a spreadsheet's padding means nothing.
func (t *csvTable) id(row []string, c csvColumn) string {
	return strings.TrimSpace(t.cell(row, c))
}

// csvJoin is the result of reading the portal's files.
type csvJoin struct {
	entries []diagnose.Entry
	// notes say what the caller should know about what was read.
	notes []string
	// missing names, per file, the columns not found.
	missing map[string][]string
	steps   int
	props   int
}

// joinCSV builds entries from the entries file and adds the steps and
// modified properties (either may be nil) by change id.
func joinCSV(main, steps, props *csvTable) (*csvJoin, error) {
	j := &csvJoin{missing: map[string][]string{}}
	if m := main.header.missing(csvEntryColumns); len(m) > 0 {
		j.missing[main.name] = m
	}
	if !main.header.has(colDate) {
		return nil, fmt.Errorf("%s: no date column (%s): an entry cannot be placed in time without it", main.name, colDate.label)
	}
	var dates []string
	for _, row := range main.rows {
		dates = append(dates, main.cell(row, colDate))
	}
	dr, err := newCSVDates(dates)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", main.name, err)
	}
	if dr.assumed {
		j.notes = append(j.notes, fmt.Sprintf("%s: no date tells whether dates are day or month first; read month first (as 12/31/2026)", main.name))
	}
	var undated []string
	byChange := map[string][]int{}
	for i, row := range main.rows {
		at, err := dr.parse(main.cell(row, colDate))
		if err != nil {
			undated = append(undated, strconv.Itoa(main.line[i]))
			continue
		}
		e := entryFromRow(main, row, at)
		if e.ChangeID != "" {
			byChange[strings.ToLower(e.ChangeID)] = append(byChange[strings.ToLower(e.ChangeID)], len(j.entries))
		}
		j.entries = append(j.entries, e)
	}
	if len(undated) > 0 {
		j.notes = append(j.notes, fmt.Sprintf("%s: %d %s without a readable date left out (line %s)", main.name,
			len(undated), plural(len(undated), "row", "rows"), strings.Join(firstN(undated, 5), ", ")))
	}
	shared := 0
	for _, idx := range byChange {
		if len(idx) > 1 {
			shared++
		}
	}
	if shared > 0 {
		j.notes = append(j.notes, fmt.Sprintf("%s: %d change %s appear on more than one entry; their steps and properties go to each", main.name,
			shared, plural(shared, "id", "ids")))
	}
	if (steps != nil || props != nil) && !main.header.has(colChangeID) {
		return nil, fmt.Errorf("%s: no %s column, so its steps and modified properties cannot be joined to it", main.name, colChangeID.label)
	}
	if steps != nil {
		if err := j.addSteps(steps, byChange); err != nil {
			return nil, err
		}
	}
	if props != nil {
		if err := j.addProperties(props, byChange); err != nil {
			return nil, err
		}
	}
	return j, nil
}

// addSteps attaches the steps file's rows to their entries, in step
// order.
func (j *csvJoin) addSteps(t *csvTable, byChange map[string][]int) error {
	if !t.header.has(colChangeID) {
		return fmt.Errorf("%s: no %s column to join the steps to their entries", t.name, colChangeID.label)
	}
	if m := t.header.missing(csvStepColumns); len(m) > 0 {
		j.missing[t.name] = m
	}
	type numbered struct {
		n    int
		step diagnose.Step
	}
	got := map[int][]numbered{}
	orphans := 0
	for i, row := range t.rows {
		idx, ok := byChange[strings.ToLower(t.id(row, colChangeID))]
		if !ok {
			orphans++
			continue
		}
		n, err := strconv.Atoi(t.id(row, colStepNumber))
		if err != nil {
			n = i + 1
		}
		s := diagnose.Step{
			Name:        t.id(row, colStepName),
			RawType:     t.id(row, colStepType),
			RawStatus:   t.id(row, colStepStatus),
			Description: t.cell(row, colStepDescription),
			Details:     stepDetails(strings.TrimSpace(t.cell(row, colStepDetails))),
		}
		s.Type, s.Status = diagnose.ParseStepType(s.RawType), diagnose.ParseResult(s.RawStatus)
		for _, e := range idx {
			got[e] = append(got[e], numbered{n, s})
		}
		j.steps++
	}
	for e, ss := range got {
		slices.SortStableFunc(ss, func(a, b numbered) int { return a.n - b.n })
		for _, s := range ss {
			j.entries[e].Steps = append(j.entries[e].Steps, s.step)
		}
	}
	if orphans > 0 {
		j.notes = append(j.notes, fmt.Sprintf("%s: %d %s name a change id that no entry has; left out", t.name, orphans, plural(orphans, "step", "steps")))
	}
	return nil
}

// addProperties attaches the modified properties file's rows to their
// entries, in file order.
func (j *csvJoin) addProperties(t *csvTable, byChange map[string][]int) error {
	if !t.header.has(colChangeID) {
		return fmt.Errorf("%s: no %s column to join the properties to their entries", t.name, colChangeID.label)
	}
	if m := t.header.missing(csvPropertyColumns); len(m) > 0 {
		j.missing[t.name] = m
	}
	orphans := 0
	for _, row := range t.rows {
		idx, ok := byChange[strings.ToLower(t.id(row, colChangeID))]
		if !ok {
			orphans++
			continue
		}
		m := diagnose.ModifiedProperty{Name: t.cell(row, colPropName), OldValue: t.cell(row, colOldValue), NewValue: t.cell(row, colNewValue)}
		for _, e := range idx {
			j.entries[e].Modified = append(j.entries[e].Modified, m)
		}
		j.props++
	}
	if orphans > 0 {
		j.notes = append(j.notes, fmt.Sprintf("%s: %d %s name a change id that no entry has; left out", t.name, orphans, plural(orphans, "property", "properties")))
	}
	return nil
}

// entryFromRow builds an entry from a row of the entries file.
func entryFromRow(t *csvTable, row []string, at time.Time) diagnose.Entry {
	c := func(col csvColumn) string { return t.cell(row, col) }
	id := func(col csvColumn) string { return t.id(row, col) }
	e := diagnose.Entry{
		ID: id(colID), ActivityTime: at, ChangeID: id(colChangeID), CycleID: id(colCycleID), JobID: id(colJobID),
		TenantID: id(colTenantID), RawAction: id(colAction), RawStatus: id(colStatus),
		Source:           diagnose.Identity{ID: id(colSourceID), DisplayName: c(colSourceName), Type: id(colSourceType)},
		Target:           diagnose.Identity{ID: id(colTargetID), DisplayName: c(colTargetName), Type: id(colTargetType)},
		ServicePrincipal: diagnose.ServicePrincipal{ID: id(colSPID), Name: c(colSPName)},
		SourceSystem:     diagnose.System{DisplayName: c(colSourceSystem)},
		TargetSystem:     diagnose.System{DisplayName: c(colTargetSystem)},
		InitiatedBy:      diagnose.Initiator{DisplayName: c(colInitiatedBy), Type: id(colInitiatorType)},
	}
	e.Action, e.Status = diagnose.ParseAction(e.RawAction), diagnose.ParseResult(e.RawStatus)
	if upn := id(colSourceUPN); upn != "" {
		e.Source.Details = map[string]string{"UserPrincipalName": upn}
	}
	if ms, err := strconv.ParseFloat(id(colDuration), 64); err == nil && ms >= 0 {
		e.Duration = time.Duration(ms * float64(time.Millisecond))
	}
	info := diagnose.ErrorInfo{Code: id(colErrorCode), Reason: c(colErrorReason), Category: id(colErrorCategory),
		RecommendedAction: c(colRecommended), AdditionalDetails: c(colAdditional)}
	if info != (diagnose.ErrorInfo{}) {
		e.Error = &info
	}
	return e
}

// stepDetails reads a step's details cell: a JSON object (the form
// provbot writes, and Graph's), its values kept as text; any other text is
// kept whole under the key "Details".
func stepDetails(s string) map[string]string {
	if s == "" {
		return nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return map[string]string{"Details": s}
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		var str string
		if json.Unmarshal(v, &str) == nil {
			out[k] = str
		} else if string(v) != "null" {
			out[k] = string(v)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}
