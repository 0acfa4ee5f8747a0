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
// job cache TTL (60 s by default). An app without provisioning has no
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
// concurrent fetches.
func (c *Client) appJobs(ctx context.Context, spID string, refresh bool) ([]diagnose.Job, error) {
	key := lowerID(spID)
	if !refresh {
		if jobs, ok := c.jobs.get(key); ok {
			return jobs, nil
		}
	}
	v, err := c.shared(ctx, "jobs:"+key, func(ctx context.Context) (any, error) {
		jobs, err := c.fetchJobs(ctx, spID)
		if err == nil {
			c.jobs.put(key, jobs)
		}
		return jobs, err
	})
	jobs, _ := v.([]diagnose.Job)
	return jobs, err
}

// fetchJobs gets an app's jobs. The answer is decoded leniently (see
// jobFromNode): the SDK's typed model fails on the "" timestamps of
// Microsoft's own example.
//
// https://learn.microsoft.com/graph/api/synchronization-synchronization-list-jobs
func (c *Client) fetchJobs(ctx context.Context, spID string) ([]diagnose.Job, error) {
	body, err := c.getRaw(ctx, opJobs, nil, func(ctx context.Context) (*abstractions.RequestInformation, error) {
		return c.spBuilder().ByServicePrincipalId(spID).Synchronization().Jobs().ToGetRequestInformation(ctx, nil)
	})
	if err != nil {
		return nil, err
	}
	return jobsFromBody(body)
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
