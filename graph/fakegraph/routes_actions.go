package fakegraph

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// The write routes: synchronizationJob: provisionOnDemand and restart,
// and the schema the first needs. They change the tenant, so they run
// under the server's write lock (as outer routes, with their own
// permission check).
//
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-provisionondemand
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-restart
// https://learn.microsoft.com/graph/api/synchronization-synchronizationschema-get

// writePermission is what the write routes need (application permission).
const writePermission = "Synchronization.ReadWrite.All"

// codeConflict answers a second on-demand provisioning of a job while one
// runs. Microsoft documents one user at a time per job but not the code
// of the refusal; this is Graph's generic code for 409.
// https://learn.microsoft.com/graph/errors
const codeConflict = "Conflict"

// actionRoutes are the write routes and the schema route.
func (s *Server) actionRoutes() []route {
	p := func(path string) []string { return strings.Split(path, "/") }
	return []route{
		{method: "GET", version: "v1.0", pattern: p("servicePrincipals/{}/synchronization/jobs/{}/schema"),
			perms: []string{"Synchronization.Read.All"}, handle: getSchema},
		{method: "POST", version: "v1.0", pattern: p("servicePrincipals/{}/synchronization/jobs/{}/provisionOnDemand"),
			outer: s.provisionOnDemand},
		{method: "POST", version: "v1.0", pattern: p("servicePrincipals/{}/synchronization/jobs/{}/restart"),
			outer: s.restartJob},
	}
}

// actionsState is what the write routes keep between requests: the
// on-demand rate limit (5 requests per 10 seconds per caller, Microsoft's
// documented limit), the jobs provisioning someone right now, and how
// long an on-demand provisioning takes.
type actionsState struct {
	limit *throttle
	delay time.Duration

	mu   sync.Mutex
	busy map[string]bool // job id → an on-demand provisioning runs
}

func newActionsState(delay time.Duration) *actionsState {
	return &actionsState{limit: newThrottle(5, 10*time.Second), delay: delay, busy: map[string]bool{}}
}

// WithOnDemandDelay makes each on-demand provisioning take d before it
// answers, as the service's do (Microsoft: typically under 30 seconds),
// so that a second one for the same job meanwhile is refused with 409.
func WithOnDemandDelay(d time.Duration) Option { return func(c *config) { c.onDemandDelay = d } }

// ruleIDFor is the id of the one synchronization rule of a job's schema:
// stable for the job, GUID-shaped like the rule ids of Microsoft's
// examples.
func ruleIDFor(jobID string) string {
	h := sha256.Sum256([]byte("rule:" + strings.ToLower(jobID)))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// getSchema serves a job's synchronizationSchema with one rule, from
// Microsoft Entra ID (by its service name, "Azure Active Directory") to
// the app, mapping users and groups. Directories are left out.
func getSchema(c *call) response {
	if _, err := c.query(); err != nil {
		return errResponse(err)
	}
	id, jobs, aerr := spJobs(c)
	if aerr != nil {
		return errResponse(aerr)
	}
	job := findByID(jobs, c.params[1])
	if job == nil {
		return errResponse(notFound(c.params[1]))
	}
	jobID, _ := job["id"].(string)
	target := appName(c.t, id)
	return jsonResponse(http.StatusOK, map[string]any{
		"@odata.context":       c.contextURL("servicePrincipals"+quoteKey(id)+"/synchronization/jobs"+quoteKey(jobID)+"/schema", nil),
		"id":                   jobID,
		"version":              "Date:" + time.Unix(0, 0).UTC().Format(time.RFC1123) + "~Type:Default",
		"synchronizationRules": []any{schemaRule(jobID, target)},
		"directories":          []any{},
	})
}

func schemaRule(jobID, target string) Object {
	mapping := func(src, dst string) Object {
		return Object{"enabled": true, "flowTypes": "Add, Update, Delete", "metadata": []any{}, "name": "Provision Azure Active Directory " + src + "s",
			"sourceObjectName": src, "targetObjectName": dst, "attributeMappings": []any{}, "scope": nil}
	}
	return Object{
		"editable": true, "id": ruleIDFor(jobID), "metadata": []any{}, "name": "USER_OUTBOUND_USER", "priority": 1,
		"sourceDirectoryName": "Azure Active Directory", "targetDirectoryName": target,
		"objectMappings": []any{mapping("User", "User"), mapping("Group", "Group")},
	}
}

func appName(t *Tenant, spID string) string {
	if sp := findByID(t.ServicePrincipals, spID); sp != nil {
		if n, _ := sp["displayName"].(string); n != "" {
			return n
		}
	}
	return "customappsso"
}

// writeCall checks a write route's permission and finds the job, under
// the server's write lock (held on return when err is nil; unlock runs
// it off).
func (s *Server) writeCall(c *call) (spID string, job Object, unlock func(), err *apiError) {
	s.mu.Lock()
	c.t = s.tenant
	if containsFold(c.t.DeniedPermissions, writePermission) {
		s.mu.Unlock()
		return "", nil, nil, newError(http.StatusForbidden, codeDenied, msgDenied)
	}
	if _, qerr := c.query(); qerr != nil {
		s.mu.Unlock()
		return "", nil, nil, qerr
	}
	id, jobs, aerr := spJobs(c)
	if aerr != nil {
		s.mu.Unlock()
		return "", nil, nil, aerr
	}
	job = findByID(jobs, c.params[1])
	if job == nil {
		s.mu.Unlock()
		return "", nil, nil, notFound(c.params[1])
	}
	return id, job, s.mu.Unlock, nil
}

// decodeStrict reads a JSON body into v, refusing unknown properties as
// Graph's OData reader does.
func decodeStrict(body []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return newError(http.StatusBadRequest, codeBadRequest, "Invalid request body: %v", err)
	}
	return nil
}

// onDemandRequest is provisionOnDemand's body.
type onDemandRequest struct {
	Parameters []struct {
		RuleID   string `json:"ruleId"`
		Subjects []struct {
			ObjectID       string `json:"objectId"`
			ObjectTypeName string `json:"objectTypeName"`
			OdataType      string `json:"@odata.type,omitempty"`
		} `json:"subjects"`
		OdataType string `json:"@odata.type,omitempty"`
	} `json:"parameters"`
}

// provisionOnDemand provisions one user now. What it answers follows the
// tenant's data: a user not assigned (directly or through a group they
// are directly in) is skipped; a user whose last entry failed fails the
// same way (nothing has changed); a user already provisioned is skipped
// as in sync (Microsoft's example 1); anyone else is created, and the
// entry appears in the provisioning logs.
func (s *Server) provisionOnDemand(c *call) response {
	if ok, wait := s.actions.limit.admit(c.r.Header.Get("Authorization"), s.now()); !ok {
		return errResponse(throttledError(wait))
	}
	var req onDemandRequest
	if err := decodeStrict(c.body, &req); err != nil {
		return errResponse(err)
	}
	if len(req.Parameters) != 1 || len(req.Parameters[0].Subjects) != 1 {
		return errResponse(newError(http.StatusBadRequest, codeBadRequest, "The fake provisions exactly one subject per request."))
	}
	param, subject := req.Parameters[0], req.Parameters[0].Subjects[0]
	if !strings.EqualFold(subject.ObjectTypeName, "User") {
		return errResponse(newError(http.StatusBadRequest, codeBadRequest, "objectTypeName %q: the fake provisions users only.", subject.ObjectTypeName))
	}
	spID, job, unlock, aerr := s.writeCall(c)
	if aerr != nil {
		return errResponse(aerr)
	}
	jobID, _ := job["id"].(string)
	if param.RuleID != ruleIDFor(jobID) {
		unlock()
		return errResponse(newError(http.StatusBadRequest, codeBadRequest, "The rule %q is not a synchronization rule of the job.", param.RuleID))
	}
	s.actions.mu.Lock()
	if s.actions.busy[jobID] {
		s.actions.mu.Unlock()
		unlock()
		return errResponse(newError(http.StatusConflict, codeConflict, "An on-demand provisioning is already running for this job. Only one user can be provisioned on demand at a time."))
	}
	s.actions.busy[jobID] = true
	s.actions.mu.Unlock()
	defer func() {
		s.actions.mu.Lock()
		delete(s.actions.busy, jobID)
		s.actions.mu.Unlock()
	}()
	user := findByID(c.t.Users, subject.ObjectID)
	if user == nil {
		unlock()
		return errResponse(notFound(subject.ObjectID))
	}
	out := s.onDemandOutcome(c.t, spID, job, user)
	if out.entry != nil {
		c.t.Provisioning = append(c.t.Provisioning, out.entry)
		s.idx.reset()
	}
	unlock()
	if s.actions.delay > 0 {
		select {
		case <-time.After(s.actions.delay):
		case <-c.r.Context().Done():
		case <-s.done:
		}
	}
	key, _ := json.Marshal(map[string]any{"result": out.result, "details": out.details})
	value, _ := json.Marshal(out.value)
	return jsonResponse(http.StatusOK, map[string]any{
		"@odata.context": c.base + "/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair",
		"key":            string(key),
		"value":          string(value),
	})
}

// onDemandOutcome is what an on-demand provisioning did: the key's
// result and details, the value, and the log entry it wrote (nil when it
// wrote none).
type onDemandOutcome struct {
	result  string
	details map[string]any
	value   map[string]any
	entry   Object
}

func (s *Server) onDemandOutcome(t *Tenant, spID string, job Object, user Object) onDemandOutcome {
	now := s.now().UTC()
	userID, _ := user["id"].(string)
	upn, _ := user["userPrincipalName"].(string)
	name, _ := user["displayName"].(string)
	app := appName(t, spID)
	jobID, _ := job["id"].(string)
	stamp := func(i int) string {
		return now.Add(time.Duration(i-4) * 150 * time.Millisecond).Format(time.RFC3339Nano)
	}
	importStep := onDemandStep("EntryImport", "Import", "Success", fmt.Sprintf("Retrieved User '%s' from Azure Active Directory", upn), stamp(0),
		map[string]any{"objectId": userID, "userPrincipalName": upn, "displayName": name, "accountEnabled": boolWord(user["accountEnabled"])})
	value := map[string]any{
		"action": "Other", "changeId": newUUID(), "startTime": stamp(0), "endTime": stamp(4),
		"modifiedProperties": []any{}, "reportableIdentifier": upn,
		"sourceIdentity": map[string]any{"id": userID, "type": "User", "displayName": nil, "details": nil},
		"sourceSystem":   map[string]any{"id": nil, "name": "Azure Active Directory", "details": nil},
		"targetIdentity": map[string]any{"id": nil, "type": "User", "displayName": nil, "details": nil},
		"targetSystem":   map[string]any{"id": nil, "name": app, "details": nil},
	}
	statusInfo := func(status string, code, reason any) map[string]any {
		return map[string]any{"status": status, "errorCode": code, "reason": reason, "additionalDetails": nil, "errorCategory": nil, "recommendedAction": nil}
	}
	if st, _ := job["status"].(map[string]any); st != nil {
		if q, _ := st["quarantine"].(map[string]any); q != nil {
			e, _ := q["error"].(map[string]any)
			code, _ := e["code"].(string)
			msg, _ := e["message"].(string)
			value["provisioningSteps"] = []any{onDemandStep("EntryImport", "Import", "Failure", "The provisioning job could not connect to "+app+": "+msg, stamp(0), map[string]any{})}
			value["statusInfo"] = statusInfo("Failure", code, msg)
			return onDemandOutcome{result: "Failure", details: map[string]any{"errorCode": code, "errorMessage": msg}, value: value}
		}
	}
	if !assignedDirectly(s, t, spID, userID) {
		const msg = "This object is not assigned to the application. If you did not expect the object to be skipped, update the application assignments."
		value["provisioningSteps"] = []any{importStep, onDemandStep("EntrySynchronizationScoping", "Scoping", "Skipped",
			"Determine if User in scope by evaluating against each scoping filter", stamp(1),
			map[string]any{"Active in the source system": boolWord(user["accountEnabled"]), "Assigned to the application": "False",
				"IsEffectivelyEntitledForProvisioning": "False", "SkipReason": "NotEffectivelyEntitled"})}
		value["statusInfo"] = statusInfo("Skipped", nil, nil)
		return onDemandOutcome{result: "Skipped", details: map[string]any{"errorCode": "NotEffectivelyEntitled", "errorMessage": msg}, value: value}
	}
	scoping := onDemandStep("EntrySynchronizationScoping", "Scoping", "Success", "Determine if User in scope by evaluating against each scoping filter", stamp(1),
		map[string]any{"Active in the source system": boolWord(user["accountEnabled"]), "Assigned to the application": "True", "ScopeEvaluationResult": "{}"})
	last := newestEntry(t, spID, userID)
	if last != nil {
		info, _ := last["provisioningStatusInfo"].(map[string]any)
		status, _ := info["status"].(string)
		target, _ := last["targetIdentity"].(map[string]any)
		targetID, _ := target["id"].(string)
		switch {
		case strings.EqualFold(status, "failure"):
			// Nothing changed since: the same failure, the same steps.
			ei, _ := info["errorInformation"].(map[string]any)
			code, _ := ei["errorCode"].(string)
			reason, _ := ei["reason"].(string)
			steps := []any{}
			for i, st := range asList(last["provisioningSteps"]) {
				o, _ := st.(map[string]any)
				n, _ := o["name"].(string)
				typ, _ := o["provisioningStepType"].(string)
				res, _ := o["status"].(string)
				desc, _ := o["description"].(string)
				d, _ := o["details"].(map[string]any)
				steps = append(steps, onDemandStep(n, pascal(typ), pascal(res), desc, stamp(i), d))
			}
			value["provisioningSteps"] = steps
			value["action"] = pascal(strOf(last["provisioningAction"]))
			value["statusInfo"] = statusInfo("Failure", code, reason)
			return onDemandOutcome{result: "Failure", details: map[string]any{"errorCode": code, "errorMessage": reason}, value: value}
		case strings.EqualFold(status, "success") && targetID != "":
			const msg = "The state of the user in both the source and target systems already match."
			value["targetIdentity"] = map[string]any{"id": targetID, "type": "User", "displayName": nil, "details": nil}
			value["provisioningSteps"] = []any{importStep, scoping,
				onDemandStep("EntryImport", "Matching", "Success", fmt.Sprintf("Retrieved '%s' from %s", upn, app), stamp(2), map[string]any{"id": targetID, "userName": upn}),
				onDemandStep("EntrySynchronizationSkip", "Export", "Skipped", msg+fmt.Sprintf(" No change to the User '%s' currently needs to be made.", upn), stamp(3),
					map[string]any{"SkipReason": "RedundantExport"})}
			value["statusInfo"] = statusInfo("Skipped", nil, nil)
			return onDemandOutcome{result: "Skipped", details: map[string]any{"errorCode": "RedundantExport", "errorMessage": msg}, value: value}
		}
	}
	targetID := strings.ReplaceAll(newUUID(), "-", "")
	changeID, _ := value["changeId"].(string)
	matchDesc := fmt.Sprintf("User '%s' will be created in %s (User is active and assigned in Azure Active Directory, but no matching User was found in %s)", upn, app, app)
	exportDesc := fmt.Sprintf("User '%s' was created in %s", upn, app)
	value["action"] = "Create"
	value["targetIdentity"] = map[string]any{"id": targetID, "type": "User", "displayName": nil, "details": nil}
	value["modifiedProperties"] = []any{
		map[string]any{"displayName": "objectId", "oldValue": nil, "newValue": userID},
		map[string]any{"displayName": "userPrincipalName", "oldValue": nil, "newValue": upn},
		map[string]any{"displayName": "displayName", "oldValue": nil, "newValue": name},
	}
	value["provisioningSteps"] = []any{importStep, scoping,
		onDemandStep("EntrySynchronizationAdd", "Matching", "Success", matchDesc, stamp(2), map[string]any{}),
		onDemandStep("EntryExportAdd", "Export", "Success", exportDesc, stamp(3), map[string]any{"ReportableIdentifier": upn})}
	value["statusInfo"] = statusInfo("Success", nil, nil)
	entry := Object{
		"id": newUUID(), "activityDateTime": now.Format(time.RFC3339Nano), "tenantId": t.TenantID, "jobId": jobID,
		"cycleId": newUUID(), "changeId": changeID, "provisioningAction": "create", "durationInMilliseconds": 600,
		"sourceSystem":           map[string]any{"id": nil, "displayName": "Azure Active Directory", "details": map[string]any{}},
		"targetSystem":           map[string]any{"id": nil, "displayName": app, "details": map[string]any{"ServicePrincipalId": spID, "ServicePrincipalDisplayName": app}},
		"initiatedBy":            map[string]any{"id": "", "displayName": "Azure AD Provisioning Service", "initiatorType": "system"},
		"servicePrincipal":       map[string]any{"id": spID, "displayName": app},
		"sourceIdentity":         map[string]any{"id": userID, "displayName": name, "identityType": "User", "details": map[string]any{}},
		"targetIdentity":         map[string]any{"id": targetID, "displayName": name, "identityType": "User", "details": map[string]any{}},
		"provisioningStatusInfo": map[string]any{"status": "success", "errorInformation": nil},
		"provisioningSteps": []any{
			logStep("EntryImport", "import", fmt.Sprintf("Retrieved User '%s' from Azure Active Directory", upn), map[string]any{"objectId": userID, "userPrincipalName": upn}),
			logStep("EntrySynchronizationScoping", "scoping", "Determine if User in scope by evaluating against each scoping filter",
				map[string]any{"Active in the source system": boolWord(user["accountEnabled"]), "Assigned to the application": "True"}),
			logStep("EntrySynchronizationAdd", "matching", matchDesc, map[string]any{}),
			logStep("EntryExportAdd", "export", exportDesc, map[string]any{"ReportableIdentifier": upn}),
		},
		"modifiedProperties": []any{map[string]any{"displayName": "user_name", "oldValue": nil, "newValue": upn}},
	}
	return onDemandOutcome{result: "Success", details: map[string]any{}, value: value, entry: entry}
}

// onDemandStep is a step as provisionOnDemand's value spells it: type
// (not provisioningStepType) and PascalCase statuses.
func onDemandStep(name, typ, status, desc, at string, details map[string]any) map[string]any {
	if details == nil {
		details = map[string]any{}
	}
	return map[string]any{"name": name, "type": typ, "status": status, "description": desc, "timestamp": at, "details": details}
}

// logStep is a successful step as the provisioning logs spell it.
func logStep(name, typ, desc string, details map[string]any) map[string]any {
	return map[string]any{"name": name, "provisioningStepType": typ, "status": "success", "description": desc, "details": details}
}

func pascal(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func strOf(v any) string { s, _ := v.(string); return s }

func asList(v any) []any { l, _ := v.([]any); return l }

// boolWord writes a boolean as the service does in step details.
func boolWord(v any) string {
	if b, ok := v.(bool); ok && !b {
		return "False"
	}
	return "True"
}

// assignedDirectly reports whether the user is assigned to the app, or a
// group the user is a direct member of is (provisioning ignores nested
// groups).
func assignedDirectly(s *Server, t *Tenant, spID, userID string) bool {
	idx := s.index(t)
	assigned := func(principal string) bool {
		for _, a := range idx.byPrincipal[strings.ToLower(principal)] {
			if r, _ := a["resourceId"].(string); strings.EqualFold(r, spID) {
				return true
			}
		}
		return false
	}
	if assigned(userID) {
		return true
	}
	for g, members := range t.GroupMembers {
		for _, m := range members {
			if strings.EqualFold(m, userID) && assigned(g) {
				return true
			}
		}
	}
	return false
}

// newestEntry is the user's newest provisioning log entry for the app.
func newestEntry(t *Tenant, spID, userID string) Object {
	var list []Object
	for _, e := range t.Provisioning {
		sp, _ := e["servicePrincipal"].(map[string]any)
		src, _ := e["sourceIdentity"].(map[string]any)
		if id, _ := sp["id"].(string); !strings.EqualFold(id, spID) {
			continue
		}
		if id, _ := src["id"].(string); strings.EqualFold(id, userID) {
			list = append(list, e)
		}
	}
	if len(list) == 0 {
		return nil
	}
	sort.SliceStable(list, func(i, j int) bool {
		return timeOf(list[i]["activityDateTime"]).After(timeOf(list[j]["activityDateTime"]))
	})
	return list[0]
}

// restartScopes are the values of synchronizationJobRestartScope.
// https://learn.microsoft.com/graph/api/resources/synchronization-synchronizationjobrestartcriteria
var restartScopes = []string{"None", "ConnectorDataStore", "Escrows", "Watermark", "QuarantineState", "Full", "ForceDeletes"}

// restartJob restarts a job: the quarantine is lifted, the escrows and the
// watermark dropped (an empty or absent resetScope does what the admin
// center's Restart does), and a new initial cycle begins. 204 No Content.
func (s *Server) restartJob(c *call) response {
	var req struct {
		Criteria *struct {
			ResetScope *string `json:"resetScope"`
			OdataType  string  `json:"@odata.type,omitempty"`
		} `json:"criteria"`
	}
	if len(bytes.TrimSpace(c.body)) > 0 {
		if err := decodeStrict(c.body, &req); err != nil {
			return errResponse(err)
		}
	}
	if req.Criteria != nil && req.Criteria.ResetScope != nil {
		for _, v := range strings.Split(*req.Criteria.ResetScope, ",") {
			if v = strings.TrimSpace(v); v != "" && !containsFold(restartScopes, v) {
				return errResponse(newError(http.StatusBadRequest, codeBadRequest,
					"The value '%s' is not a valid synchronizationJobRestartScope.", v))
			}
		}
	}
	_, job, unlock, aerr := s.writeCall(c)
	if aerr != nil {
		return errResponse(aerr)
	}
	defer unlock()
	now := s.now().UTC().Format(time.RFC3339Nano)
	st, _ := job["status"].(map[string]any)
	if st == nil {
		st = map[string]any{}
		job["status"] = st
	}
	st["code"] = "Active"
	st["quarantine"] = nil
	st["escrowsPruned"] = false
	st["countSuccessiveCompleteFailures"] = 0
	st["progress"] = []any{map[string]any{"completedUnits": 0, "totalUnits": 1, "units": "Pages", "progressObservationDateTime": now}}
	if sch, _ := job["schedule"].(map[string]any); sch != nil {
		sch["state"] = "Active"
	}
	return response{status: http.StatusNoContent}
}
