package diagnose

// crossTenantRules explain cross-tenant synchronization errors (facts §3.2.2).
var crossTenantRules = []Rule{}
