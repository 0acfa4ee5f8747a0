package fakegraph

import (
	"strings"
	"testing"
)

func TestParseFilterAccepts(t *testing.T) {
	valid := []string{
		"mail eq 'ada@contoso.com'",
		"displayName eq 'O''Brien'",
		"displayName eq ''''",
		"displayName eq ''",
		"startswith(displayName,'Zoë 🚀')",
		"startsWith(displayName, 'A') OR startsWith(givenName, 'A')",
		"(mail eq 'a' or mail eq 'b') and accountEnabled eq true",
		"NOT (userType eq 'Guest')",
		"not startswith(displayName,'A')",
		"resourceId eq 8e881353-1735-45af-af21-ee1344582a4d",
		"appOwnerOrganizationId eq 72F988BF-86F1-41AF-91AB-2D7CD011DB47",
		"activityDateTime gt 2022-12-10 and activityDateTime lt 2022-12-11",
		"activityDateTime ge 2024-05-01T08:30:00Z",
		"activityDateTime le 2024-05-01T08:30:00.1234567+02:00",
		"durationInMilliseconds gt 100",
		"tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')",
		"targetResources/any(t: t/id eq 'x')",
		"targetResources/any(t:startswith(t/displayName,'Sal'))",
		"mail in ('a@contoso.com', 'b@contoso.com')",
		"((contains(tolower(servicePrincipal/id), 'abc') or contains(tolower(servicePrincipal/displayName), 'abc')) and activityDateTime gt 2022-12-10)",
		"companyName eq null",
		"accountEnabled eq false",
		"id eq 'deadbeef'",
	}
	for _, f := range valid {
		t.Run(f, func(t *testing.T) {
			if _, err := parseFilter(f); err != nil {
				t.Errorf("parseFilter(%q): %v", f, err)
			}
		})
	}
}

func TestParseFilterRejects(t *testing.T) {
	tests := []struct {
		filter, want string
	}{
		{"displayName eq 'O'Brien'", "unterminated string literal at position 23"},
		{"displayName eq 'open", "unterminated string literal at position 15"},
		{"", "Expression expected at position 0"},
		{"   ", "Expression expected"},
		{"mail eq", "Expression expected at position 7"},
		{"eq 'x'", "Expression expected at position 0"},
		{"mail eq 'a' and", "Expression expected"},
		{"startswith(displayName,%27Kamolika%27)", "character '%' is not valid at position 23"},
		{"(mail eq 'a'", "')' or operator expected"},
		{"mail eq 'a')", "Syntax error at position 11"},
		{"startswith(displayName 'a')", "')' or ',' expected"},
		{"mail eq 'a' mail eq 'b'", "Syntax error at position 12"},
		{"mail eq \"a\"", "character '\"' is not valid"},
		{"tags/any(t t eq 'a')", "':' expected"},
		{"mail in ('a' 'b')", "')' or ',' expected"},
		{"mail/", "Identifier expected"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			_, err := parseFilter(tt.filter)
			if err == nil {
				t.Fatalf("parseFilter(%q) succeeded, want a syntax error", tt.filter)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseFilter(%q) error = %q, want it to contain %q", tt.filter, err, tt.want)
			}
		})
	}
}

func TestLexStringUnescapesDoubledQuotes(t *testing.T) {
	toks, err := lex("surname eq 'O''Brien' or surname eq 'Zoë 🚀'''")
	if err != nil {
		t.Fatalf("lex: %v", err)
	}
	var strs []string
	for _, tok := range toks {
		if tok.kind == tokString {
			strs = append(strs, tok.text)
		}
	}
	if len(strs) != 2 || strs[0] != "O'Brien" || strs[1] != "Zoë 🚀'" {
		t.Errorf("string literals = %q", strs)
	}
}

func TestLexLiteralKinds(t *testing.T) {
	tests := []struct {
		src  string
		kind tokenKind
	}{
		{"8e881353-1735-45af-af21-ee1344582a4d", tokGUID},
		{"ee881353-1735-45af-af21-ee1344582a4d", tokGUID},
		{"2024-05-01", tokDate},
		{"2024-05-01T08:30:00Z", tokDateTime},
		{"2024-05-01T08:30Z", tokDateTime},
		{"42", tokNumber},
		{"-7", tokNumber},
		{"3.14", tokNumber},
		{"deadbeef", tokIdent},
		{"microsoft.graph.group", tokIdent},
	}
	for _, tt := range tests {
		toks, err := lex(tt.src)
		if err != nil {
			t.Errorf("lex(%q): %v", tt.src, err)
			continue
		}
		if len(toks) != 2 || toks[0].kind != tt.kind || toks[0].text != tt.src {
			t.Errorf("lex(%q) = %+v, want one token of kind %d", tt.src, toks, tt.kind)
		}
	}
}

// TestCompileFilterSemantics runs the binder directly on small objects.
func TestCompileFilterSemantics(t *testing.T) {
	cat := newCatalog()
	user := Object{"id": "u1", "displayName": "Zoë 🚀 Müller", "surname": "O'Brien", "mail": "Zoe@Contoso.com",
		"accountEnabled": true, "proxyAddresses": []any{"SMTP:zoe@contoso.com"}}
	prov := Object{"id": "p1", "jobId": "Job.ABC", "activityDateTime": "2025-03-01T10:00:00Z",
		"durationInMilliseconds": jsonNumber("2785"),
		"servicePrincipal":       map[string]any{"id": "SP-1", "displayName": "Salesforce"},
		"sourceIdentity":         map[string]any{"id": "u1", "displayName": ""}}
	audit := Object{"id": "d1", "activityDisplayName": "Add member to group", "activityDateTime": "2025-03-01T10:00:00Z",
		"targetResources": []any{map[string]any{"id": "u1", "displayName": nil}, map[string]any{"id": "g1", "displayName": "Sales"}}}
	tests := []struct {
		schema   *filterSchema
		obj      Object
		filter   string
		advanced bool
		want     bool
	}{
		{cat.userFilter, user, "displayName eq 'zoë 🚀 müller'", false, true},
		{cat.userFilter, user, "startswith(displayName,'ZOË 🚀')", false, true},
		{cat.userFilter, user, "surname eq 'O''Brien'", false, true},
		{cat.userFilter, user, "surname eq 'OBrien'", false, false},
		{cat.userFilter, user, "mail eq 'zoe@contoso.com' and accountEnabled eq true", false, true},
		{cat.userFilter, user, "mail eq 'x' or accountEnabled eq false", false, false},
		{cat.userFilter, user, "mail in ('a@b.c', 'ZOE@contoso.com')", false, true},
		{cat.userFilter, user, "proxyAddresses/any(p:p eq 'smtp:ZOE@contoso.com')", false, true},
		{cat.userFilter, user, "endswith(mail,'@contoso.com')", true, true},
		{cat.userFilter, user, "not(accountEnabled eq true)", true, false},
		{cat.userFilter, user, "mail ne 'x'", true, true},
		{cat.userFilter, user, "jobTitle eq null", false, true},
		{cat.provisioningFilter, prov, "jobId eq 'Job.ABC'", false, true},
		{cat.provisioningFilter, prov, "jobId eq 'job.abc'", false, false},
		{cat.provisioningFilter, prov, "jobid eq 'Job.ABC'", false, true},
		{cat.provisioningFilter, prov, "contains(jobId,'ABC')", false, true},
		{cat.provisioningFilter, prov, "contains(tolower(servicePrincipal/id), 'sp-1')", false, true},
		{cat.provisioningFilter, prov, "servicePrincipal/name eq 'Salesforce'", false, true},
		{cat.provisioningFilter, prov, "activityDateTime gt 2025-03-01 and activityDateTime lt 2025-03-02", false, true},
		{cat.provisioningFilter, prov, "activityDateTime gt 2025-03-01T10:00:00Z", false, false},
		{cat.provisioningFilter, prov, "activityDateTime eq 2025-03-01T11:00:00+01:00", false, true},
		{cat.provisioningFilter, prov, "durationInMilliseconds gt 2000", false, true},
		{cat.provisioningFilter, prov, "sourceIdentity/displayName eq ''", false, true},
		{cat.auditFilter, audit, "targetResources/any(t:t/id eq 'g1')", false, true},
		{cat.auditFilter, audit, "targetResources/any(t:startswith(t/displayName,'Sal')) and activityDateTime le 2025-03-01T10:00:00Z", false, true},
		{cat.auditFilter, audit, "targetResources/any(t:t/id eq 'G1')", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			match, err := compileFilter(tt.filter, tt.schema, tt.advanced)
			if err != nil {
				t.Fatalf("compileFilter: %v", err)
			}
			if got := match(tt.obj); got != tt.want {
				t.Errorf("match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCompileFilterRefusals(t *testing.T) {
	cat := newCatalog()
	tests := []struct {
		schema     *filterSchema
		filter     string
		code, want string
	}{
		{cat.userFilter, "mail eq 'x' or 1 eq 1 or 'a'", codeUnsupportedQuery, "Unsupported Query."},
		{cat.userFilter, "1 eq 1", codeUnsupportedQuery, "Unsupported Query."},
		{cat.userFilter, "'a'", codeBadRequest, "must evaluate to a single boolean value"},
		{cat.userFilter, "accountEnabled", codeUnsupportedQuery, "property 'accountEnabled'"},
		{cat.userFilter, "endswith(mail,'x')", codeUnsupportedQuery, "Operator 'endsWith' is not supported because the required parameters might be missing"},
		{cat.userFilter, "endswith(displayName,'x')", codeUnsupportedQuery, "property 'displayName'"},
		{cat.userFilter, "mail ne 'x'", codeUnsupportedQuery, "Operator 'ne'"},
		{cat.userFilter, "not(mail eq 'x')", codeUnsupportedQuery, "Operator 'not'"},
		{cat.userFilter, "officeLocation eq 'x'", codeUnsupportedQuery, "Unsupported or invalid query filter clause specified for property 'officeLocation' of resource 'User'."},
		{cat.userFilter, "nosuch eq 'x'", codeBadRequest, "Could not find a property named 'nosuch' on type 'microsoft.graph.user'."},
		{cat.userFilter, "accountEnabled eq 'true'", codeBadRequest, "incompatible types"},
		{cat.userFilter, "mail eq 42", codeBadRequest, "incompatible types"},
		{cat.userFilter, "contains(mail,'x')", codeUnsupportedQuery, "property 'mail'"},
		{cat.userFilter, "substringof('x',mail)", codeBadRequest, "unknown function with name 'substringof'"},
		{cat.userFilter, "tolower(mail) eq 'x'", codeUnsupportedQuery, "property 'mail'"},
		{cat.userFilter, "imAddresses/all(i:i eq 'x')", codeUnsupportedQuery, "imAddresses"},
		{cat.userFilter, "mail/any(m:m eq 'x')", codeBadRequest, "can only be applied to collection properties"},
		{cat.assignmentFilter, "resourceId eq '8e881353-1735-45af-af21-ee1344582a4d'", codeBadRequest, "Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'"},
		{cat.spFilter, "appId eq f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1", codeBadRequest, "'Edm.String' and 'Edm.Guid'"},
		{cat.spFilter, "tags/any(t:startswith(t,'Win'))", codeUnsupportedQuery, "property 'tags'"},
		{cat.provisioningFilter, "activityDateTime ge 2025-03-01", codeBadRequest, "activityDateTime"},
		{cat.provisioningFilter, "activityDateTime gt '2025-03-01'", codeBadRequest, "incompatible types"},
		{cat.provisioningFilter, "startswith(jobId,'x')", codeBadRequest, "jobId"},
		{cat.provisioningFilter, "jobId ne 'x'", codeBadRequest, "jobId"},
		{cat.provisioningFilter, "not(jobId eq 'x')", codeBadRequest, "not supported"},
		{cat.provisioningFilter, "servicePrincipal/name eq 'x' and contains(servicePrincipal/name,'x')", codeBadRequest, "servicePrincipal/name"},
		{cat.provisioningFilter, "provisioningSteps/any(s:s/name eq 'x')", codeBadRequest, "provisioningSteps"},
		{cat.provisioningFilter, "userPrincipalName eq 'x'", codeBadRequest, "Could not find a property named 'userPrincipalName'"},
		{cat.auditFilter, "activityDateTime gt 2025-03-01", codeBadRequest, "activityDateTime"},
		{cat.auditFilter, "activityDisplayName eq 'a' or activityDisplayName eq 'b'", codeBadRequest, "not supported"},
		{cat.auditFilter, "targetResources/any(t:t/type eq 'User')", codeBadRequest, "targetResources/type"},
		{cat.auditFilter, "correlationId eq 'da159bfb-54fa-4092-8a38-6e1fa7870e30'", codeBadRequest, "incompatible types"},
		{cat.memberOfFilter, "displayName eq 'Sales'", codeUnsupportedQuery, "required parameters might be missing"},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			_, err := compileFilter(tt.filter, tt.schema, false)
			if err == nil {
				t.Fatalf("compileFilter(%q) succeeded, want %s", tt.filter, tt.code)
			}
			if err.status != 400 || err.code != tt.code || !strings.Contains(err.message, tt.want) {
				t.Errorf("compileFilter(%q) = %d %s %q; want 400 %s containing %q", tt.filter, err.status, err.code, err.message, tt.code, tt.want)
			}
		})
	}
}
