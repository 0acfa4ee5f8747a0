package graph

import (
	"context"
	"slices"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/logsafe"
)

// opRestartJob restarts a provisioning job.
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-restart
var opRestartJob = operation{
	name:       "restart a provisioning job",
	route:      "POST /servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/restart",
	permission: diagnose.WritePermission,
}

// restartScope is what a restart resets: the quarantine, the watermark
// (every object in scope is evaluated again, a new initial cycle) and the
// escrows (failures waiting for retry). It is what the admin center's
// "Restart provisioning" does (an empty resetScope emulates it), written
// out so that the request says what it does. Never ConnectorDataStore
// (Microsoft: do not use without support), Full (also breaks the links
// between accounts) or ForceDeletes (applies deletions held back by the
// accidental-deletions threshold).
// https://learn.microsoft.com/graph/api/resources/synchronization-synchronizationjobrestartcriteria
const restartScope = models.QUARANTINESTATE_SYNCHRONIZATIONJOBRESTARTSCOPE |
	models.WATERMARK_SYNCHRONIZATIONJOBRESTARTSCOPE | models.ESCROWS_SYNCHRONIZATIONJOBRESTARTSCOPE

// RestartJob restarts an app's provisioning job with the admin center's
// reset scope (QuarantineState, Watermark, Escrows): the quarantine is
// lifted and a new initial cycle evaluates everyone in scope. It returns
// Graph's request-id. Graph answers 204 No Content.
//
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-restart
func (c *Client) RestartJob(ctx context.Context, servicePrincipalID, jobID string) (requestID string, err error) {
	defer c.recoverAs(&err, opRestartJob.name)
	switch {
	case !isGUID(servicePrincipalID):
		return "", invalidInput(opRestartJob.name, "service principal id %q: want an object id (GUID)", logsafe.Cap(servicePrincipalID))
	case checkText("job id", jobID) != nil || jobID == "":
		return "", invalidInput(opRestartJob.name, "job id %q is not a job id", logsafe.Cap(jobID))
	}
	_, requestID, err = c.postRaw(ctx, opRestartJob, func(ctx context.Context) (*abstractions.RequestInformation, error) {
		scope := models.SynchronizationJobRestartScope(restartScope)
		criteria := models.NewSynchronizationJobRestartCriteria()
		criteria.SetResetScope(&scope)
		b := serviceprincipals.NewItemSynchronizationJobsItemRestartPostRequestBody()
		b.SetCriteria(criteria)
		return c.spBuilder().ByServicePrincipalId(servicePrincipalID).Synchronization().Jobs().
			BySynchronizationJobId(jobID).Restart().ToPostRequestInformation(ctx, b, nil)
	})
	if err == nil {
		// The job's state has changed: the next read asks Graph.
		c.jobs.forget(lowerID(servicePrincipalID))
	}
	return requestID, err
}

// FreshJobs reads an app's provisioning jobs from Graph, not from the
// cache: what a write is decided on (the cache keeps jobs for a minute).
// The answer refreshes the cache.
func (c *Client) FreshJobs(ctx context.Context, servicePrincipalID string) (jobs []diagnose.Job, err error) {
	defer c.recoverAs(&err, opJobs.name)
	if !isGUID(servicePrincipalID) {
		return nil, invalidInput(opJobs.name, "service principal id %q: want an object id (GUID)", logsafe.Cap(servicePrincipalID))
	}
	jobs, err = c.appJobs(ctx, servicePrincipalID, true)
	return slices.Clone(jobs), err
}
