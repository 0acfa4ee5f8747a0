package workspace_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/provbot/provbot/workspace"
	"github.com/provbot/provbot/workspace/lafake"
)

// injections are values a person could type as a name, UPN or id, or a
// directory could hold, meant to change the query they go into: quotes
// that end the literal, pipes, union, comments, line breaks, backslashes
// and look-alike unicode.
var injections = []struct {
	name, value string
	// breaksNaive is true when pasting the value between single quotes
	// visibly changes a query (more rows or a rejected query).
	breaksNaive bool
}{
	{"a quote and an always-true clause, the rest commented out", `x' or 1==1 //`, true},
	{"a double quote", `x" or 1==1 //`, false},
	{"a pipe and union with another table", `a' | union SigninLogs | where '1'=='1`, true},
	{"a second statement", `a'; AADProvisioningLogs | take 100000 //`, true},
	{"escaped quotes (defeat code that only doubles quotes)", `adele@contoso.com\' or \'1\'==\'1`, false},
	{"a lone backslash that would escape the closing quote", `\`, true},
	{"a line break and a new operator", "'\n| take 500\n//", true},
	{"a carriage return", "x\r\n| project TenantId", true},
	{"a verbatim literal", `@'x'' or ''1''==''1'`, true},
	{"right-to-left override and a quote", "Ádéle\u202e' or 1==1 //", true},
	{"a fullwidth apostrophe", "\uff07 or 1==1 //", false},
	{"adjacent literals, which KQL joins into one", `' 'adele@contoso.com`, true},
	{"a comment alone", `//`, false},
	{"JSON that looks like an identity", `{"Id":"7faf8ab2-3d56-4244-b585-20c8a42ed2b8"}`, false},
}

// naiveCount runs a query built the unsafe way, pasting the value between
// single quotes, straight against the fake, and returns the rows and the
// status; it shows the fake would notice an injection.
func naiveCount(t *testing.T, fake *lafake.Server, value string) (int, int) {
	t.Helper()
	q := "AADProvisioningLogs | where SourceIdentity contains '" + value + "' | order by TimeGenerated desc"
	body, _ := json.Marshal(map[string]string{"query": q})
	resp, err := http.Post(fake.URL()+"/workspaces/"+wsID+"/query", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Tables []struct {
			Rows [][]any `json:"rows"`
		} `json:"tables"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if len(out.Tables) == 0 {
		return 0, resp.StatusCode
	}
	return len(out.Tables[0].Rows), resp.StatusCode
}

func TestInjectionAttemptsInNamesAndIdsAreHarmless(t *testing.T) {
	rows := append(history(adele, sf, made(adele, sf, 90*day)), history(bob, sf, made(bob, sf, 60*day), made(bob, sf, 45*day))...)
	fake, c := startFake(t, rows, nil)
	for _, inj := range injections {
		t.Run(inj.name, func(t *testing.T) {
			before := len(fake.Requests())
			for _, s := range []workspace.Search{
				{UPN: inj.value},
				{UserID: inj.value},
				{TargetIDs: []string{inj.value}},
				{UserID: bob.ObjectID + inj.value},
			} {
				res, err := search(t, c, s)
				if err != nil {
					t.Fatalf("search %+v: %v", s, err)
				}
				if len(res.Entries) != 0 {
					t.Errorf("search %+v found %d entries of people it does not name", s, len(res.Entries))
				}
			}
			// Alongside a real user, the value neither widens nor breaks the search.
			res, err := search(t, c, workspace.Search{UserID: adele.ObjectID, UPN: inj.value, TargetIDs: []string{inj.value}, AppID: sf.ID})
			if err != nil || len(res.Entries) != 1 || res.Entries[0].Source.ID != adele.ObjectID {
				t.Errorf("Adele's search with the value beside it: %d entries, err %v", len(res.Entries), err)
			}
			for _, r := range fake.Requests()[before:] {
				if r.Status != http.StatusOK {
					t.Errorf("the fake rejected a query (%d):\n%s", r.Status, r.Query)
				}
				if strings.Contains(r.Query, inj.value) && len(inj.value) > 2 {
					t.Errorf("the value appears in the query text:\n%s", r.Query)
				}
			}
			// The same value pasted between quotes does change a query:
			// the fake can tell, so the checks above can fail.
			n, status := naiveCount(t, fake, inj.value)
			if broken := status != http.StatusOK || n > 0; broken != inj.breaksNaive {
				t.Errorf("pasted naively: %d rows, status %d; want broken=%v", n, status, inj.breaksNaive)
			}
		})
	}
}
