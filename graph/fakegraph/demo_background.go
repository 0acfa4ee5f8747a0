package fakegraph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// demoSeed makes the background entries the same on every run.
const demoSeed uint64 = 0x70726f76626f74 // "provbot"

const demoDay = 24 * time.Hour

// demoProfile says how the provisioning service treated the people of one
// app who are not in the cast, over the last 30 days. Their entries fall
// on the app's cycle grid (now-newest, then every interval before it) and
// stay within what the app's job in the JSON says: nothing after a pause,
// a quarantine or the last run.
type demoProfile struct {
	// app is the service principal's display name.
	app string
	// style is how the app names attributes and ids: servicenow,
	// salesforce, github, scim or entra (cross-tenant).
	style string
	// newest and oldest bound the ordinary entries, before now.
	newest, oldest time.Duration
	// interval is the time between cycles.
	interval time.Duration
	// events is the most ordinary entries a person gets.
	events int
	// skipPct is the share of events that found nothing to change.
	skipPct int
	// initial makes the window an initial cycle in progress: a person is
	// created once, or not reached yet.
	initial bool
	// failures are rounds of failures after newest.
	failures []demoFailure
	// staged names a group whose members' removals were held at stagedAt.
	staged   string
	stagedAt time.Duration
}

// demoFailure is a round of failures: pct percent of the people failed
// with code at the time now-at. reason may hold %s for the user's UPN.
type demoFailure struct {
	at     time.Duration
	pct    int
	code   string
	reason string
}

// demoProfiles cover every app with a job that ran in the last 30 days.
// Zendesk (stopped 33 days ago) and Box (never configured) have none.
var demoProfiles = []demoProfile{
	{app: "ServiceNow", style: "servicenow", newest: 13 * time.Minute, oldest: 29 * demoDay, interval: 40 * time.Minute, events: 7, skipPct: 15},
	{app: "Atlassian Cloud", style: "scim", newest: 21 * time.Minute, oldest: 29 * demoDay, interval: 40 * time.Minute, events: 6, skipPct: 10},
	{app: "Salesforce", style: "salesforce", newest: 3*demoDay + time.Hour, oldest: 29 * demoDay, interval: 40 * time.Minute, events: 6, skipPct: 10,
		failures: []demoFailure{{at: 3 * demoDay, pct: 60, code: "SalesforceInvalidCredentials",
			reason: "Salesforce returned an error response with the HTTP status code 401 (INVALID_SESSION_ID) while updating '%s': the saved admin credentials are no longer valid."}}},
	{app: "Slack", style: "scim", newest: 5*time.Hour + 52*time.Minute, oldest: 29 * demoDay, interval: 40 * time.Minute, events: 5, skipPct: 10,
		staged: "Slack - Marketing", stagedAt: 5*time.Hour + 10*time.Minute},
	{app: "Dropbox Business", style: "scim", newest: 9*demoDay + time.Hour, oldest: 29 * demoDay, interval: 40 * time.Minute, events: 5, skipPct: 10},
	{app: "Zoom", style: "scim", newest: 4 * time.Minute, oldest: 94 * time.Minute, interval: 40 * time.Minute, initial: true},
	{app: "DocuSign", style: "scim", newest: 2*time.Hour + 54*time.Minute, oldest: 29 * demoDay, interval: 40 * time.Minute, events: 5, skipPct: 10},
	{app: "GitHub Enterprise", style: "github", newest: 20*time.Hour + 40*time.Minute, oldest: 29 * demoDay, interval: 40 * time.Minute, events: 5, skipPct: 10,
		failures: []demoFailure{
			{at: 14 * time.Hour, pct: 70, code: "EntryConflict",
				reason: "GitHub returned an error response with the HTTP status code 409 (Conflict): the user name derived from '%s' is already taken by another account."},
			{at: 8 * time.Hour, pct: 60, code: "TooManyRequests",
				reason: "GitHub returned an error response with the HTTP status code 429 (Too Many Requests) while updating '%s': the SCIM API rate limit for the enterprise was exceeded."},
		}},
	{app: "Fabrikam (cross-tenant sync)", style: "entra", newest: 18 * time.Minute, oldest: 29 * demoDay, interval: 40 * time.Minute, events: 6, skipPct: 15},
	{app: "Contoso Travel", style: "scim", newest: 2*demoDay + time.Hour, oldest: 29 * demoDay, interval: 40 * time.Minute, events: 4, skipPct: 10,
		failures: []demoFailure{
			{at: 2 * demoDay, pct: 100, code: "SystemForCrossDomainIdentityManagementEndpointNotFound",
				reason: "The SCIM endpoint https://travel.contoso.com/scim/v2 answered HTTP 404 (Not Found) while looking up '%s'. Check the Tenant URL."},
		}},
}

// demoBackground generates the background entries of t's apps for the
// people who are not in the cast.
func demoBackground(t *Tenant, now time.Time) ([]Object, error) {
	now = now.UTC().Truncate(time.Second)
	cast := map[string]bool{}
	for _, c := range DemoCast() {
		cast[strings.ToLower(c.ObjectID)] = true
	}
	var out []Object
	for _, p := range demoProfiles {
		g, err := newDemoGen(t, p, now)
		if err != nil {
			return nil, err
		}
		for _, u := range g.people(p, cast) {
			out = append(out, g.person(p, u)...)
		}
		if p.staged != "" {
			staged, err := g.staged(p, cast)
			if err != nil {
				return nil, err
			}
			out = append(out, staged...)
		}
	}
	return out, nil
}

// demoGen builds the entries of one app.
type demoGen struct {
	t      *Tenant
	now    time.Time
	tenant string // the tenant id entries carry
	// spID, name and jobID identify the app and its job; style is the
	// profile's.
	spID, name, jobID, style string
	// source and target are the systems entries name, as the story
	// entries have them.
	source, target Object
	// current draws the random parts of the person being built; each
	// person has their own, so that one person's entries do not depend on
	// anyone else's.
	current *rand.Rand
}

// newDemoGen finds the app's service principal and job, and the source
// and target systems the story entries name, so that background entries
// look the same.
func newDemoGen(t *Tenant, p demoProfile, now time.Time) (*demoGen, error) {
	g := &demoGen{t: t, now: now, name: p.app, style: p.style, tenant: t.TenantID}
	appID := ""
	for _, sp := range t.ServicePrincipals {
		if demoStr(sp["displayName"]) == p.app {
			g.spID, appID = demoStr(sp["id"]), demoStr(sp["appId"])
		}
	}
	if g.spID == "" {
		return nil, fmt.Errorf("no service principal named %q", p.app)
	}
	jobs := t.SynchronizationJobs[g.spID]
	if len(jobs) == 0 {
		return nil, fmt.Errorf("%s has no synchronization job", p.app)
	}
	g.jobID = demoStr(jobs[0]["id"])
	g.source = Object{"id": demoGUID(demoRand("aad")), "displayName": "Azure Active Directory", "details": Object{}}
	if len(t.Provisioning) > 0 {
		g.source = demoCopy(t.Provisioning[0]["sourceSystem"])
	}
	g.target = Object{"id": demoGUID(demoRand("system", p.app)), "displayName": p.app, "details": Object{
		"ApplicationId": appID, "ServicePrincipalId": g.spID, "ServicePrincipalDisplayName": p.app,
	}}
	for _, e := range t.Provisioning {
		if sp, _ := e["servicePrincipal"].(Object); demoStr(sp["id"]) == g.spID {
			g.target = demoCopy(e["targetSystem"])
			break
		}
	}
	return g, nil
}

// people returns the app's users outside the cast: direct members of the
// groups assigned to it (and of the staged group) and users assigned
// directly, in tenant order.
func (g *demoGen) people(p demoProfile, cast map[string]bool) []Object {
	in := map[string]bool{}
	for _, gr := range g.t.Groups {
		// The staged group was assigned until its members' removals were held.
		if p.staged != "" && demoStr(gr["displayName"]) == p.staged {
			for _, m := range g.t.GroupMembers[demoStr(gr["id"])] {
				in[strings.ToLower(m)] = true
			}
		}
	}
	for _, a := range g.t.AppRoleAssignments {
		if !strings.EqualFold(demoStr(a["resourceId"]), g.spID) {
			continue
		}
		pid := strings.ToLower(demoStr(a["principalId"]))
		in[pid] = true
		for _, m := range g.t.GroupMembers[demoStr(a["principalId"])] {
			in[strings.ToLower(m)] = true
		}
	}
	var out []Object
	for _, u := range g.t.Users {
		id := strings.ToLower(demoStr(u["id"]))
		if in[id] && !cast[id] {
			out = append(out, u)
		}
	}
	return out
}

// person returns one person's entries: ordinary events, an initial
// create, and the rounds of failures.
func (g *demoGen) person(p demoProfile, u Object) []Object {
	g.current = demoRand(g.name, demoStr(u["id"]))
	r := g.current
	var out []Object
	if p.initial {
		if r.IntN(10) < 8 {
			span := int64(p.oldest - p.newest)
			at := g.now.Add(-p.newest - time.Duration(r.Int64N(span)))
			out = append(out, g.entry(u, at, "initial", "create"))
		}
		return out
	}
	cycles := int((p.oldest - p.newest) / p.interval)
	n := 1 + r.IntN(p.events)
	picked := map[int]bool{}
	var ks []int
	for len(ks) < n {
		k := r.IntN(cycles + 1)
		if !picked[k] {
			picked[k] = true
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	slices.Reverse(ks) // oldest first, so that successive changes chain
	for _, k := range ks {
		at := g.now.Add(-p.newest - time.Duration(k)*p.interval).Add(time.Duration(20+r.IntN(90)) * time.Second)
		kind := "update"
		if r.IntN(100) < p.skipPct {
			kind = "skip"
		}
		out = append(out, g.entry(u, at, fmt.Sprint("cycle", k), kind))
	}
	for _, f := range p.failures {
		if r.IntN(100) < f.pct {
			at := g.now.Add(-f.at).Add(time.Duration(20+r.IntN(90)) * time.Second)
			e := g.entry(u, at, fmt.Sprint("failure", f.at), "fail")
			e["provisioningStatusInfo"] = Object{"status": "failure", "errorInformation": Object{
				"errorCode": f.code, "reason": fmt.Sprintf(f.reason, demoStr(u["userPrincipalName"])),
				"additionalDetails": nil, "errorCategory": "nonServiceFailure", "recommendedAction": nil,
			}}
			out = append(out, e)
		}
	}
	return out
}

// staged returns the held removals of the staged group's members.
func (g *demoGen) staged(p demoProfile, cast map[string]bool) ([]Object, error) {
	var gid string
	for _, gr := range g.t.Groups {
		if demoStr(gr["displayName"]) == p.staged {
			gid = demoStr(gr["id"])
		}
	}
	if gid == "" {
		return nil, fmt.Errorf("no group named %q", p.staged)
	}
	members := map[string]bool{}
	for _, m := range g.t.GroupMembers[gid] {
		members[strings.ToLower(m)] = true
	}
	var out []Object
	for _, u := range g.t.Users {
		id := strings.ToLower(demoStr(u["id"]))
		if !members[id] || cast[id] {
			continue
		}
		g.current = demoRand(g.name, "staged", id)
		at := g.now.Add(-p.stagedAt).Add(time.Duration(g.current.IntN(100)) * time.Second)
		action := "stagedDelete"
		if len(out)%2 == 1 {
			action = "stageddelete" // the spelling of the docs' examples
		}
		out = append(out, g.entry(u, at, "staged", action))
	}
	return out, nil
}
