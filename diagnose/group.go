package diagnose

import "strings"

// Group is a group whose own provisioning a question is about ("why is the
// Sales group missing from Slack?"): provisioning logs record groups as
// entries whose source identity's type is Group.
type Group struct {
	// ObjectID is the group's Entra object id; its entries carry it as the
	// source identity id.
	ObjectID string
	// DisplayName is the group's name.
	DisplayName string
}

// Name is how sentences speak of the group: "the Sales group", or "the
// Sales Team" when the name already says it is a group ("the Engineering
// Group" stays as it is).
func (g *Group) Name() string {
	if g == nil {
		return "this group"
	}
	n := strings.TrimSpace(g.DisplayName)
	if n == "" {
		return "the group " + g.ObjectID
	}
	if strings.Contains(strings.ToLower(n), "group") {
		return "the " + n
	}
	return "the " + n + " group"
}

// SubjectGroup is UserRef.Type for a diagnosis about a group.
const SubjectGroup = "group"

// aboutGroup reports whether an entry is about the group: its source is a
// group with the group's id (or, without one, its name).
func aboutGroup(e *Entry, g *Group) bool {
	if !e.Source.IsGroup() {
		return false
	}
	if g.ObjectID != "" {
		return strings.EqualFold(e.Source.ID, g.ObjectID)
	}
	return strings.EqualFold(strings.TrimSpace(e.Source.DisplayName), strings.TrimSpace(g.DisplayName))
}

// isGroup reports whether the case is about a group.
func (c *Case) isGroup() bool { return c.Group != nil }
