package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provbot/provbot/store"
)

func testAudit(t *testing.T, b Backend) {
	open := b.New(t)
	s := open()
	c := ctx(t)
	rec := func(min int, action, subject string) store.AuditRecord {
		return store.AuditRecord{At: at.Add(time.Duration(min) * time.Minute), Actor: "henrietta-id", ActorName: "Henrietta Mueller",
			Action: action, Subject: subject, App: "servicenow", Outcome: "ok", RequestID: "req-" + subject}
	}
	r1 := rec(0, "provision-on-demand", "diego")
	r2 := rec(5, "restart-job", "")
	r2.Outcome, r2.Detail, r2.RequestID, r2.Subject = "refused", "not in PROVBOT_ADMIN_GROUPS", "", ""
	r3 := rec(5, "provision-on-demand", "adele") // same minute as r2, appended after it
	for _, r := range []store.AuditRecord{r1, r2, r3} {
		must(t, "append", s.AppendAudit(c, r))
	}
	got, err := open().AuditRecords(c, at, 10)
	must(t, "list", err)
	if diff := cmp.Diff([]store.AuditRecord{r3, r2, r1}, got); diff != "" {
		t.Errorf("records newest first (-want +got):\n%s", diff)
	}
	got, _ = s.AuditRecords(c, at.Add(time.Minute), 10)
	if diff := cmp.Diff([]store.AuditRecord{r3, r2}, got); diff != "" {
		t.Errorf("records since +1m (-want +got):\n%s", diff)
	}
	got, _ = s.AuditRecords(c, at, 1)
	if diff := cmp.Diff([]store.AuditRecord{r3}, got); diff != "" {
		t.Errorf("newest record (-want +got):\n%s", diff)
	}
}
