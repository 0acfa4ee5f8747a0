package graph

import (
	"context"
	"errors"
	"slices"

	abstractions "github.com/microsoft/kiota-abstractions-go"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/logsafe"
)

// opJobs lists a service principal's synchronization jobs.
// https://learn.microsoft.com/graph/api/synchronization-synchronization-list-jobs
var opJobs = operation{
	name:       "list synchronization jobs",
	route:      "GET /servicePrincipals/{servicePrincipal-id}/synchronization/jobs",
	permission: "Synchronization.Read.All",
}

// Jobs returns the provisioning (synchronization) jobs of the enterprise
// app whose service principal object id is servicePrincipalID, with their
// status, schedule, last runs and quarantine. Answers are reused for the
// job cache TTL (60 s by default), by every replica when a shared cache
// is configured (WithSharedCache). An app without provisioning has no
// jobs (an empty list, no error); an unknown id matches ErrNotFound.
//
// https://learn.microsoft.com/graph/api/synchronization-synchronization-list-jobs
func (c *Client) Jobs(ctx context.Context, servicePrincipalID string) (jobs []diagnose.Job, err error) {
	defer c.recoverAs(&err, opJobs.name)
	if !isGUID(servicePrincipalID) {
		return nil, invalidInput(opJobs.name, "service principal id %q: want an object id (GUID)", logsafe.Cap(servicePrincipalID))
	}
	jobs, err = c.appJobs(ctx, servicePrincipalID, false)
	return slices.Clone(jobs), err
}

// appJobs returns an app's jobs from the cache or from Graph, coalescing
// concurrent fetches: in memory, and across replicas through the shared
// cache when there is one (see jobsShared). A refresh reads Graph anew
// and shares its answer.
func (c *Client) appJobs(ctx context.Context, spID string, refresh bool) ([]diagnose.Job, error) {
	key := lowerID(spID)
	flight := "jobs:" + key
	if refresh {
		flight = "jobs-fresh:" + key
	} else if jobs, ok := c.jobs.get(key); ok {
		return jobs, nil
	}
	v, err := c.shared(ctx, flight, func(ctx context.Context) (any, error) {
		if refresh {
			return c.fetchJobsShared(ctx, spID)
		}
		return c.jobsShared(ctx, spID)
	})
	jobs, _ := v.([]diagnose.Job)
	return jobs, err
}

// fetchJobsBody gets an app's jobs as Graph sent them.
//
// https://learn.microsoft.com/graph/api/synchronization-synchronization-list-jobs
func (c *Client) fetchJobsBody(ctx context.Context, spID string) ([]byte, error) {
	return c.getRaw(ctx, opJobs, nil, func(ctx context.Context) (*abstractions.RequestInformation, error) {
		return c.spBuilder().ByServicePrincipalId(spID).Synchronization().Jobs().ToGetRequestInformation(ctx, nil)
	})
}

// jobsFromBody decodes an answer of the jobs route.
func jobsFromBody(body []byte) ([]diagnose.Job, error) {
	root, err := parseJSON(body)
	if err != nil {
		return nil, malformed(opJobs.name, err)
	}
	if root.child("value").kind() != kindArray {
		return nil, malformed(opJobs.name, errors.New("the answer has no value array"))
	}
	jobs, _ := jobsFromDocument(root)
	return jobs, nil
}
