package workspace

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

// hostile are values people could type, or a directory could hold, that
// would change a query built by pasting them between quotes.
var hostile = []string{
	`x' or 1==1 //`,
	`x" or 1==1 //`,
	`a' | union SigninLogs | where '1'=='1`,
	`a'; AADProvisioningLogs | take 100000 //`,
	`adele@contoso.com\' or \'1\'==\'1`,
	`\`,
	`\\'`,
	"x'\n| take 500\n//",
	"x\r\n| project TenantId",
	`@'verbatim'' or ''1''==''1'`,
	`h'obfuscated'`,
	"Ádéle\u202e' or 1==1 //",
	"\uff07 or 1==1 //", // a fullwidth apostrophe
	"zero\u200bwidth'",
	`*`,
	`%`,
	`' '`,
	"tab\there'",
	`/* not a comment in KQL */`,
	`{"Id":"x"}`,
}

// literalRE finds the encoded literals of a query.
var literalRE = regexp.MustCompile(`base64_decode_tostring\('([A-Za-z0-9+/=]*)'\)`)

func TestQueryTextCarriesNoCallerCharacter(t *testing.T) {
	template, err := searchQuery(Search{UserID: "u", UPN: "p", TargetIDs: []string{"t"}, AppID: "a"}, 10)
	if err != nil {
		t.Fatal(err)
	}
	shape := func(q string) string { return literalRE.ReplaceAllString(q, "base64_decode_tostring('…')") }
	for _, v := range hostile {
		t.Run(v, func(t *testing.T) {
			q, err := searchQuery(Search{UserID: v, UPN: v, TargetIDs: []string{v}, AppID: v}, 10)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if got, want := shape(q), shape(template); got != want {
				t.Errorf("the value changed the query's shape:\n%s\nwant\n%s", got, want)
			}
			// Every literal decodes back to the value: nothing was lost or added.
			for _, m := range literalRE.FindAllStringSubmatch(q, -1) {
				if got := decodeLiteral(t, m[1]); got != v {
					t.Errorf("literal decodes to %q, want %q", got, v)
				}
			}
		})
	}
}

func TestQueryLeavesOutEmptyValues(t *testing.T) {
	q, err := searchQuery(Search{UserID: "7faf8ab2-3d56-4244-b585-20c8a42ed2b8", TargetIDs: []string{""}}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(q, "contains"); n != 1 {
		t.Errorf("an empty value became a filter (an empty contains matches every row):\n%s", q)
	}
	if !strings.HasSuffix(q, "| take 1000") || !strings.Contains(q, "| order by TimeGenerated desc") {
		t.Errorf("query:\n%s", q)
	}
}

func TestQueryRefusesWhatCannotBeAUserOrApp(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    Search
		want string
	}{
		{"nobody: an empty search would list everyone", Search{}, "say whose entries"},
		{"only empty values", Search{UPN: "", TargetIDs: []string{""}}, "say whose entries"},
		{"bytes that are not text", Search{UPN: "adele\xff@contoso.com"}, "not valid text"},
		{"a value longer than any id or name", Search{TargetIDs: []string{strings.Repeat("x", 2000)}}, "at most 1024"},
		{"an app id that is not text", Search{UserID: "u", AppID: "\xc3\x28"}, "the app id is not valid text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := searchQuery(tc.s, 10)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// decodeLiteral decodes an encoded literal's base64.
func decodeLiteral(t *testing.T, b64 string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("literal %q: %v", b64, err)
	}
	return string(b)
}
