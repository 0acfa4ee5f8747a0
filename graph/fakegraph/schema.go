package fakegraph

import "strings"

// edmType is the type of a filterable property.
type edmType int

const (
	edmString edmType = iota
	edmGUID
	edmDateTime
	edmBool
	edmInt
)

func (t edmType) String() string {
	switch t {
	case edmGUID:
		return "Edm.Guid"
	case edmDateTime:
		return "Edm.DateTimeOffset"
	case edmBool:
		return "Edm.Boolean"
	case edmInt:
		return "Edm.Int64"
	}
	return "Edm.String"
}

// field is one filterable property of a route.
type field struct {
	name string   // name in messages, as documented
	wire []string // JSON path in the object
	typ  edmType
	ops  []string // operators allowed by default: eq ne gt ge lt le in startswith endswith contains
	adv  []string // operators allowed only with advanced query parameters
}

// collection is a filterable collection property used with any().
type collection struct {
	name  string
	wire  []string
	elem  *field           // primitive collection: rules for the range variable itself
	props map[string]field // complex collection: rules for v/prop (lower-case key)
}

// filterSchema is what one route's $filter accepts.
type filterSchema struct {
	resource  string // resource name in directory messages ("User")
	typeName  string // OData type in messages ("microsoft.graph.user")
	directory bool   // directory semantics: case-insensitive strings, advanced queries, Request_UnsupportedQuery
	fields    map[string]field
	colls     map[string]collection
	known     map[string]bool // every property name of the type, lower case
	noOr      bool            // "or" is not supported
	tolower   bool            // tolower(property) is supported
}

// entity describes one Graph type for $select and for filter messages.
type entity struct {
	typeName string            // OData type, e.g. "microsoft.graph.user"
	known    map[string]string // lower-case property name → documented spelling
	// defaults are the properties returned without $select; nil returns
	// every stored property. Missing ones are returned as null (or [] for
	// collections), as Graph does.
	defaults []string
}

func newEntity(typeName string, defaults []string, props ...string) *entity {
	e := &entity{typeName: typeName, known: map[string]string{}, defaults: defaults}
	for _, p := range props {
		e.known[strings.ToLower(p)] = p
	}
	for _, p := range defaults {
		e.known[strings.ToLower(p)] = p
	}
	return e
}

// catalog holds the types and filter rules of every route. It is built
// once per Server.
type catalog struct {
	user, group, servicePrincipal, assignment *entity
	provisioning, audit, organization, job    *entity
	secret                                    *entity

	userFilter, deletedUserFilter, spFilter, assignmentFilter *filterSchema
	memberOfFilter, provisioningFilter, auditFilter           *filterSchema
	groupFilter                                               *filterSchema
}

// fld builds a field whose JSON path is its name split at "/".
func fld(name string, typ edmType, ops, adv string) field {
	return field{name: name, wire: strings.Split(name, "/"), typ: typ, ops: strings.Fields(ops), adv: strings.Fields(adv)}
}

func schema(resource string, e *entity, directory bool, fields ...field) *filterSchema {
	s := &filterSchema{
		resource:  resource,
		typeName:  e.typeName,
		directory: directory,
		fields:    map[string]field{},
		colls:     map[string]collection{},
		known:     map[string]bool{},
	}
	for k := range e.known {
		s.known[k] = true
	}
	for _, f := range fields {
		s.fields[strings.ToLower(f.name)] = f
	}
	return s
}

func (s *filterSchema) withCollection(c collection) *filterSchema {
	s.colls[strings.ToLower(c.name)] = c
	return s
}

func primitiveCollection(name, ops, adv string) collection {
	elem := fld(name, edmString, ops, adv)
	return collection{name: name, wire: strings.Split(name, "/"), elem: &elem}
}

func newCatalog() *catalog {
	c := &catalog{}

	// Default user properties:
	// https://learn.microsoft.com/graph/api/user-get ("By default, only a
	// limited set of properties are returned").
	c.user = newEntity("microsoft.graph.user",
		[]string{"businessPhones", "displayName", "givenName", "id", "jobTitle", "mail",
			"mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"},
		"accountEnabled", "ageGroup", "assignedLicenses", "assignedPlans", "city", "companyName",
		"consentProvidedForMinor", "country", "createdDateTime", "creationType", "deletedDateTime",
		"department", "employeeHireDate", "employeeId", "employeeLeaveDateTime", "employeeOrgData",
		"employeeType", "externalUserState", "externalUserStateChangeDateTime", "faxNumber",
		"identities", "imAddresses", "isResourceAccount", "lastPasswordChangeDateTime",
		"legalAgeGroupClassification", "mailNickname", "onPremisesDistinguishedName",
		"onPremisesDomainName", "onPremisesExtensionAttributes", "onPremisesImmutableId",
		"onPremisesLastSyncDateTime", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
		"onPremisesSyncEnabled", "onPremisesUserPrincipalName", "otherMails", "passwordPolicies",
		"postalCode", "preferredDataLocation", "proxyAddresses", "securityIdentifier",
		"showInAddressList", "signInActivity", "signInSessionsValidFromDateTime", "state",
		"streetAddress", "usageLocation", "userType")

	c.group = newEntity("microsoft.graph.group", nil,
		"id", "displayName", "description", "mail", "mailEnabled", "mailNickname", "securityEnabled",
		"groupTypes", "membershipRule", "membershipRuleProcessingState", "createdDateTime",
		"deletedDateTime", "visibility", "isAssignableToRole", "onPremisesSyncEnabled",
		"onPremisesSecurityIdentifier", "onPremisesSamAccountName", "onPremisesDomainName",
		"onPremisesNetBiosName", "onPremisesLastSyncDateTime", "onPremisesProvisioningErrors",
		"proxyAddresses", "classification", "expirationDateTime", "renewedDateTime",
		"securityIdentifier", "preferredDataLocation", "preferredLanguage", "theme",
		"resourceProvisioningOptions", "resourceBehaviorOptions", "creationOptions",
		"assignedLabels", "assignedLicenses", "licenseProcessingState",
		"hasMembersWithLicenseErrors", "serviceProvisioningErrors")

	c.servicePrincipal = newEntity("microsoft.graph.servicePrincipal", nil,
		"id", "appId", "displayName", "tags", "accountEnabled", "appRoleAssignmentRequired",
		"servicePrincipalType", "appDisplayName", "appDescription", "appOwnerOrganizationId",
		"appRoles", "oauth2PermissionScopes", "servicePrincipalNames", "preferredSingleSignOnMode",
		"signInAudience", "homepage", "loginUrl", "logoutUrl", "replyUrls",
		"notificationEmailAddresses", "description", "notes", "deletedDateTime",
		"alternativeNames", "applicationTemplateId", "disabledByMicrosoftStatus", "info",
		"keyCredentials", "passwordCredentials", "preferredTokenSigningKeyThumbprint",
		"samlSingleSignOnSettings", "verifiedPublisher", "resourceSpecificApplicationPermissions",
		"addIns", "tokenEncryptionKeyId", "appManagementPolicies")

	c.assignment = newEntity("microsoft.graph.appRoleAssignment", nil,
		"id", "appRoleId", "createdDateTime", "deletedDateTime", "principalDisplayName",
		"principalId", "principalType", "resourceDisplayName", "resourceId")

	c.provisioning = newEntity("microsoft.graph.provisioningObjectSummary", nil,
		"id", "activityDateTime", "changeId", "cycleId", "durationInMilliseconds", "initiatedBy",
		"jobId", "modifiedProperties", "provisioningAction", "provisioningStatusInfo",
		"provisioningSteps", "servicePrincipal", "sourceIdentity", "sourceSystem",
		"targetIdentity", "targetSystem", "tenantId")

	c.audit = newEntity("microsoft.graph.directoryAudit", nil,
		"id", "activityDateTime", "activityDisplayName", "additionalDetails", "category",
		"correlationId", "initiatedBy", "loggedByService", "operationType", "result",
		"resultReason", "targetResources")

	c.organization = newEntity("microsoft.graph.organization", nil,
		"id", "displayName", "assignedPlans", "verifiedDomains", "tenantType", "countryLetterCode",
		"createdDateTime", "provisionedPlans", "technicalNotificationMails", "city", "country",
		"street", "state", "postalCode", "preferredLanguage", "privacyProfile",
		"securityComplianceNotificationMails", "securityComplianceNotificationPhones",
		"businessPhones", "marketingNotificationEmails", "onPremisesSyncEnabled",
		"onPremisesLastSyncDateTime", "defaultUsageLocation", "deletedDateTime",
		"directorySizeQuota", "partnerTenantType")

	c.job = newEntity("microsoft.graph.synchronizationJob", nil,
		"id", "templateId", "schedule", "status", "synchronizationJobSettings")
	c.secret = newEntity("microsoft.graph.synchronizationSecretKeyStringValuePair", nil, "key", "value")

	// Users: what works without advanced query parameters and what needs
	// them. https://learn.microsoft.com/graph/aad-advanced-queries ("The
	// in operator is supported by default whenever eq operator is
	// supported by default"; "endsWith ... only with advanced query
	// parameters by mail, otherMails, userPrincipalName, and
	// proxyAddresses"; "not and ne ... only with advanced query
	// parameters").
	userFields := []field{
		fld("id", edmString, "eq in", "ne"),
		fld("displayName", edmString, "eq in startswith", "ne"),
		fld("givenName", edmString, "eq in startswith", "ne"),
		fld("surname", edmString, "eq in startswith", "ne"),
		fld("mail", edmString, "eq in startswith", "ne endswith"),
		fld("userPrincipalName", edmString, "eq in startswith", "ne endswith"),
		fld("mailNickname", edmString, "eq in startswith", "ne"),
		fld("jobTitle", edmString, "eq in startswith", "ne"),
		fld("department", edmString, "eq in startswith", "ne"),
		fld("employeeId", edmString, "eq in startswith", "ne"),
		fld("userType", edmString, "eq in", "ne"),
		fld("accountEnabled", edmBool, "eq in", "ne"),
		fld("createdDateTime", edmDateTime, "", "eq ne ge le in"),
	}
	c.userFilter = schema("User", c.user, true, userFields...).
		withCollection(primitiveCollection("proxyAddresses", "eq startswith", "endswith")).
		withCollection(primitiveCollection("otherMails", "eq startswith", "endswith")).
		withCollection(primitiveCollection("imAddresses", "eq", ""))
	c.deletedUserFilter = schema("User", c.user, true,
		append(userFields, fld("deletedDateTime", edmDateTime, "", "eq ne ge le in"))...).
		withCollection(primitiveCollection("proxyAddresses", "eq startswith", "endswith"))

	// Service principals:
	// https://learn.microsoft.com/graph/api/resources/serviceprincipal
	c.spFilter = schema("ServicePrincipal", c.servicePrincipal, true,
		fld("id", edmString, "eq in", "ne"),
		fld("appId", edmString, "eq in", "ne"),
		fld("displayName", edmString, "eq in startswith", "ne"),
		fld("servicePrincipalType", edmString, "eq in", "ne"),
		fld("accountEnabled", edmBool, "eq in", "ne"),
		fld("appOwnerOrganizationId", edmGUID, "eq in", "ne"),
	).
		withCollection(primitiveCollection("tags", "eq", "")).
		withCollection(primitiveCollection("servicePrincipalNames", "eq startswith", ""))

	// appRoleAssignment: resourceId and principalId are Edm.Guid, written
	// without quotes; a quoted GUID is "Invalid filter clause".
	// https://learn.microsoft.com/graph/api/user-list-approleassignments (Example 2)
	// https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/4133
	c.assignmentFilter = schema("AppRoleAssignment", c.assignment, true,
		fld("resourceId", edmGUID, "eq", ""),
		fld("principalId", edmGUID, "eq", ""),
		fld("appRoleId", edmGUID, "eq", ""),
		fld("principalDisplayName", edmString, "eq startswith", ""),
		fld("resourceDisplayName", edmString, "eq startswith", ""),
	)

	// memberOf and transitiveMemberOf filter only in advanced queries.
	// https://learn.microsoft.com/graph/api/user-list-transitivememberof
	c.memberOfFilter = schema("Group", c.group, true,
		fld("id", edmString, "", "eq in ne"),
		fld("displayName", edmString, "", "eq in startswith ne"),
		fld("securityEnabled", edmBool, "", "eq ne"),
		fld("mailEnabled", edmBool, "", "eq ne"),
	).withCollection(primitiveCollection("groupTypes", "", "eq"))

	// /groups: the default-query filters of the group list.
	// https://learn.microsoft.com/graph/aad-advanced-queries (group properties)
	c.groupFilter = schema("Group", c.group, true,
		fld("id", edmString, "eq in", "ne"),
		fld("displayName", edmString, "eq in startswith", "ne"),
		fld("mail", edmString, "eq in startswith", "ne"),
		fld("mailNickname", edmString, "eq in startswith", "ne"),
		fld("securityEnabled", edmBool, "eq", "ne"),
	).withCollection(primitiveCollection("groupTypes", "eq", ""))

	// Provisioning logs: the v1.0 property table plus the beta attribute
	// table (provisioning-facts §1.5); tolower() and
	// servicePrincipal/displayName appear in Microsoft's own example:
	// https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-configure-graph
	// "The filters are all case sensitive":
	// https://learn.microsoft.com/graph/api/provisioningobjectsummary-list
	text := func(name string) field { return fld(name, edmString, "eq contains", "") }
	c.provisioningFilter = schema("ProvisioningObjectSummary", c.provisioning, false,
		text("id"),
		fld("activityDateTime", edmDateTime, "eq gt lt", ""),
		text("tenantId"), text("jobId"), text("changeId"), text("cycleId"),
		text("provisioningAction"),
		fld("durationInMilliseconds", edmInt, "eq gt lt", ""),
		text("provisioningStatusInfo/status"),
		text("sourceSystem/displayName"), text("targetSystem/displayName"),
		text("sourceIdentity/identityType"), text("targetIdentity/identityType"),
		text("sourceIdentity/id"), text("targetIdentity/id"),
		text("sourceIdentity/displayName"), text("targetIdentity/displayName"),
		text("servicePrincipal/id"),
		text("servicePrincipal/displayName"),
		field{name: "servicePrincipal/name", wire: []string{"servicePrincipal", "displayName"}, typ: edmString, ops: []string{"eq"}},
		text("initiatedBy/displayName"),
	)
	c.provisioningFilter.tolower = true

	// Directory audits: "$filter (eq, ge, le, startswith)" and the
	// per-property table.
	// https://learn.microsoft.com/graph/api/directoryaudit-list
	// https://learn.microsoft.com/graph/api/resources/directoryaudit
	c.auditFilter = schema("DirectoryAudit", c.audit, false,
		fld("id", edmString, "eq", ""),
		fld("activityDisplayName", edmString, "eq startswith", ""),
		fld("activityDateTime", edmDateTime, "eq ge le", ""),
		fld("correlationId", edmGUID, "eq", ""),
		fld("loggedByService", edmString, "eq", ""),
		fld("initiatedBy/user/id", edmString, "eq", ""),
		fld("initiatedBy/user/displayName", edmString, "eq", ""),
		fld("initiatedBy/user/userPrincipalName", edmString, "eq startswith", ""),
		fld("initiatedBy/app/appId", edmString, "eq", ""),
		fld("initiatedBy/app/displayName", edmString, "eq", ""),
	).withCollection(collection{
		name: "targetResources",
		wire: []string{"targetResources"},
		props: map[string]field{
			"id":          fld("id", edmString, "eq", ""),
			"displayname": fld("displayName", edmString, "eq startswith", ""),
		},
	})
	c.auditFilter.noOr = true
	return c
}
