package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/escape"
)

// WriteLogs writes entries as a Graph list answer ({"value":[...]}, v1.0
// wire names, indented) that ReadLogs reads back into equal entries.
// Enums are written in their raw spelling when they have one; C1 controls,
// line separators and bidi overrides as \u escapes (escape.JSON).
func WriteLogs(w io.Writer, entries []diagnose.Entry) error {
	doc := wireList{
		Context: "https://graph.microsoft.com/v1.0/$metadata#auditLogs/provisioning",
		Value:   make([]wireEntry, len(entries)),
	}
	for i := range entries {
		doc.Value[i] = toWire(&entries[i])
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write provisioning logs: %w", err)
	}
	if _, err := w.Write(escape.JSON(buf.Bytes())); err != nil {
		return fmt.Errorf("write provisioning logs: %w", err)
	}
	return nil
}

type wireList struct {
	Context string      `json:"@odata.context"`
	Value   []wireEntry `json:"value"`
}

type wireEntry struct {
	ID                     string             `json:"id"`
	ActivityDateTime       string             `json:"activityDateTime"`
	TenantID               string             `json:"tenantId"`
	JobID                  string             `json:"jobId"`
	CycleID                string             `json:"cycleId"`
	ChangeID               string             `json:"changeId"`
	ProvisioningAction     string             `json:"provisioningAction"`
	DurationInMilliseconds int64              `json:"durationInMilliseconds"`
	SourceSystem           wireSystem         `json:"sourceSystem"`
	TargetSystem           wireSystem         `json:"targetSystem"`
	InitiatedBy            wireInitiator      `json:"initiatedBy"`
	ServicePrincipal       wireSP             `json:"servicePrincipal"`
	SourceIdentity         wireIdentity       `json:"sourceIdentity"`
	TargetIdentity         wireIdentity       `json:"targetIdentity"`
	ProvisioningStatusInfo wireStatusInfo     `json:"provisioningStatusInfo"`
	ProvisioningSteps      []wireStep         `json:"provisioningSteps"`
	ModifiedProperties     []wireModifiedProp `json:"modifiedProperties"`
}

type wireSystem struct {
	ID          string            `json:"id"`
	DisplayName string            `json:"displayName"`
	Details     map[string]string `json:"details"`
}

type wireInitiator struct {
	ID            string `json:"id"`
	DisplayName   string `json:"displayName"`
	InitiatorType string `json:"initiatorType"`
}

type wireSP struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

type wireIdentity struct {
	ID           string            `json:"id"`
	DisplayName  string            `json:"displayName"`
	IdentityType string            `json:"identityType"`
	Details      map[string]string `json:"details"`
}

type wireStatusInfo struct {
	Status           string         `json:"status"`
	ErrorInformation *wireErrorInfo `json:"errorInformation"`
}

type wireErrorInfo struct {
	ErrorCode         *string `json:"errorCode"`
	Reason            *string `json:"reason"`
	AdditionalDetails *string `json:"additionalDetails"`
	ErrorCategory     *string `json:"errorCategory"`
	RecommendedAction *string `json:"recommendedAction"`
}

type wireStep struct {
	Name                 string            `json:"name"`
	ProvisioningStepType string            `json:"provisioningStepType"`
	Status               string            `json:"status"`
	Description          string            `json:"description"`
	Details              map[string]string `json:"details"`
}

type wireModifiedProp struct {
	DisplayName string  `json:"displayName"`
	OldValue    *string `json:"oldValue"`
	NewValue    *string `json:"newValue"`
}

// toWire converts an entry to its wire form.
func toWire(e *diagnose.Entry) wireEntry {
	w := wireEntry{
		ID:                     e.ID,
		ActivityDateTime:       wireTime(e.ActivityTime),
		TenantID:               e.TenantID,
		JobID:                  e.JobID,
		CycleID:                e.CycleID,
		ChangeID:               e.ChangeID,
		ProvisioningAction:     rawOr(e.RawAction, string(e.Action), string(diagnose.ActionOther)),
		DurationInMilliseconds: e.Duration.Milliseconds(),
		SourceSystem:           wireSystem{ID: e.SourceSystem.ID, DisplayName: e.SourceSystem.DisplayName, Details: details(e.SourceSystem.Details)},
		TargetSystem:           wireSystem{ID: e.TargetSystem.ID, DisplayName: e.TargetSystem.DisplayName, Details: details(e.TargetSystem.Details)},
		InitiatedBy:            wireInitiator{ID: e.InitiatedBy.ID, DisplayName: e.InitiatedBy.DisplayName, InitiatorType: e.InitiatedBy.Type},
		ServicePrincipal:       wireSP{ID: e.ServicePrincipal.ID, DisplayName: e.ServicePrincipal.Name},
		SourceIdentity:         wireIdent(e.Source),
		TargetIdentity:         wireIdent(e.Target),
		ProvisioningStatusInfo: wireStatusInfo{Status: rawOr(e.RawStatus, string(e.Status), string(diagnose.ResultUnknown))},
		ProvisioningSteps:      make([]wireStep, 0, len(e.Steps)),
		ModifiedProperties:     make([]wireModifiedProp, 0, len(e.Modified)),
	}
	if ei := e.Error; ei != nil {
		w.ProvisioningStatusInfo.ErrorInformation = &wireErrorInfo{
			ErrorCode:         nullable(ei.Code),
			Reason:            nullable(ei.Reason),
			AdditionalDetails: nullable(ei.AdditionalDetails),
			ErrorCategory:     nullable(ei.Category),
			RecommendedAction: nullable(ei.RecommendedAction),
		}
	}
	for _, s := range e.Steps {
		w.ProvisioningSteps = append(w.ProvisioningSteps, wireStep{
			Name:                 s.Name,
			ProvisioningStepType: rawOr(s.RawType, string(s.Type), string(diagnose.StepUnknown)),
			Status:               rawOr(s.RawStatus, string(s.Status), string(diagnose.ResultUnknown)),
			Description:          s.Description,
			Details:              details(s.Details),
		})
	}
	for _, m := range e.Modified {
		w.ModifiedProperties = append(w.ModifiedProperties, wireModifiedProp{
			DisplayName: m.Name, OldValue: nullable(m.OldValue), NewValue: nullable(m.NewValue),
		})
	}
	return w
}

// rawOr returns the raw spelling, else the parsed value unless it is the
// "unknown" that an empty raw value parses to.
func rawOr(raw, parsed, unknown string) string {
	if raw != "" || parsed == unknown {
		return raw
	}
	return parsed
}

func wireIdent(i diagnose.Identity) wireIdentity {
	return wireIdentity{ID: i.ID, DisplayName: i.DisplayName, IdentityType: i.Type, Details: details(i.Details)}
}

// wireTime writes a time as Graph does; the zero time is "".
func wireTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// details writes a nil map as {}, as Graph does.
func details(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// nullable writes "" as null, as Graph does.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
