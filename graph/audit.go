package graph

import (
	"context"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/auditlogs"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/provbot/provbot/diagnose"
)

// opAudits lists directory audit events. It is a reporting route: it
// spends the same budget as the provisioning logs.
// https://learn.microsoft.com/graph/api/directoryaudit-list
var opAudits = operation{
	name:       "list directory audits",
	route:      "GET /auditLogs/directoryAudits",
	permission: "AuditLog.Read.All",
	reports:    true,
}

// auditPageSize is how many "Add member to group" events are read: one
// page, newest first.
const auditPageSize = 100

// membershipJoins returns when the user was last added to each group,
// from the directory audit log ("Add member to group", kept 30 days).
// Gather asks only when the answer depends on it; the request waits for
// the reporting budget in turn with the provisioning log requests, and
// why says why it could not be made (before ctx ended, or it failed;
// empty when it read the log), so the membership date stays unknown and
// the answer says what it depends on.
//
// https://learn.microsoft.com/graph/api/directoryaudit-list
// https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities
func (c *Client) membershipJoins(ctx context.Context, userID string, refresh bool) (memberJoins, diagnose.Unread) {
	key := lowerID(userID)
	if !refresh {
		if j, ok := c.joins.get(key); ok {
			return j, ""
		}
	}
	filter := "activityDisplayName eq 'Add member to group' and targetResources/any(t:t/id eq " + mustQuote(userID) + ")"
	top := int32(auditPageSize)
	var resp models.DirectoryAuditCollectionResponseable
	err := c.send(ctx, opAudits, func(ctx context.Context) error {
		var err error
		resp, err = c.auditBuilder().DirectoryAudits().Get(ctx, &auditlogs.DirectoryAuditsRequestBuilderGetRequestConfiguration{
			QueryParameters: &auditlogs.DirectoryAuditsRequestBuilderGetQueryParameters{Filter: &filter, Top: &top},
		})
		return err
	})
	if err != nil || resp == nil {
		c.log.Debug("the membership audit lookup failed", "user", userID, "err", err)
		return nil, nonEmptyUnread(unreadOf(err))
	}
	joins := memberJoins{}
	for _, a := range resp.GetValue() {
		if a == nil || a.GetActivityDateTime() == nil {
			continue
		}
		if r := a.GetResult(); r != nil && *r != models.SUCCESS_OPERATIONRESULT {
			continue
		}
		at := a.GetActivityDateTime().UTC()
		for _, t := range a.GetTargetResources() {
			if t == nil || !strings.EqualFold(deref(t.GetTypeEscaped()), "Group") {
				continue
			}
			id := lowerID(deref(t.GetId()))
			if id != "" && at.After(joins[id]) {
				joins[id] = at
			}
		}
	}
	c.joins.put(key, joins)
	return joins, ""
}
