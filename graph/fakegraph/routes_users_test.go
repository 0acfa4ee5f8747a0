package fakegraph

import (
	"net/url"
	"strings"
	"testing"
)

func TestGetUser(t *testing.T) {
	srv := newFixtureServer(t)
	tests := []struct {
		name, path string
	}{
		{"by id", "/v1.0/users/" + adaID},
		{"by id in upper case", "/v1.0/users/" + strings.ToUpper(adaID)},
		{"by upn", "/v1.0/users/ada@contoso.com"},
		{"by upn in other case", "/v1.0/users/ADA@Contoso.COM"},
		{"beta-free path case", "/v1.0/Users/ada@contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, srv, tt.path)
			wantStatus(t, r, 200)
			u := r.obj(t)
			if u["id"] != adaID || u["displayName"] != "Ada Lovelace" {
				t.Errorf("user = %v", u)
			}
			if u["@odata.context"] != srv.URL()+"/v1.0/$metadata#users/$entity" {
				t.Errorf("@odata.context = %v", u["@odata.context"])
			}
		})
	}
}

func TestGetUserGuestUPN(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/users/"+url.PathEscape("grace_fabrikam.com#EXT#@contoso.onmicrosoft.com"))
	wantStatus(t, r, 200)
	if r.obj(t)["id"] != graceID {
		t.Errorf("got %s", r.body)
	}
}

func TestGetUserDefaultPropertiesOnly(t *testing.T) {
	srv := newFixtureServer(t)
	u := get(t, srv, "/v1.0/users/"+adaID).obj(t)
	want := []string{"@odata.context", "businessPhones", "displayName", "givenName", "id", "jobTitle", "mail",
		"mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"}
	var got []string
	for k := range u {
		got = append(got, k)
	}
	if !sameSet(got, want) {
		t.Errorf("default properties = %v, want %v", got, want)
	}
	if u["mobilePhone"] != nil {
		t.Errorf("unset default property = %v, want null", u["mobilePhone"])
	}
	if phones, ok := u["businessPhones"].([]any); !ok || len(phones) != 0 {
		t.Errorf("businessPhones = %v, want []", u["businessPhones"])
	}
}

func TestGetUserSelect(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, withQuery("/v1.0/users/ada@contoso.com", "$select", "id,accountEnabled,userType,createdDateTime,employeeId"))
	wantStatus(t, r, 200)
	u := r.obj(t)
	if u["accountEnabled"] != true || u["userType"] != "Member" || u["createdDateTime"] != "2024-01-26T12:00:00Z" {
		t.Errorf("selected user = %v", u)
	}
	if _, ok := u["employeeId"]; !ok || u["employeeId"] != nil {
		t.Errorf("selected but unset property should be null, got %v", u)
	}
	if _, ok := u["displayName"]; ok {
		t.Errorf("unselected property returned: %v", u)
	}
	if !strings.HasSuffix(u["@odata.context"].(string), "#users(id,accountEnabled,userType,createdDateTime,employeeId)/$entity") {
		t.Errorf("@odata.context = %v", u["@odata.context"])
	}
}

func TestGetUserErrors(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/users/nobody@contoso.com")
	wantError(t, r, 404, "Request_ResourceNotFound", "Resource 'nobody@contoso.com' does not exist")
	r = get(t, srv, "/v1.0/users/"+deletedID)
	wantError(t, r, 404, "Request_ResourceNotFound", deletedID)
	r = get(t, srv, withQuery("/v1.0/users/"+adaID, "$select", "nosuch"))
	wantError(t, r, 400, "BadRequest", "Could not find a property named 'nosuch' on type 'microsoft.graph.user'")
	r = get(t, srv, withQuery("/v1.0/users/"+adaID, "$expand", "manager"))
	wantError(t, r, 400, "Request_BadRequest", "'$expand' is not supported")
}

func TestListUsersFilters(t *testing.T) {
	srv := newFixtureServer(t)
	tests := []struct {
		name, filter string
		advanced     bool
		want         []string
	}{
		{"mail eq", "mail eq 'ada@contoso.com'", false, []string{adaID}},
		{"mail eq ignores case", "mail eq 'conan.obrien@CONTOSO.com'", false, []string{conanID}},
		{"upn eq", "userPrincipalName eq 'alan@contoso.com'", false, []string{alanID}},
		{"guest upn eq", "userPrincipalName eq 'grace_fabrikam.com#EXT#@contoso.onmicrosoft.com'", false, []string{graceID}},
		{"id eq", "id eq '" + zoeID + "'", false, []string{zoeID}},
		{"escaped quote", "surname eq 'O''Brien'", false, []string{conanID}},
		{"escaped quote in startswith", "startswith(displayName,'Conan O''B')", false, []string{conanID}},
		{"unicode and emoji", "displayName eq 'Zoë 🚀 Müller'", false, []string{zoeID}},
		{"emoji prefix", "startswith(displayName,'zoë 🚀')", false, []string{zoeID}},
		{"startswith givenName", "startswith(givenName,'a')", false, []string{adaID, alanID}},
		{"startswith surname", "startswith(surname,'Tur')", false, []string{alanID}},
		{"startswith mail", "startswith(mail,'grace@')", false, []string{graceID}},
		{"startswith upn", "startswith(userPrincipalName,'zoe')", false, []string{zoeID}},
		{"or of the documented kind", "startswith(displayName,'alan') or startswith(givenName,'alan') or startswith(surname,'alan') or startswith(mail,'alan') or startswith(userPrincipalName,'alan')", false, []string{alanID}},
		{"and", "startswith(displayName,'A') and accountEnabled eq true", false, []string{adaID, alanID}},
		{"parentheses", "(mail eq 'ada@contoso.com' or mail eq 'zoe@contoso.com') and userType eq 'Member'", false, []string{adaID, zoeID}},
		{"in", "mail in ('ada@contoso.com', 'alan@contoso.com')", false, []string{adaID, alanID}},
		{"guest users", "userType eq 'Guest'", false, []string{graceID}},
		{"disabled users", "accountEnabled eq false", false, []string{conanID}},
		{"proxyAddresses any ignores case", "proxyAddresses/any(p:p eq 'SMTP:ADA.LOVELACE@contoso.com')", false, []string{adaID}},
		{"no match", "mail eq 'nobody@contoso.com'", false, nil},
		{"endswith advanced", "endswith(mail,'@contoso.com')", true, []string{adaID, conanID, zoeID, alanID}},
		{"ne advanced", "userType ne 'Member'", true, []string{graceID}},
		{"not advanced", "not(accountEnabled eq true)", true, []string{conanID}},
		{"createdDateTime advanced", "createdDateTime ge 2025-02-19T00:00:00Z", true, []string{zoeID, graceID, alanID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kv := []string{"$filter", tt.filter}
			var hdr []string
			if tt.advanced {
				kv = append(kv, "$count", "true")
				hdr = advancedHeaders()
			}
			r := get(t, srv, withQuery("/v1.0/users", kv...), hdr...)
			wantStatus(t, r, 200)
			if got := r.ids(t); !sameSet(got, tt.want) {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestListUsersRefusals(t *testing.T) {
	srv := newFixtureServer(t)
	tests := []struct {
		name    string
		query   []string
		headers []string
		status  int
		code    string
		msg     string
	}{
		{"unescaped quote", []string{"$filter", "displayName eq 'O'Brien'"}, nil, 400, "BadRequest", "Invalid filter clause: There is an unterminated string literal"},
		{"injection", []string{"$filter", "mail eq 'x' or 1 eq 1 or 'a'"}, nil, 400, "Request_UnsupportedQuery", "Unsupported Query."},
		{"injection closing the literal", []string{"$filter", "mail eq 'x' or 'a' eq 'a'"}, nil, 400, "Request_UnsupportedQuery", "Unsupported Query."},
		{"endswith without advanced", []string{"$filter", "endswith(mail,'@contoso.com')"}, nil, 400, "Request_UnsupportedQuery", "Operator 'endsWith' is not supported because the required parameters might be missing"},
		{"endswith with header but no count", []string{"$filter", "endswith(mail,'@contoso.com')"}, advancedHeaders(), 400, "Request_UnsupportedQuery", "Operator 'endsWith'"},
		{"endswith with count but no header", []string{"$filter", "endswith(mail,'@contoso.com')", "$count", "true"}, nil, 400, "Request_UnsupportedQuery", "Operator 'endsWith'"},
		{"ne without advanced", []string{"$filter", "userType ne 'Guest'"}, nil, 400, "Request_UnsupportedQuery", "Operator 'ne'"},
		{"not without advanced", []string{"$filter", "not(userType eq 'Guest')"}, nil, 400, "Request_UnsupportedQuery", "Operator 'not'"},
		{"unsupported property", []string{"$filter", "officeLocation eq 'Paris'"}, nil, 400, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property 'officeLocation' of resource 'User'."},
		{"unknown property", []string{"$filter", "shoeSize eq '42'"}, nil, 400, "BadRequest", "Could not find a property named 'shoeSize'"},
		{"contains on users", []string{"$filter", "contains(displayName,'a')"}, nil, 400, "Request_UnsupportedQuery", "property 'displayName'"},
		{"sort with filter", []string{"$filter", "startswith(displayName,'A')", "$orderby", "displayName"}, nil, 400, "Request_UnsupportedQuery", "Sorting not supported for current query."},
		{"sort on createdDateTime", []string{"$orderby", "createdDateTime"}, nil, 400, "Request_UnsupportedQuery", "Sorting not supported"},
		{"top too large", []string{"$top", "1000"}, nil, 400, "Request_UnsupportedQuery", "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."},
		{"top zero", []string{"$top", "0"}, nil, 400, "Request_UnsupportedQuery", "Invalid page size specified: '0'"},
		{"top not a number", []string{"$top", "ten"}, nil, 400, "BadRequest", "$top"},
		{"skip", []string{"$skip", "2"}, nil, 400, "Request_BadRequest", "'$skip' is not supported by the service."},
		{"unknown option", []string{"$frobnicate", "1"}, nil, 400, "BadRequest", "Unrecognized query argument specified: '$frobnicate'."},
		{"duplicate option", []string{"$top", "1", "$top", "2"}, nil, 400, "BadRequest", "more than once"},
		{"search without header", []string{"$search", `"displayName:ada"`}, nil, 400, "Request_UnsupportedQuery", "only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"},
		{"bad skiptoken", []string{"$skiptoken", "garbage!"}, nil, 400, "Request_BadRequest", "$skiptoken"},
		{"empty filter", []string{"$filter", ""}, nil, 400, "BadRequest", "Invalid filter clause: Expression expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, srv, withQuery("/v1.0/users", tt.query...), tt.headers...)
			wantError(t, r, tt.status, tt.code, tt.msg)
		})
	}
}

func TestListUsersPagingToTheEnd(t *testing.T) {
	srv := newFixtureServer(t)
	next := srv.URL() + withQuery("/v1.0/users", "$select", "id,displayName", "$top", "2")
	var all []string
	pages := 0
	for next != "" {
		r := send(t, "GET", next, "")
		wantStatus(t, r, 200)
		pages++
		body := r.obj(t)
		for _, v := range r.values(t) {
			all = append(all, v["id"].(string))
			if len(v) != 2 {
				t.Errorf("page item has %d properties, want id and displayName: %v", len(v), v)
			}
		}
		next, _ = body["@odata.nextLink"].(string)
		if next != "" {
			if !strings.HasPrefix(next, srv.URL()+"/v1.0/users?") || !strings.Contains(next, "$skiptoken=") {
				t.Fatalf("nextLink = %q", next)
			}
			if !strings.Contains(next, "%24top=2") {
				t.Errorf("nextLink lost $top: %q", next)
			}
		}
	}
	want := []string{adaID, conanID, zoeID, graceID, alanID}
	if pages != 3 || strings.Join(all, ",") != strings.Join(want, ",") {
		t.Errorf("pages = %d, ids = %v; want 3 pages of %v", pages, all, want)
	}
}

func TestListUsersDefaultPageSize(t *testing.T) {
	srv := newFixtureServer(t, WithPageSize(3))
	r := get(t, srv, "/v1.0/users")
	wantStatus(t, r, 200)
	if got := len(r.values(t)); got != 3 {
		t.Errorf("page size = %d, want 3", got)
	}
	if _, ok := r.obj(t)["@odata.nextLink"]; !ok {
		t.Error("no @odata.nextLink on a partial page")
	}
}

func TestListUsersOrderByAndCount(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, withQuery("/v1.0/users", "$orderby", "displayName desc", "$select", "id"))
	wantStatus(t, r, 200)
	want := []string{zoeID, graceID, conanID, alanID, adaID}
	if got := r.ids(t); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ordered ids = %v, want %v", got, want)
	}
	if _, ok := r.obj(t)["@odata.count"]; ok {
		t.Error("@odata.count without advanced query parameters")
	}

	r = get(t, srv, withQuery("/v1.0/users", "$filter", "startswith(displayName,'A')", "$orderby", "displayName desc", "$count", "true", "$top", "1"), advancedHeaders()...)
	wantStatus(t, r, 200)
	body := r.obj(t)
	if body["@odata.count"] != jsonNumber("2") {
		t.Errorf("@odata.count = %v, want 2", body["@odata.count"])
	}
	if got := r.ids(t); len(got) != 1 || got[0] != alanID {
		t.Errorf("ids = %v, want [alan]", got)
	}

	// $count=true without the header is silently ignored.
	r = get(t, srv, withQuery("/v1.0/users", "$count", "true"))
	wantStatus(t, r, 200)
	if _, ok := r.obj(t)["@odata.count"]; ok {
		t.Error("@odata.count without ConsistencyLevel")
	}
}

func TestListDeletedUsers(t *testing.T) {
	srv := newFixtureServer(t)
	r := get(t, srv, "/v1.0/directory/deletedItems/microsoft.graph.user")
	wantStatus(t, r, 200)
	if got := r.ids(t); !sameSet(got, []string{deletedID}) {
		t.Errorf("ids = %v", got)
	}
	r = get(t, srv, withQuery("/v1.0/directory/deletedItems/microsoft.graph.user",
		"$filter", "mail eq 'OLD.TIMER@contoso.com'", "$select", "id,deletedDateTime"))
	wantStatus(t, r, 200)
	v := r.values(t)
	if len(v) != 1 || v[0]["deletedDateTime"] != "2025-02-27T12:00:00Z" {
		t.Errorf("deleted users = %v", v)
	}
	r = get(t, srv, withQuery("/v1.0/directory/deletedItems/microsoft.graph.user", "$orderby", "deletedDateTime desc"))
	wantError(t, r, 400, "Request_UnsupportedQuery", "Sorting not supported")
	r = get(t, srv, withQuery("/v1.0/directory/deletedItems/microsoft.graph.user", "$filter", "endswith(mail,'x')"))
	wantError(t, r, 400, "Request_UnsupportedQuery", "Operator 'endsWith'")
}
