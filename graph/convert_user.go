package graph

import (
	"strings"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/provbot/provbot/diagnose"
)

// userFromModel converts the SDK's user (nil getters tolerated). deleted
// says it came from the directory's deleted items.
func userFromModel(u models.Userable, deleted bool) diagnose.User {
	out := diagnose.User{
		ObjectID:    deref(u.GetId()),
		UPN:         deref(u.GetUserPrincipalName()),
		DisplayName: deref(u.GetDisplayName()),
		Mail:        deref(u.GetMail()),
		Enabled:     deref(u.GetAccountEnabled()),
		Guest:       strings.EqualFold(deref(u.GetUserType()), "Guest"),
		SoftDeleted: deleted,
	}
	if deleted {
		if t := u.GetDeletedDateTime(); t != nil && t.Year() > 1 {
			out.DeletedAt = t.UTC()
		}
	}
	return out
}

// assignmentRef is one appRoleAssignment, reduced to what a diagnosis
// uses.
type assignmentRef struct {
	principalID   string // lower case
	principalType string // User, Group, ServicePrincipal
	principalName string
	resourceID    string // lower case
	roleID        string // lower case
	created       time.Time
}

// assignmentFromModel converts the SDK's appRoleAssignment.
func assignmentFromModel(a models.AppRoleAssignmentable) assignmentRef {
	r := assignmentRef{
		principalType: deref(a.GetPrincipalType()),
		principalName: deref(a.GetPrincipalDisplayName()),
	}
	if id := a.GetPrincipalId(); id != nil {
		r.principalID = strings.ToLower(id.String())
	}
	if id := a.GetResourceId(); id != nil {
		r.resourceID = strings.ToLower(id.String())
	}
	if id := a.GetAppRoleId(); id != nil {
		r.roleID = strings.ToLower(id.String())
	}
	if t := a.GetCreatedDateTime(); t != nil && t.Year() > 1 {
		r.created = t.UTC()
	}
	return r
}

// groupRef is a group the user belongs to.
type groupRef struct {
	id      string // lower case
	name    string
	unified bool   // a Microsoft 365 group, which cannot contain groups
	dynamic bool   // membership from a rule
	rule    string // the membership rule, for dynamic groups
}

// tenantWide reports whether the group holds (nearly) everyone: a dynamic
// rule that every user meets, or a name that says so. Assigning it to an
// app would provision the whole tenant.
func (g groupRef) tenantWide() bool {
	n := strings.ToLower(strings.TrimSpace(g.name))
	for _, p := range []string{"all employees", "all users", "all staff", "all company", "all-company", "everyone", "all members", "entire company"} {
		if n == p || strings.HasPrefix(n, p+" ") {
			return true
		}
	}
	if !g.dynamic {
		return false
	}
	r := strings.ToLower(strings.Join(strings.Fields(g.rule), " "))
	for _, broad := range []string{"user.objectid -ne null", "user.accountenabled -eq true", "user.usertype -eq \"member\"", "user.mail -ne null"} {
		if r == broad || r == "("+broad+")" {
			return true
		}
	}
	return false
}

// groupFromModel converts the SDK's group.
func groupFromModel(g models.Groupable) groupRef {
	r := groupRef{id: strings.ToLower(deref(g.GetId())), name: deref(g.GetDisplayName()), rule: deref(g.GetMembershipRule())}
	for _, t := range g.GetGroupTypes() {
		switch {
		case strings.EqualFold(t, "Unified"):
			r.unified = true
		case strings.EqualFold(t, "DynamicMembership"):
			r.dynamic = true
		}
	}
	return r
}

// appInfo is a service principal as the app catalog keeps it.
type appInfo struct {
	id    string // as Graph spells it
	appID string
	name  string
	roles map[string]string // app role id (lower case) → display name
}

// appFromModel converts the SDK's service principal.
func appFromModel(sp models.ServicePrincipalable) appInfo {
	a := appInfo{id: deref(sp.GetId()), appID: deref(sp.GetAppId()), name: deref(sp.GetDisplayName())}
	for _, r := range sp.GetAppRoles() {
		if r == nil || r.GetId() == nil {
			continue
		}
		if a.roles == nil {
			a.roles = map[string]string{}
		}
		a.roles[strings.ToLower(r.GetId().String())] = deref(r.GetDisplayName())
	}
	return a
}
