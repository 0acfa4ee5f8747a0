package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/auditlogs"

	"github.com/provbot/provbot/diagnose"
)

// maxPageSize is the $top sent on provisioning logs. Graph documents no
// maximum; Microsoft's own examples use 500.
// https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure-graph
const maxPageSize = 500

// opProvisioning lists provisioning logs. Graph documents AuditLog.Read.All
// and Directory.Read.All for it (a 403 names whichever is missing) and an
// Entra ID P1 or P2 licence.
// https://learn.microsoft.com/graph/api/provisioningobjectsummary-list
var opProvisioning = operation{
	name:       "list provisioning logs",
	route:      "GET /auditLogs/provisioning",
	permission: "AuditLog.Read.All",
	reports:    true,
}

// LogQuery selects provisioning log entries for ProvisioningLogs. Empty
// fields do not filter. Graph compares these values case-sensitively, so
// ids are the safe way to find one user.
type LogQuery struct {
	// UserID matches sourceIdentity/id: for outbound provisioning the
	// user's Entra object id.
	UserID string
	// TargetID matches targetIdentity/id: the object's id in the app.
	TargetID string
	// AppID matches servicePrincipal/id: the enterprise app's object id.
	AppID string
	// Since keeps entries after this time (activityDateTime gt).
	Since time.Time
	// Status keeps entries with this outcome.
	Status diagnose.Result
	// Action keeps entries with this action.
	Action diagnose.Action
	// Max is the most entries returned, newest first; 0 means the
	// client's log cap (WithLogCap).
	Max int
	// Progress, when set, is called after each page with the pages
	// fetched and the entries kept so far.
	Progress func(pages, entries int)
}

// filter builds the $filter of q with documented properties and
// operators only (provisioning-facts §1.5).
func (q LogQuery) filter() (string, error) {
	var clauses []string
	add := func(prop, value string) error {
		if value == "" {
			return nil
		}
		lit, err := quote(value)
		if err != nil {
			return fmt.Errorf("%s: %w", prop, err)
		}
		clauses = append(clauses, prop+" eq "+lit)
		return nil
	}
	if err := add("sourceIdentity/id", q.UserID); err != nil {
		return "", err
	}
	if err := add("targetIdentity/id", q.TargetID); err != nil {
		return "", err
	}
	if err := add("servicePrincipal/id", q.AppID); err != nil {
		return "", err
	}
	if !q.Since.IsZero() {
		clauses = append(clauses, "activityDateTime gt "+q.Since.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z"))
	}
	if q.Status != "" {
		switch q.Status {
		case diagnose.ResultSuccess, diagnose.ResultFailure, diagnose.ResultSkipped, diagnose.ResultWarning:
			clauses = append(clauses, "provisioningStatusInfo/status eq "+mustQuote(string(q.Status)))
		default:
			return "", fmt.Errorf("status %q: want success, failure, skipped or warning", q.Status)
		}
	}
	if q.Action != "" {
		switch q.Action {
		case diagnose.ActionCreate, diagnose.ActionUpdate, diagnose.ActionDelete, diagnose.ActionDisable,
			diagnose.ActionStagedDelete, diagnose.ActionOther:
			// The wire spells stagedDelete both ways; tolower() is
			// supported (Microsoft's cross-tenant example uses it).
			clauses = append(clauses, "tolower(provisioningAction) eq "+mustQuote(strings.ToLower(string(q.Action))))
		default:
			return "", fmt.Errorf("action %q: want create, update, delete, disable, stagedDelete or other", q.Action)
		}
	}
	return strings.Join(clauses, " and "), nil
}

// ProvisioningLogs lists provisioning log entries matching q, newest
// first, following @odata.nextLink up to q.Max entries. It spends the
// reporting budget (one request per page). A page that fails midway fails
// the whole call: no partial list is returned. Errors are *Error:
// ErrForbidden names AuditLog.Read.All (or says the tenant lacks Entra ID
// P1/P2), ErrThrottled carries Retry-After, ErrInvalid reports a value
// that cannot go into a filter.
//
// https://learn.microsoft.com/graph/api/provisioningobjectsummary-list
func (c *Client) ProvisioningLogs(ctx context.Context, q LogQuery) ([]diagnose.Entry, error) {
	l, err := c.ListProvisioningLogs(ctx, q)
	return l.Entries, err
}

// LogList is what ListProvisioningLogs found.
type LogList struct {
	// Entries are the matching entries, newest first, at most the
	// query's Max.
	Entries []diagnose.Entry
	// More is true when Graph holds more matching entries than Max: the
	// rest were not fetched.
	More bool
	// Pages is how many pages were fetched.
	Pages int
}

// ListProvisioningLogs is ProvisioningLogs that also says whether more
// entries match than were fetched. With an empty query it lists every
// entry of the tenant, as the admin center's provisioning logs blade does.
// Each page waits its turn for the reporting budget, behind the requests
// already queued (the bot's lookups, when the client serves both), so a
// long listing never starves them.
//
// https://learn.microsoft.com/graph/api/provisioningobjectsummary-list
func (c *Client) ListProvisioningLogs(ctx context.Context, q LogQuery) (out LogList, err error) {
	defer c.recoverAs(&err, opProvisioning.name)
	filter, err := q.filter()
	if err != nil {
		return LogList{}, invalidInput(opProvisioning.name, "%v", err)
	}
	limit := q.Max
	if limit <= 0 {
		limit = c.cfg.logCap
	}
	err = c.fetchLogs(ctx, filter, min(limit, maxPageSize), nil, func(entries []diagnose.Entry, next bool) bool {
		out.Pages++
		out.Entries = append(out.Entries, entries...)
		full := len(out.Entries) >= limit
		if full {
			out.More = len(out.Entries) > limit || next
			out.Entries = out.Entries[:limit]
		}
		if q.Progress != nil {
			q.Progress(out.Pages, len(out.Entries))
		}
		return !full
	})
	if err != nil {
		return LogList{}, err
	}
	return out, nil
}

// fetchLogs pages through /auditLogs/provisioning: it sends filter with
// $top and $orderby=activityDateTime desc, hands each page's entries to
// page (with whether a next page exists), and follows @odata.nextLink
// while page returns true. slot, when set, is a budget slot the caller
// holds for the first page.
//
// https://learn.microsoft.com/graph/api/provisioningobjectsummary-list
func (c *Client) fetchLogs(ctx context.Context, filter string, top int, slot func(bool), page func(entries []diagnose.Entry, next bool) bool) error {
	top32 := int32(top)
	params := &auditlogs.ProvisioningRequestBuilderGetQueryParameters{
		Top:     &top32,
		Orderby: []string{"activityDateTime desc"},
	}
	if filter != "" {
		params.Filter = &filter
	}
	build := func(ctx context.Context) (*abstractions.RequestInformation, error) {
		return c.auditBuilder().Provisioning().ToGetRequestInformation(ctx,
			&auditlogs.ProvisioningRequestBuilderGetRequestConfiguration{QueryParameters: params})
	}
	for n := 1; ; n++ {
		op := opProvisioning
		if n > 1 {
			op.name = fmt.Sprintf("%s (page %d)", op.name, n)
		}
		body, err := c.getRaw(ctx, op, slot, build)
		slot = nil
		if err != nil {
			return err
		}
		entries, next, err := decodeLogPage(body)
		if err != nil {
			return malformed(op.name, err)
		}
		if !page(entries, next != "") || next == "" {
			return nil
		}
		build = func(ctx context.Context) (*abstractions.RequestInformation, error) {
			return c.auditBuilder().Provisioning().WithUrl(next).ToGetRequestInformation(ctx, nil)
		}
	}
}

// decodeLogPage decodes one page of provisioning logs.
func decodeLogPage(body []byte) ([]diagnose.Entry, string, error) {
	root, err := parseJSON(body)
	if err != nil {
		return nil, "", err
	}
	if !root.isObject() || root.child("value").kind() != kindArray {
		return nil, "", errors.New("the answer has no value array")
	}
	entries, next, _, _ := entriesFromDocument(root)
	return entries, next, nil
}

// malformed is the error for an answer that does not decode.
func malformed(op string, err error) *Error {
	return &Error{Op: op, Code: CodeMalformedResponse, Message: err.Error(), Err: err}
}
