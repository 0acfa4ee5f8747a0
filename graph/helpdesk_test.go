package graph_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/graph"
)

func TestIsHelpDeskChecksNestedMembership(t *testing.T) {
	e := newEnv(t, nil, nil, graph.WithHelpDeskGroups(itSupportID))
	for _, tc := range []struct {
		user string
		want bool
	}{
		{graceID, true}, // in Help Desk Agents, which is inside IT Support
		{adaID, false},
	} {
		got, err := e.client.IsHelpDesk(t.Context(), tc.user)
		if err != nil || got != tc.want {
			t.Errorf("IsHelpDesk(%s) = %v, %v; want %v", tc.user, got, err, tc.want)
		}
	}
	reqs := requests(e.srv, "/checkMemberGroups")
	if len(reqs) != 2 || reqs[0].Method != "POST" || !strings.Contains(string(reqs[0].Body), itSupportID) {
		t.Fatalf("requests = %+v", reqs)
	}
	// Answers are reused for five minutes.
	if _, err := e.client.IsHelpDesk(t.Context(), graceID); err != nil {
		t.Fatal(err)
	}
	if n := len(requests(e.srv, "/checkMemberGroups")); n != 2 {
		t.Errorf("%d requests after a cached answer, want 2", n)
	}
	e.clock.Advance(5*time.Minute + time.Second)
	if _, err := e.client.IsHelpDesk(t.Context(), graceID); err != nil {
		t.Fatal(err)
	}
	if n := len(requests(e.srv, "/checkMemberGroups")); n != 3 {
		t.Errorf("%d requests after five minutes, want 3", n)
	}
}

func TestIsHelpDeskChecksTwentyGroupsPerRequest(t *testing.T) {
	groups := []string{itSupportID}
	for i := range 24 {
		groups = append(groups, fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
	}
	e := newEnv(t, nil, nil, graph.WithHelpDeskGroups(groups...))
	ok, err := e.client.IsHelpDesk(t.Context(), graceID)
	if err != nil || !ok {
		t.Fatalf("IsHelpDesk = %v, %v", ok, err)
	}
	if n := len(requests(e.srv, "/checkMemberGroups")); n != 2 {
		t.Errorf("%d requests for 25 groups, want 2", n)
	}
}

func TestIsHelpDeskWithoutGroupsIsNobody(t *testing.T) {
	e := newEnv(t, nil, nil)
	ok, err := e.client.IsHelpDesk(t.Context(), graceID)
	if err != nil || ok {
		t.Errorf("IsHelpDesk = %v, %v; want false", ok, err)
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
	if _, err := e.client.IsHelpDesk(t.Context(), "grace@contoso.com"); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("a UPN: %v, want ErrInvalid", err)
	}
}
