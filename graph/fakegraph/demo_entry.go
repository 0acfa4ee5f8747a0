package fakegraph

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// entry builds one provisioningObjectSummary in Graph's wire shape for
// user u at time at. kind is update, skip (nothing to change), create
// (success), fail (an update whose export failed; the caller sets the
// error) or a stagedDelete spelling. Mixed casing of step types and the
// initiatingType spelling appear on some entries, as in the docs'
// examples.
func (g *demoGen) entry(u Object, at time.Time, cycle, kind string) Object {
	r := g.current
	upn := demoStr(u["userPrincipalName"])
	name := demoStr(u["displayName"])
	capital := r.IntN(3) == 0
	initiator := "initiatorType"
	if r.IntN(10) == 0 {
		initiator = "initiatingType"
	}
	targetID := g.targetID(demoStr(u["id"]))
	action, status := "update", "success"
	var steps []any
	var modified []any
	steps = append(steps, demoStep("EntryImport", "import", "success", capital,
		fmt.Sprintf("Retrieved User '%s' from Azure Active Directory", upn), demoImportDetails(u)))
	switch kind {
	case "create":
		action = "create"
		steps = append(steps,
			demoStep("EntrySynchronizationScoping", "scoping", "success", false, demoScopeText, demoScopeDetails(true)),
			demoStep("EntrySynchronizationAdd", "matching", "success", false, fmt.Sprintf(
				"User '%s' will be created in %s (User is active and assigned in Azure Active Directory, but no matching User was found in %s)",
				upn, g.name, g.name), Object{}),
			demoStep("EntryExportAdd", "export", "success", capital, fmt.Sprintf("User '%s' was created in %s", upn, g.name),
				Object{"ReportableIdentifier": upn}))
		modified = g.createProps(u)
	case "skip":
		action, status = "other", "skipped"
		steps = append(steps,
			demoStep("EntrySynchronizationScoping", "scoping", "success", false, demoScopeText, demoScopeDetails(true)),
			demoStep("EntryImport", "matching", "success", false, fmt.Sprintf("Retrieved '%s' from %s", upn, g.name), Object{}),
			demoStep("EntrySynchronizationSkip", "export", "skipped", capital,
				"The state of the user in both the source and target systems already match. No change to the user needs to be made.",
				Object{"SkipReason": "RedundantExport"}))
	case "stagedDelete", "stageddelete":
		action = kind
		steps = append(steps,
			demoStep("EntrySynchronizationScoping", "scoping", "success", false, demoScopeText, demoScopeDetails(false)),
			demoStep("EntryImport", "matching", "success", false, fmt.Sprintf("Retrieved '%s' from %s", upn, g.name), Object{}),
			demoStep("EntryExportStagedDelete", "export", "success", capital, fmt.Sprintf(
				"The deletion of User '%s' in %s was held back: the number of deletions in this cycle exceeds the accidental deletion threshold.",
				upn, g.name), Object{"ReportableIdentifier": upn}))
	default: // update, fail
		exportStatus, exportText := "success", fmt.Sprintf("User '%s' was updated in %s", upn, g.name)
		if kind == "fail" {
			exportStatus, exportText = "failure", fmt.Sprintf("Failed to update User '%s' in %s", upn, g.name)
		}
		steps = append(steps,
			demoStep("EntrySynchronizationScoping", "scoping", "success", false, demoScopeText, demoScopeDetails(true)),
			demoStep("EntryImport", "matching", "success", false, fmt.Sprintf("Retrieved '%s' from %s", upn, g.name), Object{}),
			demoStep("EntrySynchronizationUpdate", "processing", "success", false, fmt.Sprintf(
				"User '%s' will be updated in %s (User is active and assigned in Azure Active Directory, and its attributes differ from those of the matching User in %s)",
				upn, g.name, g.name), Object{}),
			demoStep("EntryExportUpdate", "export", exportStatus, capital, exportText, Object{"ReportableIdentifier": upn}))
		modified = g.change(u)
	}
	source := Object{"id": demoStr(u["id"]), "displayName": name, "identityType": "User", "details": Object{}}
	if g.style == "entra" {
		source["details"] = Object{"UserPrincipalName": upn}
	}
	return Object{
		"id":                     demoGUID(r),
		"activityDateTime":       at.UTC().Format(time.RFC3339),
		"tenantId":               g.tenant,
		"jobId":                  g.jobID,
		"cycleId":                demoGUID(demoRand(g.name, "cycle", cycle)),
		"changeId":               demoGUID(r),
		"provisioningAction":     action,
		"durationInMilliseconds": json.Number(strconv.Itoa(200 + r.IntN(3800))),
		"sourceSystem":           demoCopy(g.source),
		"targetSystem":           demoCopy(g.target),
		"initiatedBy":            Object{"id": "", "displayName": "Azure AD Provisioning Service", initiator: "system"},
		"servicePrincipal":       Object{"id": g.spID, "displayName": g.name},
		"sourceIdentity":         source,
		"targetIdentity":         Object{"id": targetID, "displayName": name, "identityType": g.targetType(), "details": Object{}},
		"provisioningStatusInfo": Object{"status": status, "errorInformation": nil},
		"provisioningSteps":      steps,
		"modifiedProperties":     modified,
	}
}

const demoScopeText = "Determine if User in scope by evaluating against each scoping filter"

// demoStep is one provisioningStep; capital writes the type as "Import".
func demoStep(name, typ, status string, capital bool, description string, details Object) Object {
	if capital {
		typ = strings.ToUpper(typ[:1]) + typ[1:]
	}
	return Object{"name": name, "provisioningStepType": typ, "status": status, "description": description, "details": details}
}

// demoImportDetails are the source values the import step read.
func demoImportDetails(u Object) Object {
	d := Object{"objectId": demoStr(u["id"]), "userPrincipalName": demoStr(u["userPrincipalName"])}
	for _, k := range []string{"displayName", "givenName", "surname", "mail", "department", "jobTitle"} {
		if v := demoStr(u[k]); v != "" {
			d[k] = v
		}
	}
	d["accountEnabled"] = "False"
	if on, _ := u["accountEnabled"].(bool); on {
		d["accountEnabled"] = "True"
	}
	d["IsSoftDeleted"] = "False"
	return d
}

// demoScopeDetails are the scoping step's details for a user in scope, or
// one whose assignment was removed.
func demoScopeDetails(assigned bool) Object {
	a := "True"
	if !assigned {
		a = "False"
	}
	return Object{"Active in the source system": "True", "Assigned to the application": a}
}

// change is one attribute change, named as the app names it.
func (g *demoGen) change(u Object) []any {
	r := g.current
	names := map[string][3]string{
		"servicenow": {"mobile_phone", "location", "title"},
		"salesforce": {"MobilePhone", "City", "Title"},
		"entra":      {"mobile", "officeLocation", "jobTitle"},
	}
	n, ok := names[g.style]
	if !ok {
		n = [3]string{`phoneNumbers[type eq "mobile"].value`, `addresses[type eq "work"].locality`, "title"}
	}
	cities := []string{"Redmond", "Seattle", "London", "Paris", "Berlin", "Munich", "Toronto", "Sydney"}
	switch r.IntN(3) {
	case 0:
		return []any{demoProp(n[0], fmt.Sprintf("+1 425 555 0%03d", r.IntN(1000)), fmt.Sprintf("+1 425 555 0%03d", r.IntN(1000)))}
	case 1:
		i := r.IntN(len(cities))
		return []any{demoProp(n[1], cities[i], cities[(i+1+r.IntN(len(cities)-1))%len(cities)])}
	default:
		title := demoStr(u["jobTitle"])
		return []any{demoProp(n[2], "Associate "+title, title)}
	}
}

// createProps are the attributes a create sends, in SCIM names (only the
// SCIM app Zoom creates accounts in the background).
func (g *demoGen) createProps(u Object) []any {
	upn, mail := demoStr(u["userPrincipalName"]), demoStr(u["mail"])
	return []any{
		demoProp("userName", "", upn),
		demoProp(`emails[type eq "work"].value`, "", mail),
		demoProp("name.givenName", "", demoStr(u["givenName"])),
		demoProp("name.familyName", "", demoStr(u["surname"])),
		demoProp("title", "", demoStr(u["jobTitle"])),
		demoProp("active", "", "True"),
		demoProp("externalId", "", demoStr(u["mailNickname"])),
	}
}

// demoProp is one modifiedProperty; an empty value is JSON null.
func demoProp(name, old, new string) Object {
	nullable := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	return Object{"displayName": name, "oldValue": nullable(old), "newValue": nullable(new)}
}

// targetID is the user's id in the app, in the app's own form.
func (g *demoGen) targetID(userID string) string {
	r := demoRand(g.name, "target", userID)
	switch g.style {
	case "servicenow":
		return fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64())
	case "salesforce":
		const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		b := []byte("005")
		for range 15 {
			b = append(b, alnum[r.IntN(len(alnum))])
		}
		return string(b)
	case "github":
		return strconv.Itoa(10000000 + r.IntN(90000000))
	}
	return demoGUID(r)
}

// targetType is the identityType the app's entries give target objects.
func (g *demoGen) targetType() string {
	switch g.style {
	case "servicenow", "salesforce", "entra":
		return "User"
	}
	return "urn:ietf:params:scim:schemas:core:2.0:User"
}

// demoRand returns a generator seeded from demoSeed and the parts.
func demoRand(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(demoSeed, h.Sum64()))
}

// demoGUID draws a version 4 GUID from r.
func demoGUID(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	a = a&^0xf000 | 0x4000     // version 4
	b = b&^(0xc<<60) | 0x8<<60 // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, a>>16&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// demoCopy copies a JSON-shaped value, so that entries share no maps.
func demoCopy(v any) Object {
	o, _ := v.(Object)
	out := Object{}
	for k, x := range o {
		if m, ok := x.(Object); ok {
			out[k] = demoCopy(m)
			continue
		}
		out[k] = x
	}
	return out
}
