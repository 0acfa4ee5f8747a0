package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/logsafe"
)

// opSchema reads a job's synchronization schema, for the id of the rule
// that provisions users from Microsoft Entra ID.
// https://learn.microsoft.com/graph/api/synchronization-synchronizationschema-get
var opSchema = operation{
	name:       "read a job's synchronization schema",
	route:      "GET /servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/schema",
	permission: "Synchronization.Read.All",
}

// opProvisionOnDemand provisions one user now.
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-provisionondemand
var opProvisionOnDemand = operation{
	name:       "provision a user on demand",
	route:      "POST /servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/provisionOnDemand",
	permission: diagnose.WritePermission,
}

// entraDirectoryNames are the names the provisioning service gives
// Microsoft Entra ID as a rule's source directory (the older name first).
var entraDirectoryNames = []string{"Azure Active Directory", "Microsoft Entra ID"}

// ProvisionOnDemand provisions one user (an object id) into an app now,
// through the job's rule that provisions users from Microsoft Entra ID
// (read from the job's schema), and returns what the service did. The
// service runs the same steps as a cycle would and provisions no one the
// cycle would skip; Microsoft allows 5 calls per 10 seconds, and one user
// at a time per job (a 409 otherwise). A 429 is not retried: the answer
// says when to try again (Error.RetryAfter).
//
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-provisionondemand
// https://learn.microsoft.com/entra/identity/app-provisioning/provision-on-demand
func (c *Client) ProvisionOnDemand(ctx context.Context, servicePrincipalID, jobID, userID string) (res diagnose.OnDemandResult, err error) {
	defer c.recoverAs(&err, opProvisionOnDemand.name)
	switch {
	case !isGUID(servicePrincipalID):
		return res, invalidInput(opProvisionOnDemand.name, "service principal id %q: want an object id (GUID)", logsafe.Cap(servicePrincipalID))
	case !isGUID(userID):
		return res, invalidInput(opProvisionOnDemand.name, "user id %q: want an object id (GUID)", logsafe.Cap(userID))
	case checkText("job id", jobID) != nil || jobID == "":
		return res, invalidInput(opProvisionOnDemand.name, "job id %q is not a job id", logsafe.Cap(jobID))
	}
	ruleID, err := c.userRuleID(ctx, servicePrincipalID, jobID)
	if err != nil {
		return res, err
	}
	body, requestID, err := c.postRaw(ctx, opProvisionOnDemand, func(ctx context.Context) (*abstractions.RequestInformation, error) {
		subject := models.NewSynchronizationJobSubject()
		subject.SetObjectId(&userID)
		typ := "User"
		subject.SetObjectTypeName(&typ)
		params := models.NewSynchronizationJobApplicationParameters()
		params.SetRuleId(&ruleID)
		params.SetSubjects([]models.SynchronizationJobSubjectable{subject})
		b := serviceprincipals.NewItemSynchronizationJobsItemProvisionOnDemandPostRequestBody()
		b.SetParameters([]models.SynchronizationJobApplicationParametersable{params})
		return c.spBuilder().ByServicePrincipalId(servicePrincipalID).Synchronization().Jobs().
			BySynchronizationJobId(jobID).ProvisionOnDemand().ToPostRequestInformation(ctx, b, nil)
	})
	if err != nil {
		return res, err
	}
	res, err = onDemandFromBody(body, servicePrincipalID, jobID, userID, c.cfg.now())
	res.RequestID = requestID
	return res, err
}

// userRuleID finds the job's synchronization rule that provisions users
// from Microsoft Entra ID: the rule whose source directory is Entra ID
// and that maps a user object; when several do, the first by priority.
// Answers are reused for the job cache TTL.
//
// How to pick the rule is not documented beyond "defined in the schema";
// Microsoft Q&A: https://learn.microsoft.com/answers/questions/2123513
func (c *Client) userRuleID(ctx context.Context, spID, jobID string) (string, error) {
	key := lowerID(spID) + "/" + jobID
	if id, ok := c.act.rules.get(key); ok {
		return id, nil
	}
	body, err := c.getRaw(ctx, opSchema, nil, func(ctx context.Context) (*abstractions.RequestInformation, error) {
		return c.spBuilder().ByServicePrincipalId(spID).Synchronization().Jobs().
			BySynchronizationJobId(jobID).Schema().ToGetRequestInformation(ctx, nil)
	})
	if err != nil {
		return "", err
	}
	id, err := userRuleFromSchema(body)
	if err != nil {
		return "", err
	}
	c.act.rules.put(key, id)
	return id, nil
}

// userRuleFromSchema picks the rule id from a synchronizationSchema.
func userRuleFromSchema(body []byte) (string, error) {
	var schema struct {
		Rules []struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			Source   string `json:"sourceDirectoryName"`
			Priority int    `json:"priority"`
			Mappings []struct {
				Enabled *bool  `json:"enabled"`
				Source  string `json:"sourceObjectName"`
			} `json:"objectMappings"`
		} `json:"synchronizationRules"`
	}
	if err := json.Unmarshal(body, &schema); err != nil {
		return "", malformed(opSchema.name, err)
	}
	best, bestPrio := "", 0
	for _, r := range schema.Rules {
		if r.ID == "" || !containsFoldString(entraDirectoryNames, r.Source) {
			continue
		}
		users := len(r.Mappings) == 0 // a schema read without its mappings
		for _, m := range r.Mappings {
			if strings.EqualFold(m.Source, "User") && (m.Enabled == nil || *m.Enabled) {
				users = true
			}
		}
		if users && (best == "" || r.Priority < bestPrio) {
			best, bestPrio = r.ID, r.Priority
		}
	}
	if best == "" {
		return "", &Error{Op: opSchema.name, Code: "NoUserRule",
			Message: "the job's schema has no rule that provisions users from Microsoft Entra ID", kind: ErrInvalid}
	}
	return best, nil
}

func containsFoldString(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(s), x) {
			return true
		}
	}
	return false
}

// onDemandKey is the key of provisionOnDemand's answer: JSON in a string.
type onDemandKey struct {
	Result  string `json:"result"`
	Details struct {
		ErrorCode    string `json:"errorCode"`
		ErrorMessage string `json:"errorMessage"`
	} `json:"details"`
}

// onDemandValue is the value of provisionOnDemand's answer: a log-like
// object, JSON in a string, whose names differ from provisioningObjectSummary
// (type for provisioningStepType, PascalCase statuses, a flat statusInfo).
type onDemandValue struct {
	Action    string `json:"action"`
	ChangeID  string `json:"changeId"`
	StartTime string `json:"startTime"`
	EndTime   string `json:"endTime"`
	Modified  []struct {
		Name     string  `json:"displayName"`
		OldValue *string `json:"oldValue"`
		NewValue *string `json:"newValue"`
	} `json:"modifiedProperties"`
	Steps []struct {
		Name        string                     `json:"name"`
		Type        string                     `json:"type"`
		Status      string                     `json:"status"`
		Description string                     `json:"description"`
		Timestamp   string                     `json:"timestamp"`
		Details     map[string]json.RawMessage `json:"details"`
	} `json:"provisioningSteps"`
	Reportable string `json:"reportableIdentifier"`
	StatusInfo struct {
		Status            string  `json:"status"`
		ErrorCode         *string `json:"errorCode"`
		Reason            *string `json:"reason"`
		AdditionalDetails *string `json:"additionalDetails"`
		ErrorCategory     *string `json:"errorCategory"`
		RecommendedAction *string `json:"recommendedAction"`
	} `json:"statusInfo"`
	SourceIdentity onDemandIdentity `json:"sourceIdentity"`
	TargetIdentity onDemandIdentity `json:"targetIdentity"`
	SourceSystem   struct {
		Name *string `json:"name"`
	} `json:"sourceSystem"`
	TargetSystem struct {
		Name *string `json:"name"`
	} `json:"targetSystem"`
}

type onDemandIdentity struct {
	ID          *string `json:"id"`
	Type        *string `json:"type"`
	DisplayName *string `json:"displayName"`
}

// onDemandFromBody reads provisionOnDemand's answer. The entry it makes
// is about userID (the user asked for): Microsoft's own example answer
// names another id in sourceIdentity than in its steps, so the id sent
// is not trusted to say whom the answer is about.
func onDemandFromBody(body []byte, spID, jobID, userID string, now time.Time) (diagnose.OnDemandResult, error) {
	var res diagnose.OnDemandResult
	var pair struct {
		Key   *string `json:"key"`
		Value *string `json:"value"`
	}
	if err := json.Unmarshal(body, &pair); err != nil {
		return res, malformed(opProvisionOnDemand.name, err)
	}
	if pair.Key == nil || pair.Value == nil {
		return res, malformed(opProvisionOnDemand.name, errors.New("the answer has no key or no value"))
	}
	var k onDemandKey
	if err := json.Unmarshal([]byte(*pair.Key), &k); err != nil {
		return res, malformed(opProvisionOnDemand.name, fmt.Errorf("key: %w", err))
	}
	var v onDemandValue
	if err := json.Unmarshal([]byte(*pair.Value), &v); err != nil {
		return res, malformed(opProvisionOnDemand.name, fmt.Errorf("value: %w", err))
	}
	res.Result, res.ErrorCode, res.ErrorMessage = k.Result, k.Details.ErrorCode, k.Details.ErrorMessage
	e := diagnose.Entry{
		ChangeID:         v.ChangeID,
		JobID:            jobID,
		RawAction:        v.Action,
		Action:           diagnose.ParseAction(v.Action),
		ServicePrincipal: diagnose.ServicePrincipal{ID: spID},
		Source:           diagnose.Identity{ID: userID, Type: "User", DisplayName: deref(v.SourceIdentity.DisplayName)},
		Target:           diagnose.Identity{ID: deref(v.TargetIdentity.ID), Type: deref(v.TargetIdentity.Type), DisplayName: deref(v.TargetIdentity.DisplayName)},
		SourceSystem:     diagnose.System{DisplayName: deref(v.SourceSystem.Name)},
		TargetSystem:     diagnose.System{DisplayName: deref(v.TargetSystem.Name)},
	}
	if v.Action == "" {
		e.Action = diagnose.ActionOther
	}
	e.RawStatus = v.StatusInfo.Status
	if e.RawStatus == "" {
		e.RawStatus = k.Result
	}
	e.Status = diagnose.ParseResult(e.RawStatus)
	code, reason := deref(v.StatusInfo.ErrorCode), deref(v.StatusInfo.Reason)
	if code == "" && e.Status != diagnose.ResultSuccess {
		code = k.Details.ErrorCode
	}
	if reason == "" && e.Status != diagnose.ResultSuccess {
		reason = k.Details.ErrorMessage
	}
	if code != "" || reason != "" {
		e.Error = &diagnose.ErrorInfo{Code: code, Reason: reason, AdditionalDetails: deref(v.StatusInfo.AdditionalDetails),
			Category: deref(v.StatusInfo.ErrorCategory), RecommendedAction: deref(v.StatusInfo.RecommendedAction)}
	}
	if v.Reportable != "" {
		e.Source.Details = map[string]string{"UserPrincipalName": v.Reportable}
	}
	for _, m := range v.Modified {
		e.Modified = append(e.Modified, diagnose.ModifiedProperty{Name: m.Name, OldValue: deref(m.OldValue), NewValue: deref(m.NewValue)})
	}
	var last time.Time
	for _, s := range v.Steps {
		st := diagnose.Step{Name: s.Name, RawType: s.Type, Type: diagnose.ParseStepType(s.Type),
			RawStatus: s.Status, Status: diagnose.ParseResult(s.Status), Description: s.Description}
		if len(s.Details) > 0 {
			st.Details = make(map[string]string, len(s.Details))
			for dk, dv := range s.Details {
				var str string
				if json.Unmarshal(dv, &str) == nil {
					st.Details[dk] = str
				} else if string(dv) != "null" {
					st.Details[dk] = string(dv)
				}
			}
		}
		if t, ok := parseWireTime(s.Timestamp); ok && t.After(last) {
			last = t
		}
		e.Steps = append(e.Steps, st)
	}
	// The answer's own time; a step's, else now (example 2 of the
	// documentation sends steps only).
	switch t, ok := parseWireTime(v.EndTime); {
	case ok:
		e.ActivityTime = t
	case !last.IsZero():
		e.ActivityTime = last
	default:
		e.ActivityTime = now.UTC()
	}
	if t, ok := parseWireTime(v.StartTime); ok && !e.ActivityTime.Before(t) {
		e.Duration = e.ActivityTime.Sub(t)
	}
	id := v.ChangeID
	if id == "" {
		id = e.ActivityTime.Format(time.RFC3339Nano)
	}
	e.ID = diagnose.OnDemandEntryPrefix + id
	res.Entry = e
	return res, nil
}

// parseWireTime reads an ISO 8601 time as Graph sends it; "" and Graph's
// zero sentinel are no time.
func parseWireTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil || t.Year() <= 1 {
		return time.Time{}, false
	}
	return t.UTC(), true
}
