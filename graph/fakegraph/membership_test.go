package fakegraph

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestMemberOf(t *testing.T) {
	srv := newFixtureServer(t)
	tests := []struct {
		name, path string
		want       []string
		context    string
	}{
		{"direct", "/v1.0/users/" + adaID + "/memberOf", []string{salesID, loopBID}, "directoryObjects"},
		{"direct by upn", "/v1.0/users/ada@contoso.com/memberOf", []string{salesID, loopBID}, "directoryObjects"},
		{"direct cast", "/v1.0/users/" + adaID + "/memberOf/microsoft.graph.group", []string{salesID, loopBID}, "groups"},
		{"transitive follows nesting and survives a cycle", "/v1.0/users/" + adaID + "/transitiveMemberOf", []string{salesID, staffID, loopAID, loopBID}, "directoryObjects"},
		{"transitive cast", "/v1.0/users/" + alanID + "/transitiveMemberOf/microsoft.graph.group", []string{salesID, staffID}, "groups"},
		{"no groups", "/v1.0/users/" + zoeID + "/transitiveMemberOf", nil, "directoryObjects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, srv, tt.path)
			wantStatus(t, r, 200)
			got := r.ids(t)
			if !sameSet(got, tt.want) {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
			seen := map[string]bool{}
			for _, id := range got {
				if seen[id] {
					t.Errorf("duplicate group %s", id)
				}
				seen[id] = true
			}
			for _, v := range r.values(t) {
				if v["@odata.type"] != "#microsoft.graph.group" {
					t.Errorf("item without @odata.type: %v", v)
				}
			}
			if ctx := r.obj(t)["@odata.context"]; ctx != srv.URL()+"/v1.0/$metadata#"+tt.context {
				t.Errorf("@odata.context = %v", ctx)
			}
		})
	}
}

func TestMemberOfSelectTopPaging(t *testing.T) {
	srv := newFixtureServer(t)
	next := srv.URL() + withQuery("/v1.0/users/"+adaID+"/transitiveMemberOf", "$select", "id,displayName", "$top", "3")
	var all []string
	for next != "" {
		r := send(t, "GET", next, "")
		wantStatus(t, r, 200)
		for _, v := range r.values(t) {
			if len(v) != 3 { // id, displayName, @odata.type
				t.Errorf("selected item = %v", v)
			}
			all = append(all, v["id"].(string))
		}
		next, _ = r.obj(t)["@odata.nextLink"].(string)
	}
	if !sameSet(all, []string{salesID, staffID, loopAID, loopBID}) {
		t.Errorf("all pages = %v", all)
	}
}

func TestMemberOfErrors(t *testing.T) {
	srv := newFixtureServer(t)
	wantError(t, get(t, srv, "/v1.0/users/nobody/memberOf"), 404, "Request_ResourceNotFound", "nobody")
	r := get(t, srv, withQuery("/v1.0/users/"+adaID+"/memberOf", "$filter", "displayName eq 'Sales'"))
	wantError(t, r, 400, "Request_UnsupportedQuery", "required parameters might be missing")
	r = get(t, srv, withQuery("/v1.0/users/"+adaID+"/transitiveMemberOf/microsoft.graph.group",
		"$filter", "startswith(displayName,'loop')", "$count", "true"), advancedHeaders()...)
	wantStatus(t, r, 200)
	if got := r.ids(t); !sameSet(got, []string{loopAID, loopBID}) {
		t.Errorf("advanced filter ids = %v", got)
	}
	if r.obj(t)["@odata.count"] != jsonNumber("2") {
		t.Errorf("@odata.count = %v", r.obj(t)["@odata.count"])
	}
}

func TestCheckMemberGroups(t *testing.T) {
	srv := newFixtureServer(t)
	post := func(user, body string) result {
		return send(t, "POST", srv.URL()+"/v1.0/users/"+user+"/checkMemberGroups", body)
	}
	r := post(adaID, fmt.Sprintf(`{"groupIds": [%q, %q, %q]}`, staffID, "99999999-9999-4999-8999-999999999999", loopAID))
	wantStatus(t, r, 200)
	body := r.obj(t)
	got, _ := body["value"].([]any)
	if len(got) != 2 || got[0] != staffID || got[1] != loopAID {
		t.Errorf("value = %v, want [staff loopA] in the order asked", got)
	}
	if body["@odata.context"] != srv.URL()+"/v1.0/$metadata#Collection(Edm.String)" {
		t.Errorf("@odata.context = %v", body["@odata.context"])
	}

	r = post(zoeID, fmt.Sprintf(`{"groupIds": [%q]}`, salesID))
	wantStatus(t, r, 200)
	if v := r.obj(t)["value"].([]any); len(v) != 0 {
		t.Errorf("value = %v, want []", v)
	}

	var many []string
	for i := 0; i < 21; i++ {
		many = append(many, fmt.Sprintf("%q", fmt.Sprintf("%08d-0000-4000-8000-000000000000", i)))
	}
	wantError(t, post(adaID, `{"groupIds": [`+strings.Join(many, ",")+`]}`), 400, "Request_BadRequest", "20")
	wantError(t, post(adaID, `{"groupIds": ["not-a-guid"]}`), 400, "Request_BadRequest", "Invalid object identifier 'not-a-guid'.")
	wantError(t, post(adaID, ``), 400, "BadRequest", "Empty Payload. JSON content expected.")
	wantError(t, post(adaID, `{"groupIds": `), 400, "BadRequest", "Invalid JSON")
	wantError(t, post(adaID, `{}`), 400, "Request_BadRequest", "groupIds")
	wantError(t, post("nobody", `{"groupIds": []}`), 404, "Request_ResourceNotFound", "nobody")
	wantError(t, get(t, srv, "/v1.0/users/"+adaID+"/checkMemberGroups"), 405, "Request_BadRequest", "method is not allowed")
}

// msgraph-sdk-go sends the short cast segment and gzips POST bodies.
func TestSDKWireForms(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/users/"+adaID+"/transitiveMemberOf/graph.group")
	wantStatus(t, r, 200)
	if got := r.ids(t); !sameSet(got, []string{salesID, staffID, loopAID, loopBID}) {
		t.Errorf("graph.group cast ids = %v", got)
	}
	wantStatus(t, get(t, srv, "/v1.0/directory/deletedItems/graph.user"), 200)

	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	fmt.Fprintf(zw, `{"groupIds": [%q]}`, staffID)
	zw.Close()
	req, err := http.NewRequestWithContext(t.Context(), "POST", srv.URL()+"/v1.0/users/"+adaID+"/checkMemberGroups", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(data), staffID) {
		t.Errorf("gzipped checkMemberGroups = %d %s", resp.StatusCode, data)
	}
	reqs := srv.Requests()
	if last := reqs[len(reqs)-1]; !strings.Contains(string(last.Body), staffID) || last.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("logged request = %+v", last)
	}
}
