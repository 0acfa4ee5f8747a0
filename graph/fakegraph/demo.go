package fakegraph

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"
)

// The demo tenant's data: demo/tenant.json holds the directory (users,
// groups, memberships, enterprise apps) and demo/apps/*.json one file per
// app (its job, secrets, assignments, audit records and story log
// entries). Each file is a tenant in the form LoadTenant reads, so each
// can carry a top-level "_comment".
//
//go:embed demo/tenant.json demo/apps/*.json
var demoFiles embed.FS

// DemoTenantID is the Entra tenant id of the demo tenant (Contoso).
const DemoTenantID = "82e407ec-31bc-56ce-aed5-375dddebdfd3"

// DemoHelpDeskGroupID is the object id of the demo tenant's "Provbot Help
// Desk" group: its members are the help-desk agents who may ask provbot
// about anyone.
const DemoHelpDeskGroupID = "75f2c3f3-9b37-5c59-a342-63f568c300c5"

// DemoTenant returns the demo tenant with every relative time resolved
// against now, so that it never goes stale: the directory, thirteen
// enterprise apps with their provisioning jobs, the story log entries of
// the cast (see [DemoCast]) and a few hundred background entries for
// everyone else, generated deterministically from now.
//
// Each call returns a new Tenant; the same now gives the same data.
func DemoTenant(now time.Time) (*Tenant, error) {
	t, err := loadDemoFile("demo/tenant.json", now)
	if err != nil {
		return nil, err
	}
	apps, err := fs.Glob(demoFiles, "demo/apps/*.json")
	if err != nil {
		return nil, fmt.Errorf("demo tenant: %w", err)
	}
	for _, name := range apps {
		part, err := loadDemoFile(name, now)
		if err != nil {
			return nil, err
		}
		if err := t.mergeDemo(part); err != nil {
			return nil, fmt.Errorf("demo tenant: %s: %w", name, err)
		}
	}
	bg, err := demoBackground(t, now)
	if err != nil {
		return nil, fmt.Errorf("demo tenant: background entries: %w", err)
	}
	t.AddProvisioning(bg...)
	if err := t.checkDemoIDs(); err != nil {
		return nil, fmt.Errorf("demo tenant: %w", err)
	}
	return t, nil
}

// loadDemoFile loads one embedded tenant file.
func loadDemoFile(name string, now time.Time) (*Tenant, error) {
	data, err := demoFiles.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("demo tenant: %w", err)
	}
	t, err := LoadTenant(bytes.NewReader(data), now)
	if err != nil {
		return nil, fmt.Errorf("demo tenant: %s: %w", name, err)
	}
	return t, nil
}

// mergeDemo adds the objects of an app file to t. An app file may not
// name another tenant or change the tenant-wide settings.
func (t *Tenant) mergeDemo(o *Tenant) error {
	if o.TenantID != "" && o.TenantID != t.TenantID {
		return fmt.Errorf("tenantId %q differs from %q", o.TenantID, t.TenantID)
	}
	if o.Organization != nil || o.Unlicensed || len(o.DeniedPermissions) > 0 {
		return fmt.Errorf("organization, licensed and deniedPermissions belong in demo/tenant.json")
	}
	t.AddUser(o.Users...)
	t.AddDeletedUser(o.DeletedUsers...)
	t.Groups = append(t.Groups, o.Groups...)
	for g, ms := range o.GroupMembers {
		t.AddMembers(g, ms...)
	}
	t.AddServicePrincipal(o.ServicePrincipals...)
	t.AddAppRoleAssignment(o.AppRoleAssignments...)
	for sp, jobs := range o.SynchronizationJobs {
		t.AddJob(sp, jobs...)
	}
	for sp, secrets := range o.SynchronizationSecrets {
		if t.SynchronizationSecrets == nil {
			t.SynchronizationSecrets = map[string][]Object{}
		}
		t.SynchronizationSecrets[sp] = append(t.SynchronizationSecrets[sp], secrets...)
	}
	t.AddProvisioning(o.Provisioning...)
	t.AddDirectoryAudit(o.DirectoryAudits...)
	return nil
}

// checkDemoIDs reports an id used twice within one kind of object, or a
// reference to an object the tenant does not hold, so that a slip in the
// data fails loudly.
func (t *Tenant) checkDemoIDs() error {
	directory := map[string]string{}
	for _, l := range []struct {
		kind string
		objs []Object
	}{
		{"user", t.Users}, {"deleted user", t.DeletedUsers}, {"group", t.Groups}, {"service principal", t.ServicePrincipals},
	} {
		for _, o := range l.objs {
			id := strings.ToLower(demoStr(o["id"]))
			if prev, dup := directory[id]; dup {
				return fmt.Errorf("%s %s: id already used by a %s", l.kind, id, prev)
			}
			directory[id] = l.kind
		}
	}
	for _, l := range []struct {
		kind string
		objs []Object
	}{
		{"app role assignment", t.AppRoleAssignments}, {"provisioning entry", t.Provisioning}, {"directory audit", t.DirectoryAudits},
	} {
		seen := map[string]bool{}
		for _, o := range l.objs {
			id := demoStr(o["id"])
			if seen[id] {
				return fmt.Errorf("%s %s: id used twice", l.kind, id)
			}
			seen[id] = true
		}
	}
	for g, ms := range t.GroupMembers {
		if directory[strings.ToLower(g)] != "group" {
			return fmt.Errorf("groupMembers: %s is not a group", g)
		}
		for _, m := range ms {
			if k := directory[strings.ToLower(m)]; k != "user" && k != "group" {
				return fmt.Errorf("groupMembers[%s]: unknown member %s", g, m)
			}
		}
	}
	for _, a := range t.AppRoleAssignments {
		if directory[strings.ToLower(demoStr(a["resourceId"]))] != "service principal" {
			return fmt.Errorf("app role assignment %s: unknown resource %s", demoStr(a["id"]), demoStr(a["resourceId"]))
		}
		if directory[strings.ToLower(demoStr(a["principalId"]))] == "" {
			return fmt.Errorf("app role assignment %s: unknown principal %s", demoStr(a["id"]), demoStr(a["principalId"]))
		}
	}
	for sp := range t.SynchronizationJobs {
		if directory[strings.ToLower(sp)] != "service principal" {
			return fmt.Errorf("synchronizationJobs: %s is not a service principal", sp)
		}
	}
	return nil
}

// demoStr returns v when it is a string, else "".
func demoStr(v any) string {
	s, _ := v.(string)
	return s
}
