package fakegraph

import "time"

// The organization, for a licence check.
// https://learn.microsoft.com/graph/api/organization-list

// aadPremiumPlan is the service plan id of Microsoft Entra ID P1
// (AAD_PREMIUM); P2 tenants carry it too.
// https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference
const aadPremiumPlan = "41781fb2-bc02-4b7c-bd55-b576c07bb09d"

// organization returns the tenant's organization object, synthesizing one
// from TenantID and Unlicensed when the tenant has none.
func organization(t *Tenant, now time.Time) Object {
	if t.Organization != nil {
		return t.Organization
	}
	plans := []any{}
	if !t.Unlicensed {
		plans = append(plans, map[string]any{
			"assignedDateTime": now.UTC().AddDate(-1, 0, 0).Truncate(time.Second).Format(time.RFC3339),
			"capabilityStatus": "Enabled",
			"service":          "AADPremiumService",
			"servicePlanId":    aadPremiumPlan,
		})
	}
	return Object{
		"id":              t.TenantID,
		"displayName":     "Contoso",
		"tenantType":      "AAD",
		"assignedPlans":   plans,
		"verifiedDomains": []any{},
	}
}

func listOrganization(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	return c.list([]Object{organization(c.t, c.s.now())}, q, listSpec{
		entity:    c.s.cat.organization,
		context:   "organization",
		maxTop:    999,
		directory: true,
	})
}
