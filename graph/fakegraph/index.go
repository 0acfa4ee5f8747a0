package fakegraph

import (
	"strings"
	"sync"
)

// assignmentIndex finds app role assignments by principal and by resource
// without scanning every assignment, which a tenant of hundreds of
// thousands would make the fake's own cost.
type assignmentIndex struct {
	n           int // len(Tenant.AppRoleAssignments) when built
	byPrincipal map[string][]Object
	byResource  map[string][]Object
}

// indexCache holds a server's assignment index; Update drops it.
type indexCache struct {
	mu  sync.Mutex
	idx *assignmentIndex
}

func (c *indexCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idx = nil
}

// index returns the assignment index of t (the server's tenant, read
// under the server's lock), building it when missing or stale.
func (s *Server) index(t *Tenant) *assignmentIndex {
	s.idx.mu.Lock()
	defer s.idx.mu.Unlock()
	if s.idx.idx != nil && s.idx.idx.n == len(t.AppRoleAssignments) {
		return s.idx.idx
	}
	idx := &assignmentIndex{n: len(t.AppRoleAssignments), byPrincipal: map[string][]Object{}, byResource: map[string][]Object{}}
	for _, a := range t.AppRoleAssignments {
		p, _ := a["principalId"].(string)
		r, _ := a["resourceId"].(string)
		idx.byPrincipal[strings.ToLower(p)] = append(idx.byPrincipal[strings.ToLower(p)], a)
		idx.byResource[strings.ToLower(r)] = append(idx.byResource[strings.ToLower(r)], a)
	}
	s.idx.idx = idx
	return idx
}
