package diagnose

import "time"

// User is what provbot knows about the person a question is about.
type User struct {
	// ObjectID is the user's Entra object id; provisioning logs carry it as
	// the source identity id.
	ObjectID string
	// UPN is the user principal name.
	UPN string
	// DisplayName is the name people know the user by.
	DisplayName string
	// Mail is the primary email address.
	Mail string
	// Enabled is false when the account is disabled (blocked from sign-in).
	Enabled bool
	// Guest is true for B2B guests (userType Guest).
	Guest bool
	// SoftDeleted is true when the user is in the directory's recycle bin.
	SoftDeleted bool
	// DeletedAt is when the user was deleted; zero unless SoftDeleted.
	DeletedAt time.Time
}

// Name returns the best name to show for the user.
func (u *User) Name() string {
	switch {
	case u == nil:
		return "this user"
	case u.DisplayName != "":
		return u.DisplayName
	case u.UPN != "":
		return u.UPN
	case u.Mail != "":
		return u.Mail
	default:
		return u.ObjectID
	}
}

// AssignmentKind says how a user is assigned to an app.
type AssignmentKind string

// The ways a user can be assigned to an app.
const (
	// AssignmentUnknown means provbot could not find out.
	AssignmentUnknown AssignmentKind = ""
	// AssignmentDirect means the user is assigned to the app themselves.
	AssignmentDirect AssignmentKind = "direct"
	// AssignmentGroup means a group the user is a direct member of is
	// assigned to the app.
	AssignmentGroup AssignmentKind = "group"
	// AssignmentNestedGroupOnly means the user reaches an assigned group
	// only through another group; provisioning ignores nested members.
	AssignmentNestedGroupOnly AssignmentKind = "nested-group-only"
	// AssignmentNone means neither the user nor any of their groups is assigned.
	AssignmentNone AssignmentKind = "none"
)

// Scope is the app's provisioning scope setting.
type Scope string

// The scope settings of an app's provisioning configuration.
const (
	// ScopeUnknown means the setting could not be read.
	ScopeUnknown Scope = ""
	// ScopeAssigned is "Sync only assigned users and groups" (the default).
	ScopeAssigned Scope = "assigned"
	// ScopeAll is "Sync all users and groups".
	ScopeAll Scope = "all"
)

// Assignment is what provbot knows about one user's assignment to one app.
type Assignment struct {
	// Kind is how the user is assigned.
	Kind AssignmentKind
	// Since is when the assignment was made, or when the user joined the
	// assigned group, whichever let them in most recently; zero if unknown.
	Since time.Time
	// Group names the assigned group (for AssignmentGroup) or the outer
	// assigned group the user reaches only through nesting.
	Group string
	// ViaGroup names the group the user is directly in that is nested in
	// Group (for AssignmentNestedGroupOnly); "A or B" when the path could
	// not be read and several of the user's groups may be the one.
	ViaGroup string
	// Path names exactly the groups between the user and Group, from the
	// one the user is directly in outwards, when the adapter read the
	// groups nested in Group; empty when it could not.
	Path []string
	// PathTenantWide is true when a group on the path holds (nearly)
	// everyone: a dynamic "all users" rule, or a name such as All
	// Employees. Assigning such a group would provision the whole tenant,
	// so it is never suggested.
	PathTenantWide bool
	// RoleID and RoleName are the assigned app role; the all-zero GUID is
	// the "Default Access" role.
	RoleID, RoleName string
	// Scope is the app's scope setting, when known.
	Scope Scope
	// SkipOutOfScopeDeletions is true when the app is set to leave accounts
	// alone when users fall out of scope.
	SkipOutOfScopeDeletions bool
}

// DefaultAccessRoleID is the id of the implicit "Default Access" app role.
const DefaultAccessRoleID = "00000000-0000-0000-0000-000000000000"
