package fakegraph

import (
	"net/http"
	"strings"
)

// Service principals, app role assignments and provisioning jobs.
// https://learn.microsoft.com/graph/api/serviceprincipal-list
// https://learn.microsoft.com/graph/api/serviceprincipal-get
// https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto
// https://learn.microsoft.com/graph/api/user-list-approleassignments
// https://learn.microsoft.com/graph/api/synchronization-synchronization-list-jobs
// https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-get
// https://learn.microsoft.com/graph/api/resources/synchronization-synchronizationsecretkeystringvaluepair?view=graph-rest-beta

// findByID returns the object of list whose id is id (any case).
func findByID(list []Object, id string) Object {
	for _, o := range list {
		if oid, _ := o["id"].(string); strings.EqualFold(oid, id) {
			return o
		}
	}
	return nil
}

func listServicePrincipals(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	return c.list(c.t.ServicePrincipals, q, listSpec{
		entity:  c.s.cat.servicePrincipal,
		filter:  c.s.cat.spFilter,
		context: "servicePrincipals",
		orderBy: map[string]orderRule{
			"displayname": {wire: []string{"displayName"}, typ: edmString, advanced: true},
		},
		maxTop:    999,
		directory: true,
	})
}

func getServicePrincipal(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	sp := findByID(c.t.ServicePrincipals, c.params[0])
	if sp == nil {
		return errResponse(notFound(c.params[0]))
	}
	return c.one(sp, q, c.s.cat.servicePrincipal, "servicePrincipals")
}

// assignmentSpec lists app role assignments.
func (c *call) assignmentSpec(context string) listSpec {
	return listSpec{
		entity:    c.s.cat.assignment,
		filter:    c.s.cat.assignmentFilter,
		context:   context,
		maxTop:    999,
		directory: true,
	}
}

// appRoleAssignedTo lists the assignments granted for a resource service
// principal.
func appRoleAssignedTo(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	sp := findByID(c.t.ServicePrincipals, c.params[0])
	if sp == nil {
		return errResponse(notFound(c.params[0]))
	}
	id, _ := sp["id"].(string)
	out := c.s.index(c.t).byResource[strings.ToLower(id)]
	return c.list(out, q, c.assignmentSpec("servicePrincipals"+quoteKey(id)+"/appRoleAssignedTo"))
}

// userAssignments lists the assignments whose principal is the user.
//
// The v1.0 page says this "also returns app roles assigned to groups that
// the user is a direct member of", but Microsoft's own engineer describes
// the relationship as the assignments where the user is the assigned
// principal, and callers report group-inherited roles missing:
// https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/2281
// https://github.com/rayluo/identity/issues/2
// The fake returns only the user's own assignments, so an adapter that
// needs group assignments must look them up through memberOf and
// appRoleAssignedTo, which works against either behaviour.
func userAssignments(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	u := findUser(c.t, c.params[0])
	if u == nil {
		return errResponse(notFound(c.params[0]))
	}
	id, _ := u["id"].(string)
	out := c.s.index(c.t).byPrincipal[strings.ToLower(id)]
	return c.list(out, q, c.assignmentSpec("users"+quoteKey(id)+"/appRoleAssignments"))
}

// spJobs returns the service principal's id and jobs, or a 404.
func spJobs(c *call) (string, []Object, *apiError) {
	sp := findByID(c.t.ServicePrincipals, c.params[0])
	if sp == nil {
		return "", nil, notFound(c.params[0])
	}
	id, _ := sp["id"].(string)
	for key, jobs := range c.t.SynchronizationJobs {
		if strings.EqualFold(key, id) {
			return id, jobs, nil
		}
	}
	return id, nil, nil
}

func listJobs(c *call) response {
	if _, err := c.query(); err != nil {
		return errResponse(err)
	}
	id, jobs, err := spJobs(c)
	if err != nil {
		return errResponse(err)
	}
	values := make([]Object, 0, len(jobs))
	for _, j := range jobs {
		values = append(values, project(j, c.s.cat.job, nil, ""))
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"@odata.context": c.contextURL("servicePrincipals"+quoteKey(id)+"/synchronization/jobs", nil),
		"value":          values,
	})
}

func getJob(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	id, jobs, aerr := spJobs(c)
	if aerr != nil {
		return errResponse(aerr)
	}
	job := findByID(jobs, c.params[1])
	if job == nil {
		return errResponse(notFound(c.params[1]))
	}
	return c.one(job, q, c.s.cat.job, "servicePrincipals"+quoteKey(id)+"/synchronization/jobs")
}

func listSecrets(c *call) response {
	if _, err := c.query(); err != nil {
		return errResponse(err)
	}
	sp := findByID(c.t.ServicePrincipals, c.params[0])
	if sp == nil {
		return errResponse(notFound(c.params[0]))
	}
	id, _ := sp["id"].(string)
	values := []Object{}
	for key, secrets := range c.t.SynchronizationSecrets {
		if strings.EqualFold(key, id) {
			for _, s := range secrets {
				values = append(values, project(s, c.s.cat.secret, nil, ""))
			}
		}
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"@odata.context": c.contextURL("servicePrincipals"+quoteKey(id)+"/synchronization/secrets", nil),
		"value":          values,
	})
}
