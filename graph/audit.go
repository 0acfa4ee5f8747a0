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
// from the directory audit log ("Add member to group", kept 30 days). It
// is best effort: it runs only when the reporting budget has a slot to
// spare beyond one kept for provisioning logs and nobody is waiting for
// one (it tries once more when logsDone is closed: the lookup's own log
// request has finished, so the wait costs the answer nothing), it is not
// retried, and why says why it did
// not run or failed (empty when it read the log), so the membership date
// stays unknown and the answer says what it depends on.
//
// https://learn.microsoft.com/graph/api/directoryaudit-list
// https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities
func (c *Client) membershipJoins(ctx context.Context, userID string, refresh bool, logsDone <-chan struct{}) (j memberJoins, why diagnose.Unread) {
	key := lowerID(userID)
	if !refresh {
		if j, ok := c.joins.get(key); ok {
			return j, ""
		}
	}
	var slot func(bool)
	if c.budget != nil {
		release, ok := c.budget.spareSlot(ctx, logsDone)
		if !ok {
			c.log.Debug("skipping the membership audit lookup: no spare reporting budget", "user", userID)
			return nil, diagnose.UnreadBudget
		}
		slot = release
	}
	filter := "activityDisplayName eq 'Add member to group' and targetResources/any(t:t/id eq " + mustQuote(userID) + ")"
	top := int32(auditPageSize)
	var resp models.DirectoryAuditCollectionResponseable
	err := c.sendOnce(ctx, opAudits, slot, func(ctx context.Context) error {
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

// sendOnce is send without retries, for best-effort requests.
func (c *Client) sendOnce(ctx context.Context, op operation, slot func(bool), fn func(ctx context.Context) error) error {
	return c.sendWithPolicy(ctx, op, slot, 0, fn)
}
