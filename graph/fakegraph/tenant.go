package fakegraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Object is one Graph object exactly as it travels on the wire: decoded
// JSON with numbers kept as json.Number, so values such as
// "P10675199DT2H48M5.4775807S", "0001-01-01T00:00:00Z", "" dates, JSON
// null and unusual enum casing are served back unchanged in meaning.
type Object = map[string]any

// Tenant is the directory and log data a [Server] serves. Every slice
// holds Graph-shaped objects; see the package documentation for the JSON
// form read by [LoadTenant].
//
// Build one with [LoadTenant], or as a literal, or with the Add methods.
// A Server works on its own copy: change a running server's data with
// [Server.Update].
type Tenant struct {
	// TenantID is the Entra tenant id; it is also the id of the
	// synthesized organization object.
	TenantID string
	// Organization is the object served by GET /organization. When nil the
	// server synthesizes one from TenantID and Unlicensed.
	Organization Object
	// Users are user objects (id, displayName, userPrincipalName, mail,
	// accountEnabled, userType, createdDateTime, ...).
	Users []Object
	// DeletedUsers are soft-deleted users, each with deletedDateTime.
	DeletedUsers []Object
	// Groups are group objects.
	Groups []Object
	// GroupMembers maps a group id to the ids of its direct members, users
	// or groups (nesting).
	GroupMembers map[string][]string
	// ServicePrincipals are service principal objects (id, appId,
	// displayName, tags, appRoleAssignmentRequired, ...).
	ServicePrincipals []Object
	// AppRoleAssignments are appRoleAssignment objects; resourceId names
	// the service principal, principalId the user or group.
	AppRoleAssignments []Object
	// SynchronizationJobs maps a service principal id to its jobs, as
	// Graph returns synchronizationJob objects.
	SynchronizationJobs map[string][]Object
	// SynchronizationSecrets maps a service principal id to its
	// synchronizationSecretKeyStringValuePair objects ({"key","value"}),
	// served on /beta only.
	SynchronizationSecrets map[string][]Object
	// Provisioning are provisioningObjectSummary objects.
	Provisioning []Object
	// DirectoryAudits are directoryAudit objects.
	DirectoryAudits []Object
	// DeniedPermissions names Graph permissions the caller lacks, such as
	// "AuditLog.Read.All": every route that needs one answers 403.
	DeniedPermissions []string
	// Unlicensed makes the tenant one without Entra ID P1/P2: provisioning
	// logs answer 403. The JSON form spells it "licensed": false.
	Unlicensed bool
}

// tenantJSON is the wire form of a Tenant.
type tenantJSON struct {
	TenantID               string              `json:"tenantId,omitempty"`
	Organization           Object              `json:"organization,omitempty"`
	Users                  []Object            `json:"users,omitempty"`
	DeletedUsers           []Object            `json:"deletedUsers,omitempty"`
	Groups                 []Object            `json:"groups,omitempty"`
	GroupMembers           map[string][]string `json:"groupMembers,omitempty"`
	ServicePrincipals      []Object            `json:"servicePrincipals,omitempty"`
	AppRoleAssignments     []Object            `json:"appRoleAssignments,omitempty"`
	SynchronizationJobs    map[string][]Object `json:"synchronizationJobs,omitempty"`
	SynchronizationSecrets map[string][]Object `json:"synchronizationSecrets,omitempty"`
	Provisioning           []Object            `json:"provisioning,omitempty"`
	DirectoryAudits        []Object            `json:"directoryAudits,omitempty"`
	DeniedPermissions      []string            `json:"deniedPermissions,omitempty"`
	Licensed               *bool               `json:"licensed,omitempty"`
	Comment                json.RawMessage     `json:"_comment,omitempty"`
}

// LoadTenant reads a tenant from its JSON form (see the package
// documentation) and resolves relative times such as "{{now-2h}}"
// against now. Unknown top-level keys are errors, so a misspelt key
// cannot silently drop data.
func LoadTenant(r io.Reader, now time.Time) (*Tenant, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var w tenantJSON
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("decode tenant: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decode tenant: trailing data after the tenant object")
	}
	t := w.tenant()
	if err := t.expandTimes(now); err != nil {
		return nil, fmt.Errorf("load tenant: %w", err)
	}
	if err := t.validate(); err != nil {
		return nil, fmt.Errorf("load tenant: %w", err)
	}
	return t, nil
}

// LoadTenantFile is [LoadTenant] on a file.
func LoadTenantFile(path string, now time.Time) (*Tenant, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open tenant: %w", err)
	}
	defer f.Close()
	t, err := LoadTenant(f, now)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// ParseObjects decodes Graph objects from JSON: a single object, an array
// of objects, or a Graph collection answer {"value":[...]} (as saved from
// a real response). Numbers are kept exact.
func ParseObjects(data []byte) ([]Object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("parse objects: %w", err)
	}
	switch x := v.(type) {
	case []any:
		return toObjects(x)
	case map[string]any:
		if value, ok := x["value"].([]any); ok {
			return toObjects(value)
		}
		return []Object{x}, nil
	}
	return nil, fmt.Errorf("parse objects: want an object or an array, got %T", v)
}

func toObjects(items []any) ([]Object, error) {
	out := make([]Object, 0, len(items))
	for i, item := range items {
		o, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("parse objects: item %d is %T, want an object", i, item)
		}
		out = append(out, o)
	}
	return out, nil
}

// AddUser appends users.
func (t *Tenant) AddUser(users ...Object) { t.Users = append(t.Users, users...) }

// AddDeletedUser appends soft-deleted users.
func (t *Tenant) AddDeletedUser(users ...Object) { t.DeletedUsers = append(t.DeletedUsers, users...) }

// AddGroup appends a group and, optionally, its direct member ids.
func (t *Tenant) AddGroup(g Object, memberIDs ...string) {
	t.Groups = append(t.Groups, g)
	if id, _ := g["id"].(string); id != "" && len(memberIDs) > 0 {
		t.AddMembers(id, memberIDs...)
	}
}

// AddMembers makes memberIDs (users or groups) direct members of groupID.
func (t *Tenant) AddMembers(groupID string, memberIDs ...string) {
	if t.GroupMembers == nil {
		t.GroupMembers = map[string][]string{}
	}
	t.GroupMembers[groupID] = append(t.GroupMembers[groupID], memberIDs...)
}

// AddServicePrincipal appends service principals.
func (t *Tenant) AddServicePrincipal(sps ...Object) {
	t.ServicePrincipals = append(t.ServicePrincipals, sps...)
}

// AddAppRoleAssignment appends app role assignments.
func (t *Tenant) AddAppRoleAssignment(as ...Object) {
	t.AppRoleAssignments = append(t.AppRoleAssignments, as...)
}

// AddJob appends synchronization jobs of the service principal spID.
func (t *Tenant) AddJob(spID string, jobs ...Object) {
	if t.SynchronizationJobs == nil {
		t.SynchronizationJobs = map[string][]Object{}
	}
	t.SynchronizationJobs[spID] = append(t.SynchronizationJobs[spID], jobs...)
}

// AddSecret appends one synchronization secret {"key","value"} of the
// service principal spID.
func (t *Tenant) AddSecret(spID, key, value string) {
	if t.SynchronizationSecrets == nil {
		t.SynchronizationSecrets = map[string][]Object{}
	}
	t.SynchronizationSecrets[spID] = append(t.SynchronizationSecrets[spID], Object{"key": key, "value": value})
}

// AddProvisioning appends provisioningObjectSummary objects.
func (t *Tenant) AddProvisioning(entries ...Object) {
	t.Provisioning = append(t.Provisioning, entries...)
}

// AddDirectoryAudit appends directoryAudit objects.
func (t *Tenant) AddDirectoryAudit(entries ...Object) {
	t.DirectoryAudits = append(t.DirectoryAudits, entries...)
}

// Deny removes Graph permissions from the caller (see DeniedPermissions).
func (t *Tenant) Deny(permissions ...string) {
	t.DeniedPermissions = append(t.DeniedPermissions, permissions...)
}

// wire converts t to its JSON form.
func (t *Tenant) wire() tenantJSON {
	licensed := !t.Unlicensed
	return tenantJSON{
		TenantID:               t.TenantID,
		Organization:           t.Organization,
		Users:                  t.Users,
		DeletedUsers:           t.DeletedUsers,
		Groups:                 t.Groups,
		GroupMembers:           t.GroupMembers,
		ServicePrincipals:      t.ServicePrincipals,
		AppRoleAssignments:     t.AppRoleAssignments,
		SynchronizationJobs:    t.SynchronizationJobs,
		SynchronizationSecrets: t.SynchronizationSecrets,
		Provisioning:           t.Provisioning,
		DirectoryAudits:        t.DirectoryAudits,
		DeniedPermissions:      t.DeniedPermissions,
		Licensed:               &licensed,
	}
}

func (w tenantJSON) tenant() *Tenant {
	return &Tenant{
		TenantID:               w.TenantID,
		Organization:           w.Organization,
		Users:                  w.Users,
		DeletedUsers:           w.DeletedUsers,
		Groups:                 w.Groups,
		GroupMembers:           w.GroupMembers,
		ServicePrincipals:      w.ServicePrincipals,
		AppRoleAssignments:     w.AppRoleAssignments,
		SynchronizationJobs:    w.SynchronizationJobs,
		SynchronizationSecrets: w.SynchronizationSecrets,
		Provisioning:           w.Provisioning,
		DirectoryAudits:        w.DirectoryAudits,
		DeniedPermissions:      w.DeniedPermissions,
		Unlicensed:             w.Licensed != nil && !*w.Licensed,
	}
}

// MarshalJSON writes the tenant in the form [LoadTenant] reads.
func (t *Tenant) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.wire())
}

// clone returns a deep copy of t, so a server never shares maps with the
// caller.
func (t *Tenant) clone() (*Tenant, error) {
	data, err := json.Marshal(t.wire())
	if err != nil {
		return nil, fmt.Errorf("copy tenant: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var w tenantJSON
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("copy tenant: %w", err)
	}
	return w.tenant(), nil
}

// expandTimes resolves relative-time templates in every object.
func (t *Tenant) expandTimes(now time.Time) error {
	if t.Organization != nil {
		if _, err := expandTimes(t.Organization, now, "organization"); err != nil {
			return err
		}
	}
	lists := map[string][]Object{
		"users":              t.Users,
		"deletedUsers":       t.DeletedUsers,
		"groups":             t.Groups,
		"servicePrincipals":  t.ServicePrincipals,
		"appRoleAssignments": t.AppRoleAssignments,
		"provisioning":       t.Provisioning,
		"directoryAudits":    t.DirectoryAudits,
	}
	for sp, jobs := range t.SynchronizationJobs {
		lists["synchronizationJobs."+sp] = jobs
	}
	for sp, secrets := range t.SynchronizationSecrets {
		lists["synchronizationSecrets."+sp] = secrets
	}
	for name, list := range lists {
		for i, o := range list {
			if _, err := expandTimes(o, now, fmt.Sprintf("%s[%d]", name, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// validate checks that every object the routes look up has a string id.
func (t *Tenant) validate() error {
	lists := []struct {
		name string
		objs []Object
	}{
		{"users", t.Users},
		{"deletedUsers", t.DeletedUsers},
		{"groups", t.Groups},
		{"servicePrincipals", t.ServicePrincipals},
		{"appRoleAssignments", t.AppRoleAssignments},
		{"provisioning", t.Provisioning},
		{"directoryAudits", t.DirectoryAudits},
	}
	for _, l := range lists {
		for i, o := range l.objs {
			if id, _ := o["id"].(string); strings.TrimSpace(id) == "" {
				return fmt.Errorf("%s[%d]: missing string id", l.name, i)
			}
		}
	}
	for sp, jobs := range t.SynchronizationJobs {
		for i, j := range jobs {
			if id, _ := j["id"].(string); id == "" {
				return fmt.Errorf("synchronizationJobs.%s[%d]: missing string id", sp, i)
			}
		}
	}
	return nil
}
