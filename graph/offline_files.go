package graph

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/provbot/provbot/diagnose"
)

// LogRead says what ReadLogPath read, for the person who gave the path.
type LogRead struct {
	// Path is what was given.
	Path string
	// Format is "JSON" or "CSV".
	Format string
	// Files are the files read, in the order they were joined, with what
	// each held ("4 entries", "22 steps").
	Files []LogFile
	// Entries is how many entries were read.
	Entries int
	// Missing names, per file, the columns that were not found (CSV only).
	Missing map[string][]string
	// Notes are anything else the reader should know: a companion file
	// that was not there, rows left out, how dates were read.
	Notes []string
}

// LogFile is one file ReadLogPath read.
type LogFile struct {
	Name string
	// Held says what the file held: "4 entries", "22 steps".
	Held string
}

// String says in one paragraph what was read: the entries, the files, the
// missing columns and the notes.
func (r LogRead) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Read %d %s from %s (%s", r.Entries, plural(r.Entries, "entry", "entries"), r.Path, r.Format)
	if len(r.Files) > 0 {
		var files []string
		for _, f := range r.Files {
			files = append(files, f.Name+": "+f.Held)
		}
		b.WriteString("; " + strings.Join(files, ", "))
	}
	b.WriteString(").")
	names := make([]string, 0, len(r.Missing))
	for name := range r.Missing {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(&b, "\nColumns not found in %s (left empty): %s.", name, strings.Join(r.Missing[name], ", "))
	}
	for _, n := range r.Notes {
		b.WriteString("\n" + sentenceCase(n) + ".")
	}
	return b.String()
}

func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ReadLogPath reads provisioning logs saved at path, whichever way they
// were saved:
//
//   - a JSON file, as ReadLogs reads it (a Graph list answer, a bare
//     array, the portal's JSON download, `provbot logs --format json`);
//   - the portal's CSV download: its main file (ProvisioningLogs.csv, or
//     however it was renamed), joined by Change ID with the steps and
//     modified properties files beside it (<name>_ProvisioningSteps.csv,
//     <name>_ModifiedProperties.csv) when they are there;
//   - a folder, or a .zip file, holding one such download.
//
// The format is told by the content, not the file name. It returns the
// entries and what it read, for the caller to show.
func ReadLogPath(p string) ([]diagnose.Entry, LogRead, error) {
	read := LogRead{Path: p}
	fi, err := os.Stat(p)
	if err != nil {
		return nil, read, err
	}
	if fi.IsDir() {
		entries, err := readLogFS(os.DirFS(p), ".", &read)
		return entries, read, err
	}
	data, err := readLimited(p)
	if err != nil {
		return nil, read, err
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, read, fmt.Errorf("read the .zip file: %w", err)
		}
		entries, err := readLogFS(zr, ".", &read)
		return entries, read, err
	}
	dir, name := filepath.Dir(p), filepath.Base(p)
	entries, err := readLogFile(os.DirFS(dir), name, data, &read)
	return entries, read, err
}

// readLimited reads a whole file of at most maxOfflineSize bytes.
func readLimited(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readAllLimited(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return data, nil
}

// readFSLimited reads a whole file of fsys of at most maxOfflineSize bytes.
func readFSLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readAllLimited(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return data, nil
}

func readAllLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxOfflineSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxOfflineSize {
		return nil, fmt.Errorf("the file is larger than %d MiB", maxOfflineSize>>20)
	}
	return data, nil
}

// isJSON reports whether data, after a byte-order mark and white space,
// starts a JSON object or array.
func isJSON(data []byte) bool {
	data = bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	return len(data) > 0 && (data[0] == '{' || data[0] == '[')
}

// readLogFile reads one file (data) named name in fsys: JSON, or the CSV
// main file with its companions from fsys.
func readLogFile(fsys fs.FS, name string, data []byte, read *LogRead) ([]diagnose.Entry, error) {
	if isJSON(data) {
		read.Format = "JSON"
		entries, err := ReadLogs(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		read.Entries = len(entries)
		return entries, nil
	}
	read.Format = "CSV"
	t, err := readCSVTable(name, data)
	if err != nil {
		return nil, err
	}
	switch t.kind {
	case csvSteps, csvProperties:
		return nil, fmt.Errorf("%s is the %s file of the portal's CSV download: give the main file (%s) or the folder that holds all three",
			name, t.kind, CSVEntriesFile)
	case csvUnknown:
		return nil, notALogFile(t)
	}
	stem := strings.TrimSuffix(name, path.Ext(name))
	steps, err := companion(fsys, path.Join(path.Dir(name), stem+"_ProvisioningSteps.csv"), csvSteps, read)
	if err != nil {
		return nil, err
	}
	props, err := companion(fsys, path.Join(path.Dir(name), stem+"_ModifiedProperties.csv"), csvProperties, read)
	if err != nil {
		return nil, err
	}
	return joinTables(t, steps, props, read)
}

// companion reads a companion CSV file, or notes that it is not there.
func companion(fsys fs.FS, name string, want csvKind, read *LogRead) (*csvTable, error) {
	data, err := readFSLimited(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		read.Notes = append(read.Notes, fmt.Sprintf("no %s beside it: the entries carry no %s", path.Base(name), want))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	t, err := readCSVTable(path.Base(name), data)
	if err != nil {
		return nil, err
	}
	if t.kind != want {
		return nil, fmt.Errorf("%s does not have the columns of the portal's %s file", path.Base(name), want)
	}
	return t, nil
}

// readLogFS reads the download held in a folder or a .zip file: its one
// entries CSV file joined with its steps and properties files, or else its
// one JSON file.
func readLogFS(fsys fs.FS, root string, read *LogRead) ([]diagnose.Entry, error) {
	var tables = map[csvKind][]*csvTable{}
	var jsons []string
	shown := map[string]string{}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// The download, or a .zip's one folder holding it; nothing
			// deeper, nothing hidden.
			if p != root && (strings.HasPrefix(d.Name(), ".") || strings.Count(p, "/") > 0) {
				return fs.SkipDir
			}
			return nil
		}
		switch strings.ToLower(path.Ext(p)) {
		case ".json":
			jsons = append(jsons, p)
			shown[p] = shownName(p)
		case ".csv", ".txt":
			data, err := readFSLimited(fsys, p)
			if err != nil {
				return err
			}
			t, err := readCSVTable(shownName(p), data)
			if err != nil {
				return err
			}
			tables[t.kind] = append(tables[t.kind], t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch mains := tables[csvEntries]; {
	case len(mains) > 1:
		return nil, fmt.Errorf("%d CSV files of entries (%s): give the one to read", len(mains), tableNames(mains))
	case len(mains) == 1:
		read.Format = "CSV"
		pick := func(kind csvKind) (*csvTable, error) {
			ts := tables[kind]
			switch len(ts) {
			case 0:
				read.Notes = append(read.Notes, fmt.Sprintf("no %s file: the entries carry no %s", kind, kind))
				return nil, nil
			case 1:
				return ts[0], nil
			}
			return nil, fmt.Errorf("%d %s files (%s): keep one download per folder", len(ts), kind, tableNames(ts))
		}
		steps, err := pick(csvSteps)
		if err != nil {
			return nil, err
		}
		props, err := pick(csvProperties)
		if err != nil {
			return nil, err
		}
		return joinTables(mains[0], steps, props, read)
	case len(jsons) == 1:
		data, err := readFSLimited(fsys, jsons[0])
		if err != nil {
			return nil, err
		}
		read.Files = append(read.Files, LogFile{Name: shown[jsons[0]]})
		entries, err := readLogFile(fsys, jsons[0], data, read)
		if err == nil {
			read.Files[0].Held = countOf(len(entries), "entry", "entries")
		}
		return entries, err
	case len(jsons) > 1:
		var names []string
		for _, j := range jsons {
			names = append(names, shown[j])
		}
		return nil, fmt.Errorf("%d JSON files (%s): give the one to read", len(jsons), strings.Join(names, ", "))
	}
	if n := len(tables[csvSteps]) + len(tables[csvProperties]); n > 0 {
		return nil, fmt.Errorf("only the steps or properties files of a CSV download, without its main file (%s)", CSVEntriesFile)
	}
	return nil, fmt.Errorf("no provisioning logs: want the portal's CSV download (%s and its two companions) or a JSON file", CSVEntriesFile)
}

// joinTables joins the CSV files and records what they held.
func joinTables(main, steps, props *csvTable, read *LogRead) ([]diagnose.Entry, error) {
	j, err := joinCSV(main, steps, props)
	if err != nil {
		return nil, err
	}
	read.Entries = len(j.entries)
	read.Files = append(read.Files, LogFile{Name: main.name, Held: countOf(len(main.rows), "row", "rows")})
	if steps != nil {
		read.Files = append(read.Files, LogFile{Name: steps.name, Held: countOf(j.steps, "step", "steps")})
	}
	if props != nil {
		read.Files = append(read.Files, LogFile{Name: props.name, Held: countOf(j.props, "property", "properties")})
	}
	for _, t := range []*csvTable{main, steps, props} {
		if t == nil {
			continue
		}
		for _, n := range t.notes {
			read.Notes = append(read.Notes, t.name+": "+n)
		}
	}
	read.Missing = j.missing
	read.Notes = append(read.Notes, j.notes...)
	return j.entries, nil
}

// shownName is a file name as it can be shown on a terminal: quoted when
// it holds anything but printable characters (a .zip's member names are
// anyone's text).
func shownName(name string) string {
	if strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) || unicode.Is(unicode.Bidi_Control, r) }) >= 0 {
		return strconv.Quote(name)
	}
	return name
}

func countOf(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }

func tableNames(ts []*csvTable) string {
	var names []string
	for _, t := range ts {
		names = append(names, t.name)
	}
	return strings.Join(names, ", ")
}

// notALogFile is the error for a CSV file whose columns are none of the
// portal's three files'.
func notALogFile(t *csvTable) error {
	var cols []string
	for _, c := range firstN(t.columns, 8) {
		cols = append(cols, strconv.Quote(c))
	}
	return fmt.Errorf("%s is neither JSON nor one of the portal's CSV files: it has no %s column with %s, %s or %s (its columns: %s)",
		t.name, colDate.label, colStatus.label, colAction.label, colSourceID.label, strings.Join(cols, ", "))
}
