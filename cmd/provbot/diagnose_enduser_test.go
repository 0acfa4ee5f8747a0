package main

import (
	"strings"
	"testing"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/graph/fakegraph"
)

// TestDiagnoseAsAnEndUserSaysWhatTheirCardSays runs `provbot diagnose
// --as` for every end user of the demo cast, about their own account in
// their story's app, as text and as Markdown: the answer is the card's
// (its lead sentence to them first), with no verdict code, job state,
// step, count, id or help-desk part.
func TestDiagnoseAsAnEndUserSaysWhatTheirCardSays(t *testing.T) {
	names := castNames()
	n := 0
	for _, m := range fakegraph.DemoCast() {
		if m.Role != fakegraph.RoleEndUser || m.UPN == "" || m.App == "" || m.Category == string(diagnose.UserDeleted) {
			continue // the deleted cannot ask (TestCommandsOnTheDemoTenant)
		}
		n++
		formats := []string{"text"}
		if n%3 == 1 {
			formats = append(formats, "markdown") // the same parts; a third is enough
		}
		t.Run(m.DisplayName, func(t *testing.T) {
			for _, format := range formats {
				code, out, errOut := cli(t, "diagnose", m.UPN, "--app", m.AppID, "--demo", "--as", m.UPN, "--format", format)
				if code != 0 {
					t.Fatalf("%s: exit %d: %s", format, code, errOut)
				}
				if j := jargonIn(out, names); len(j) > 0 {
					t.Errorf("%s: an end user's answer has jargon %q:\n%s", format, j, out)
				}
				if !strings.Contains(strings.ToLower(out), "you") {
					t.Errorf("%s: the answer never speaks to them:\n%s", format, out)
				}
				if strings.Contains(out, "["+m.Category+"]") || strings.Contains(out, "learn.microsoft.com") {
					t.Errorf("%s: the answer has the help desk's verdict code or article:\n%s", format, out)
				}
			}
		})
	}
	if n < 10 {
		t.Fatalf("only %d end users in the cast", n)
	}
}
