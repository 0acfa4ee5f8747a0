package fakegraph

// Reporting APIs: provisioning logs and directory audits. Both are
// throttled together (identity and access reports service) and need
// AuditLog.Read.All; provisioning logs also need Entra ID P1/P2.
// https://learn.microsoft.com/graph/api/provisioningobjectsummary-list
// https://learn.microsoft.com/graph/api/directoryaudit-list

func listProvisioning(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	return c.list(c.t.Provisioning, q, listSpec{
		entity:  c.s.cat.provisioning,
		filter:  c.s.cat.provisioningFilter,
		context: "auditLogs/provisioning",
		orderBy: map[string]orderRule{
			"activitydatetime": {wire: []string{"activityDateTime"}, typ: edmDateTime},
		},
		defaultOrder: []orderTerm{{prop: "activitydatetime", desc: true}},
		maxTop:       1000,
		topForNext:   true,
	})
}

func listDirectoryAudits(c *call) response {
	q, err := c.query()
	if err != nil {
		return errResponse(err)
	}
	return c.list(c.t.DirectoryAudits, q, listSpec{
		entity:  c.s.cat.audit,
		filter:  c.s.cat.auditFilter,
		context: "auditLogs/directoryAudits",
		orderBy: map[string]orderRule{
			"activitydatetime": {wire: []string{"activityDateTime"}, typ: edmDateTime},
		},
		defaultOrder: []orderTerm{{prop: "activitydatetime", desc: true}},
		maxTop:       1000,
	})
}
