package graph

import (
	"time"

	"github.com/provbot/provbot/diagnose"
)

// entryFromNode converts one provisioningObjectSummary, as Graph v1.0,
// Graph beta or the portal's JSON download spells it, into a
// diagnose.Entry. It never fails: a field it cannot read stays empty and
// every enum keeps its raw spelling beside the parsed value. It reports
// false when the node is not an object at all.
//
// Wire quirks handled (provisioning-facts §1.4, §1.6):
//   - enum casing varies ("Import"/"import", "stageddelete"/"stagedDelete")
//     and unknown members ("unknownFutureValue", newer ones) occur;
//   - initiatedBy carries initiatingType instead of initiatorType in one
//     of Microsoft's own examples;
//   - beta and the portal download use action and a flat statusInfo
//     instead of provisioningAction and provisioningStatusInfo;
//   - the documentation names errorInformation errorInfo (once errorinfo);
//   - servicePrincipal is one object on the wire, a collection in the
//     documentation;
//   - timestamps may be "", have no zone, or be 0001-01-01T00:00:00Z;
//   - null stands for "" in modified property values and error fields.
//
// https://learn.microsoft.com/graph/api/resources/provisioningobjectsummary
func entryFromNode(n jnode) (diagnose.Entry, bool) {
	if !n.isObject() {
		return diagnose.Entry{}, false
	}
	e := diagnose.Entry{
		ID:           n.str("id"),
		ActivityTime: n.time("activityDateTime"),
		ChangeID:     n.str("changeId"),
		CycleID:      n.str("cycleId"),
		JobID:        n.str("jobId"),
		TenantID:     n.str("tenantId"),
		Duration:     time.Duration(n.int("durationInMilliseconds")) * time.Millisecond,
	}
	e.RawAction = n.strOf("provisioningAction", "action")
	e.Action = diagnose.ParseAction(e.RawAction)

	if psi := n.child("provisioningStatusInfo"); psi.isObject() {
		e.RawStatus = psi.str("status")
		if ei := psi.first("errorInformation", "errorInfo", "errorinfo"); ei.isObject() {
			e.Error = errorInfoFromNode(ei)
		}
	} else if si := n.child("statusInfo"); si.isObject() {
		// Beta's deprecated statusDetails: the error fields sit beside status.
		e.RawStatus = si.str("status")
		if si.strOf("errorCode", "reason", "additionalDetails", "errorCategory", "recommendedAction") != "" {
			e.Error = errorInfoFromNode(si)
		}
	}
	e.Status = diagnose.ParseResult(e.RawStatus)

	for _, s := range n.child("provisioningSteps").items() {
		if !s.isObject() {
			continue
		}
		raw := s.strOf("provisioningStepType", "type")
		rawStatus := s.str("status")
		e.Steps = append(e.Steps, diagnose.Step{
			Name:        s.str("name"),
			Type:        diagnose.ParseStepType(raw),
			RawType:     raw,
			Status:      diagnose.ParseResult(rawStatus),
			RawStatus:   rawStatus,
			Description: s.str("description"),
			Details:     s.child("details").stringMap(),
		})
	}
	for _, m := range n.child("modifiedProperties").items() {
		if !m.isObject() {
			continue
		}
		e.Modified = append(e.Modified, diagnose.ModifiedProperty{
			Name:     m.strOf("displayName", "name"),
			OldValue: m.str("oldValue"),
			NewValue: m.str("newValue"),
		})
	}
	e.Source = identityFromNode(n.child("sourceIdentity").one())
	e.Target = identityFromNode(n.child("targetIdentity").one())
	sp := n.child("servicePrincipal").one()
	e.ServicePrincipal = diagnose.ServicePrincipal{ID: sp.str("id"), Name: sp.strOf("displayName", "name")}
	e.SourceSystem = systemFromNode(n.child("sourceSystem").one())
	e.TargetSystem = systemFromNode(n.child("targetSystem").one())
	ib := n.child("initiatedBy").one()
	e.InitiatedBy = diagnose.Initiator{
		ID:          ib.str("id"),
		DisplayName: ib.str("displayName"),
		Type:        ib.strOf("initiatorType", "initiatingType"),
	}
	return e, true
}

// errorInfoFromNode reads a provisioningErrorInfo (or beta's flat
// statusDetails).
func errorInfoFromNode(n jnode) *diagnose.ErrorInfo {
	return &diagnose.ErrorInfo{
		Code:              n.str("errorCode"),
		Reason:            n.str("reason"),
		AdditionalDetails: n.str("additionalDetails"),
		Category:          n.str("errorCategory"),
		RecommendedAction: n.str("recommendedAction"),
	}
}

// identityFromNode reads a provisionedIdentity.
func identityFromNode(n jnode) diagnose.Identity {
	return diagnose.Identity{
		ID:          n.str("id"),
		DisplayName: n.str("displayName"),
		Type:        n.strOf("identityType", "type"),
		Details:     n.child("details").stringMap(),
	}
}

// systemFromNode reads a provisioningSystem.
func systemFromNode(n jnode) diagnose.System {
	return diagnose.System{
		ID:          n.str("id"),
		DisplayName: n.strOf("displayName", "name"),
		Details:     n.child("details").stringMap(),
	}
}

// entriesFromDocument finds the entries of a document: a Graph list
// answer {"value":[...]}, a bare array, or a single entry. It returns the
// next link when there is one, and how many elements were not objects.
func entriesFromDocument(root jnode) (entries []diagnose.Entry, nextLink string, skipped int, ok bool) {
	var items []jnode
	switch root.kind() {
	case kindArray:
		items, _ = root.elements()
	case kindObject:
		if v := root.child("value"); !v.null() {
			els, isArr := v.elements()
			if !isArr {
				return nil, "", 0, false
			}
			items = els
			nextLink = root.str("@odata.nextLink")
		} else if !root.child("id").null() || !root.child("activityDateTime").null() {
			items = []jnode{root}
		} else {
			return nil, "", 0, false
		}
	default:
		return nil, "", 0, false
	}
	entries = make([]diagnose.Entry, 0, len(items))
	for _, it := range items {
		e, ok := entryFromNode(it)
		if !ok {
			skipped++
			continue
		}
		entries = append(entries, e)
	}
	return entries, nextLink, skipped, true
}
