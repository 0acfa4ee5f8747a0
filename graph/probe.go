package graph

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"github.com/provbot/provbot/diagnose"
)

// ProbeResult is the outcome of one permission check of Probe.
type ProbeResult struct {
	// Name says what was tried ("read provisioning logs").
	Name string
	// Permission is the application permission it needs.
	Permission string
	// Optional is true when provbot works without it.
	Optional bool
	// Licence is true when it failed because the tenant lacks Microsoft
	// Entra ID P1 or P2.
	Licence bool
	// Err is nil when it worked.
	Err error
}

// Probe checks, with one small request each, that the credential reaches
// Graph and holds every permission the client uses, for the command
// line's check command. The checks that need an id (a user's groups, an
// app's jobs and scope settings) use the first user and app found, one
// round trip later; with nothing to check them on they fail saying so.
// Probe builds the app catalog (see Warm) and spends one request of the
// reporting budget.
func (c *Client) Probe(ctx context.Context) (out []ProbeResult) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("recovered from a panic", "op", "probe", "panic", fmt.Sprint(r))
			out = append(out, ProbeResult{Name: "probe", Err: &Error{Op: "probe", Code: CodeInternal,
				Message: fmt.Sprintf("recovered from a panic: %v", r), kind: ErrUnavailable}})
		}
	}()
	one := int32(1)
	var (
		wg                                      sync.WaitGroup
		userID, appID                           string
		usersErr, catalogErr, logsErr           error
		memberErr, assignErr, jobsErr, scopeErr error
	)
	wg.Go(func() {
		usersErr = c.send(ctx, opFindUsers, func(ctx context.Context) error {
			resp, err := c.usersBuilder().Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{
				QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Select: []string{"id"}, Top: &one},
			})
			if err == nil && resp != nil && len(resp.GetValue()) > 0 && resp.GetValue()[0] != nil {
				userID = deref(resp.GetValue()[0].GetId())
			}
			return err
		})
	})
	wg.Go(func() {
		catalogErr = protect(func() error {
			infos, err := c.buildCatalog(ctx)
			if err == nil && len(infos) > 0 {
				appID = infos[0].id
			}
			return err
		})
	})
	wg.Go(func() {
		logsErr = protect(func() error {
			return c.fetchLogs(ctx, "", 1, nil, func([]diagnose.Entry, bool) bool { return false })
		})
	})
	wg.Wait()

	switch {
	case usersErr != nil:
		memberErr = notChecked("reading users failed")
		assignErr = memberErr
	case userID == "":
		memberErr = notChecked("the tenant has no users")
		assignErr = memberErr
	default:
		wg.Go(func() { memberErr = protect(func() error { _, err := c.userGroups(ctx, userID, false); return err }) })
		wg.Go(func() {
			assignErr = c.send(ctx, opUserAssignments, func(ctx context.Context) error {
				_, err := c.usersBuilder().ByUserId(userID).AppRoleAssignments().Get(ctx, &users.ItemAppRoleAssignmentsRequestBuilderGetRequestConfiguration{
					QueryParameters: &users.ItemAppRoleAssignmentsRequestBuilderGetQueryParameters{Top: &one},
				})
				return err
			})
		})
	}
	switch {
	case catalogErr != nil:
		// Building the catalog lists service principals, then their jobs.
		var e *Error
		if errors.As(catalogErr, &e) && e.Permission == opJobs.permission {
			jobsErr = catalogErr
			catalogErr = c.send(ctx, opListApps, func(ctx context.Context) error {
				filter := "servicePrincipalType eq 'Application'"
				_, err := c.spBuilder().Get(ctx, &serviceprincipals.ServicePrincipalsRequestBuilderGetRequestConfiguration{
					QueryParameters: &serviceprincipals.ServicePrincipalsRequestBuilderGetQueryParameters{Filter: &filter, Select: []string{"id"}, Top: &one},
				})
				return err
			})
		} else {
			jobsErr = notChecked("reading enterprise apps failed")
		}
		scopeErr = notChecked("no provisioning app could be read")
	case appID == "":
		scopeErr = notChecked("no app provisions users yet")
	default:
		wg.Go(func() { scopeErr = protect(func() error { _, err := c.readSecrets(ctx, appID); return err }) })
	}
	wg.Wait()

	return []ProbeResult{
		probeResult("read users", opFindUsers.permission, false, usersErr),
		probeResult("read group memberships", opMemberOf.permission, false, memberErr),
		probeResult("read app role assignments", opUserAssignments.permission, false, assignErr),
		probeResult("read enterprise apps", opListApps.permission, false, catalogErr),
		probeResult("read provisioning jobs", opJobs.permission, false, jobsErr),
		probeResult("read provisioning logs", opProvisioning.permission, false, logsErr),
		probeResult("read the apps' scope settings", opSecrets.permission, true, scopeErr),
	}
}

// notChecked is the error of a check that had nothing to run on.
func notChecked(why string) error {
	return &Error{Op: "probe", Code: "NotChecked", Message: "not checked: " + why, kind: ErrInvalid}
}

func probeResult(name, permission string, optional bool, err error) ProbeResult {
	r := ProbeResult{Name: name, Permission: permission, Optional: optional, Err: err}
	var e *Error
	if errors.As(err, &e) {
		r.Licence = e.Code == CodeNonPremium
		if e.Permission != "" {
			r.Permission = e.Permission // the one Graph says is missing
		}
	}
	return r
}
