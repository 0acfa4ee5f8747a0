package lafake

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var kqlNow = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// kqlRows are three rows of a small table.
func kqlRows() []record {
	return []record{
		{"Name": "Adele", "Upn": "adele@contoso.com", "When": kqlNow.Add(-90 * 24 * time.Hour), "N": 3.0, "Json": `{"Id":"a1","details":{"k":"v"}}`},
		{"Name": "Bob", "Upn": "bob@contoso.com", "When": kqlNow.Add(-2 * time.Hour), "N": 1.0, "Json": `{"Id":"b2"}`},
		{"Name": "Madele", "Upn": "madele@contoso.com", "When": kqlNow.Add(-40 * 24 * time.Hour), "N": 2.0, "Json": `[1,2]`},
	}
}

var kqlTables = map[string][]column{"T": {{"Name", "string"}, {"Upn", "string"}, {"When", "datetime"}, {"N", "long"}, {"Json", "string"}}}

// run compiles and runs a query and returns the Name column of the result.
func run(t *testing.T, q string) ([]string, error) {
	t.Helper()
	p, err := compile(q, kqlTables, kqlNow)
	if err != nil {
		return nil, err
	}
	rs := kqlRows()
	for _, op := range p.ops {
		rs = op(rs)
	}
	var names []string
	for _, r := range rs {
		names = append(names, text(r["Name"]))
	}
	return names, nil
}

func TestKQLRunsTheSubsetClientsSend(t *testing.T) {
	for _, tc := range []struct {
		name, q, want string
	}{
		{"contains ignores case", `T | where Upn contains 'ADELE'`, "Adele,Madele"},
		{"=~ is equality without case", `T | where Upn =~ 'ADELE@contoso.com'`, "Adele"},
		{"== is exact", `T | where Upn == 'ADELE@contoso.com'`, ""},
		{"a let binding and base64", "let v = base64_decode_tostring('Ym9iQGNvbnRvc28uY29t');\nT | where Upn == v", "Bob"},
		{"or, and, not", `T | where (Name == 'Adele' or Name == 'Bob') and not(N > 2)`, "Bob"},
		{"a comment runs to the end of the line", "T // | where Name == 'Bob'\n| where Name == 'Madele'", "Madele"},
		{"escapes in a quoted literal", `T | where 'it\'s' == "it's"`, "Adele,Bob,Madele"},
		{"a verbatim literal doubles its quote", `T | where @'a''b\' == "a'b\\"`, "Adele,Bob,Madele"},
		{"adjacent literals are one", `T | where Upn == 'bob@' "contoso.com"`, "Bob"},
		{"order by desc, the default", `T | order by When`, "Bob,Madele,Adele"},
		{"order by asc and take", `T | sort by N asc | take 2`, "Bob,Madele"},
		{"ago and datetime", `T | where When > ago(30d) or When < datetime(2026-08-28T00:00:00Z)`, "Adele,Bob"},
		{"parse_json and a member, case-sensitive as KQL", `T | extend j = parse_json(Json) | where tostring(j.Id) == 'a1' or tostring(j.id) == 'b2'`, "Adele"},
		{"an index into an array", `T | extend j = parse_json(Json) | where j[1] == 2`, "Madele"},
		{"has matches whole terms", `T | where Upn has 'adele'`, "Adele"},
		{"an empty contains matches everything", `T | where Upn contains ''`, "Adele,Bob,Madele"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := run(t, tc.q)
			if err != nil {
				t.Fatalf("%v", err)
			}
			if strings.Join(got, ",") != tc.want {
				t.Errorf("got %v, want %s", got, tc.want)
			}
		})
	}
	t.Run("summarize min, max and count", func(t *testing.T) {
		p, err := compile(`T | summarize Oldest = min(When), Newest = max(When), Rows = count()`, kqlTables, kqlNow)
		if err != nil {
			t.Fatal(err)
		}
		rs := kqlRows()
		for _, op := range p.ops {
			rs = op(rs)
		}
		if len(rs) != 1 || rs[0]["Rows"] != 3.0 || !rs[0]["Oldest"].(time.Time).Equal(kqlNow.Add(-90*24*time.Hour)) ||
			!rs[0]["Newest"].(time.Time).Equal(kqlNow.Add(-2*time.Hour)) || len(p.cols) != 3 || p.cols[0].Type != "datetime" {
			t.Errorf("%+v %+v", rs, p.cols)
		}
	})
}

func TestKQLRejectsWhatTheServiceRejects(t *testing.T) {
	for _, tc := range []struct {
		name, q  string
		semantic bool
		want     string
	}{
		{name: "an unterminated literal", q: `T | where Name == 'Adele`, want: "unterminated"},
		{name: "a line break inside a literal", q: "T | where Name == 'Ad\nele'", want: "line break"},
		{name: "an unknown escape", q: `T | where Name == 'A\x'`, want: "escape"},
		{name: "union, which this fake does not run", q: `T | union U`, want: "does not run"},
		{name: "text after the query", q: `T | take 1 'x'`, want: "after the query"},
		{name: "a second statement", q: `T | take 1; T`, want: "after the query"},
		{name: "an unknown table", q: `SigninLogs | take 1`, semantic: true, want: "Failed to resolve table or column expression named 'SigninLogs'"},
		{name: "an unknown column", q: `T | where Nope == 1`, semantic: true, want: "Failed to resolve scalar expression named 'Nope'"},
		{name: "an unknown function", q: `T | where evil(Name)`, semantic: true, want: "'evil'"},
		{name: "a let that reads a column", q: "let v = Name;\nT", semantic: true, want: "'Name'"},
		{name: "a character KQL does not have", q: `T | where Name == 'a' # comment`, want: "unexpected character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, tc.q)
			var se *syntaxError
			var me *semanticError
			switch {
			case err == nil:
				t.Fatal("accepted")
			case tc.semantic && !errors.As(err, &me), !tc.semantic && !errors.As(err, &se):
				t.Fatalf("err %T %v", err, err)
			case !strings.Contains(err.Error(), tc.want):
				t.Errorf("err %q, want it to say %q", err, tc.want)
			}
		})
	}
}
