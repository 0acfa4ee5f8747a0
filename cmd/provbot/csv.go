package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/internal/escape"
)

// The portal's CSV download is three files joined by change id: the
// entries without steps and modified properties, the steps, and the
// modified properties. The names and columns are graph's, which reads
// them back (--logs).
const (
	csvEntriesFile    = graph.CSVEntriesFile
	csvStepsFile      = graph.CSVStepsFile
	csvPropertiesFile = graph.CSVPropertiesFile
)

var (
	csvEntryHeader    = graph.CSVEntryHeader
	csvStepHeader     = graph.CSVStepHeader
	csvPropertyHeader = graph.CSVPropertyHeader
)

// writeLogsCSV writes the three CSV files into dir (created if needed).
// known maps source object ids to user principal names already known
// (the user searched for), for entries that do not carry one.
func writeLogsCSV(dir string, es []diagnose.Entry, known map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	var entries, steps, props [][]string
	entries = append(entries, csvEntryHeader)
	steps = append(steps, csvStepHeader)
	props = append(props, csvPropertyHeader)
	upns := sourceUPNs(es, known)
	for _, e := range es {
		var code, reason, category, action, details string
		if e.Error != nil {
			code, reason, category, action, details = e.Error.Code, e.Error.Reason, e.Error.Category, e.Error.RecommendedAction, e.Error.AdditionalDetails
		}
		entries = append(entries, []string{
			e.ActivityTime.UTC().Format(time.RFC3339Nano), e.ID, e.ChangeID, e.CycleID, e.JobID,
			nonEmptyStr(e.RawAction, string(e.Action)), nonEmptyStr(e.RawStatus, string(e.Status)),
			code, reason, category, action, details,
			e.SourceSystem.DisplayName, e.TargetSystem.DisplayName,
			e.Source.ID, e.Source.DisplayName, e.Source.Type, nonEmptyStr(e.SourceUPN(), upns[strings.ToLower(e.Source.ID)]),
			e.Target.ID, e.Target.DisplayName, e.Target.Type,
			e.ServicePrincipal.ID, e.ServicePrincipal.Name,
			e.InitiatedBy.DisplayName, e.InitiatedBy.Type,
			strconv.FormatInt(e.Duration.Milliseconds(), 10), e.TenantID,
		})
		for i, s := range e.Steps {
			d := ""
			if len(s.Details) > 0 {
				b, err := json.Marshal(sortedDetails(s.Details))
				if err != nil {
					return fmt.Errorf("step details: %w", err)
				}
				d = string(b)
			}
			steps = append(steps, []string{e.ChangeID, strconv.Itoa(i + 1), s.Name, nonEmptyStr(s.RawType, string(s.Type)),
				nonEmptyStr(s.RawStatus, string(s.Status)), s.Description, d})
		}
		for _, m := range e.Modified {
			props = append(props, []string{e.ChangeID, m.Name, m.OldValue, m.NewValue})
		}
	}
	for name, rows := range map[string][][]string{csvEntriesFile: entries, csvStepsFile: steps, csvPropertiesFile: props} {
		if err := writeCSVFile(filepath.Join(dir, name), rows); err != nil {
			return err
		}
	}
	return nil
}

// sortedDetails keeps detail keys in a stable order for the JSON cell.
func sortedDetails(m map[string]string) json.RawMessage {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(m[k])
		b = append(append(append(b, kb...), ':'), vb...)
	}
	return append(b, '}')
}

// sourceUPNs maps each source object id (lower case) to its user
// principal name. Microsoft's examples show the UPN in the source
// identity's details only for cross-tenant synchronization; app
// provisioning entries carry it in the import step's details
// (userPrincipalName), and an entry without an import step carries none.
// The entries of the same object then say it, or known does.
func sourceUPNs(es []diagnose.Entry, known map[string]string) map[string]string {
	out := map[string]string{}
	for id, upn := range known {
		out[strings.ToLower(id)] = upn
	}
	for i := range es {
		id := strings.ToLower(es[i].Source.ID)
		if _, ok := out[id]; !ok && id != "" && !es[i].Source.IsGroup() {
			if upn := es[i].SourceUPN(); upn != "" {
				out[id] = upn
			}
		}
	}
	return out
}

// writeCSVFile writes rows with a UTF-8 byte-order mark, so spreadsheet
// programs read names with accents correctly, as the portal's files do.
// Every cell goes through escape.AppendCSVRecord: quoted, and prefixed with
// a single quote when a spreadsheet would read it as a formula (a log
// field "=HYPERLINK(...)" stays text).
func writeCSVFile(path string, rows [][]string) error {
	buf := []byte("\ufeff")
	for _, r := range rows {
		buf = escape.AppendCSVRecord(buf, r)
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
