package fakegraph

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// RunDemoCycle runs the next provisioning cycle of the demo app appID at
// now, as far as the demo's stories go: every cast member whose story is
// that the next cycle picks them up (pending-next-cycle) gets their
// account created once (a successful create entry, shaped like the app's other
// create entries), and the job's last run becomes this cycle. It returns
// the object ids of the people it provisioned. Use it through
// [Server.Update]; the demo's "run the next cycle" control does.
func (t *Tenant) RunDemoCycle(appID string, now time.Time) ([]string, error) {
	jobs := t.SynchronizationJobs[appID]
	if len(jobs) == 0 {
		return nil, fmt.Errorf("app %s has no provisioning job", appID)
	}
	model := t.demoCreateEntry(appID)
	if model == nil {
		return nil, fmt.Errorf("app %s has no create entry to model a new one on", appID)
	}
	cycle := demoGUID(demoRand(appID, "cycle", now.UTC().Format(time.RFC3339Nano)))
	var done []string
	for _, c := range DemoCast() {
		if c.AppID != appID || c.Category != "pending-next-cycle" {
			continue
		}
		u := t.user(c.ObjectID)
		if u == nil || t.demoCreated(appID, c.ObjectID) {
			continue // not in the tenant, or an earlier cycle made the account
		}
		e, err := demoEntryLike(model, u, now, cycle)
		if err != nil {
			return done, err
		}
		t.Provisioning = append(t.Provisioning, e)
		done = append(done, c.ObjectID)
	}
	status, _ := jobs[0]["status"].(map[string]any)
	if status == nil {
		return done, fmt.Errorf("app %s: its job has no status", appID)
	}
	if le, ok := status["lastExecution"].(map[string]any); ok {
		le["timeBegan"] = now.Add(-2 * time.Minute).UTC().Format(time.RFC3339)
		le["timeEnded"] = now.UTC().Format(time.RFC3339)
		le["activityIdentifier"] = cycle
	}
	status["steadyStateLastAchievedTime"] = now.UTC().Format(time.RFC3339)
	return done, nil
}

// demoCreated reports whether userID has a successful create entry in
// appID.
func (t *Tenant) demoCreated(appID, userID string) bool {
	for _, e := range t.Provisioning {
		sp, _ := e["servicePrincipal"].(map[string]any)
		src, _ := e["sourceIdentity"].(map[string]any)
		st, _ := e["provisioningStatusInfo"].(map[string]any)
		if sp != nil && src != nil && st != nil && demoStr(sp["id"]) == appID && demoStr(src["id"]) == userID &&
			demoStr(e["provisioningAction"]) == "create" && demoStr(st["status"]) == "success" {
			return true
		}
	}
	return false
}

// user returns the user object with id, or nil.
func (t *Tenant) user(id string) Object {
	for _, u := range t.Users {
		if strings.EqualFold(demoStr(u["id"]), id) {
			return u
		}
	}
	return nil
}

// demoCreateEntry is the newest successful create entry of appID.
func (t *Tenant) demoCreateEntry(appID string) Object {
	var best Object
	for _, e := range t.Provisioning {
		sp, _ := e["servicePrincipal"].(map[string]any)
		st, _ := e["provisioningStatusInfo"].(map[string]any)
		if sp == nil || st == nil || demoStr(sp["id"]) != appID || demoStr(e["provisioningAction"]) != "create" || demoStr(st["status"]) != "success" {
			continue
		}
		if best == nil || demoStr(e["activityDateTime"]) > demoStr(best["activityDateTime"]) {
			best = e
		}
	}
	return best
}

// demoEntryLike copies model for user u at now: the model's person (id,
// name, user principal name, mail) replaced by u, new ids.
func demoEntryLike(model, u Object, now time.Time, cycle string) (Object, error) {
	src, _ := model["sourceIdentity"].(map[string]any)
	if src == nil {
		return nil, fmt.Errorf("model entry has no source identity")
	}
	raw, err := json.Marshal(model)
	if err != nil {
		return nil, err
	}
	// Replace the model person's id and name with the new person's.
	s := string(raw)
	var pairs []string
	if id := demoStr(src["id"]); id != "" {
		pairs = append(pairs, id, demoStr(u["id"]))
	}
	if n := demoStr(src["displayName"]); n != "" {
		pairs = append(pairs, n, demoStr(u["displayName"]))
	}
	s = strings.NewReplacer(pairs...).Replace(s)
	var e Object
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&e); err != nil {
		return nil, err
	}
	// The user principal name and mail appear in step texts and details.
	e = replaceStrings(e, demoUPNOf(model), demoStr(u["userPrincipalName"])).(map[string]any)
	r := demoRand(demoStr(u["id"]), cycle)
	e["id"] = demoGUID(r)
	e["changeId"] = demoGUID(r)
	e["cycleId"] = cycle
	e["activityDateTime"] = now.UTC().Format(time.RFC3339)
	if ti, ok := e["targetIdentity"].(map[string]any); ok {
		ti["id"] = demoGUID(r)
	}
	return e, nil
}

// demoUPNOf is the user principal name an entry's import step read.
func demoUPNOf(e Object) string {
	steps, _ := e["provisioningSteps"].([]any)
	for _, s := range steps {
		st, _ := s.(map[string]any)
		if d := demoStr(st["description"]); strings.HasPrefix(d, "Retrieved User '") {
			rest := strings.TrimPrefix(d, "Retrieved User '")
			if i := strings.IndexByte(rest, '\''); i > 0 {
				return rest[:i]
			}
		}
	}
	return ""
}

// replaceStrings replaces old with new in every string of v.
func replaceStrings(v any, old, new string) any {
	if old == "" {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = replaceStrings(e, old, new)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = replaceStrings(e, old, new)
		}
		return x
	case string:
		return strings.ReplaceAll(x, old, new)
	}
	return v
}

// QuarantineDemoJob puts the demo app appID's job in quarantine at now, as
// the service does when too many of a cycle's operations fail: state
// Quarantine, reason EncounteredEscrowProportionThreshold, the next
// attempt in four hours. Use it through [Server.Update]; the demo's
// "quarantine" control does, to show the help desk's alert arrive.
func (t *Tenant) QuarantineDemoJob(appID string, now time.Time) error {
	jobs := t.SynchronizationJobs[appID]
	if len(jobs) == 0 {
		return fmt.Errorf("app %s has no provisioning job", appID)
	}
	status, _ := jobs[0]["status"].(map[string]any)
	if status == nil {
		return fmt.Errorf("app %s: its job has no status", appID)
	}
	at := func(d time.Duration) string { return now.Add(d).UTC().Format(time.RFC3339) }
	status["code"] = "Quarantine"
	status["quarantine"] = map[string]any{
		"currentBegan": at(0), "seriesBegan": at(0), "seriesCount": json.Number("1"), "nextAttempt": at(4 * time.Hour),
		"reason": "EncounteredEscrowProportionThreshold",
		"error": map[string]any{"code": "EncounteredEscrowProportionThreshold", "tenantActionable": true,
			"message": "More than 40% of the provisioning events failed in the last cycle. Fix the errors shown in the provisioning logs, then restart provisioning."},
	}
	if le, ok := status["lastExecution"].(map[string]any); ok {
		le["timeBegan"], le["timeEnded"], le["state"] = at(-2*time.Minute), at(0), "EntryLevelErrors"
	}
	return nil
}
