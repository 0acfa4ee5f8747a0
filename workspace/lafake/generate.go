package lafake

import (
	"math/rand/v2"
	"time"

	"github.com/provbot/provbot/diagnose"
)

// Background generates a year of ordinary provisioning history for people
// of a tenant in its apps, as a workspace holds it: accounts made, updated,
// skipped when nothing changed, failing and recovering, turned off and
// deleted when people leave, and a few group entries. The same seed gives
// the same rows. Rows are written with the quirks real rows show (see
// Style), varied from row to row, plus a few values no documentation
// lists (an action newer than the enum, a Warning result) that a reader
// must keep as they are.
func Background(now time.Time, tenantID, workspaceID string, people []Person, apps []App, seed uint64) []Row {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	day := 24 * time.Hour
	var rows []Row
	emit := func(p Person, a App, ev event) {
		e := entryFor(tenantID, p, a, ev)
		st := Style{
			GraphKeys:        rng.IntN(10) < 3,
			SourceSystemJSON: rng.IntN(10) < 3,
			ActionColumn:     rng.IntN(10) == 0,
			LowerResult:      rng.IntN(10) < 2,
			EmptyModified:    rng.IntN(2) == 0,
			NoDuration:       rng.IntN(20) == 0,
		}
		rows = append(rows, RowFromEntry(e, workspaceID, st))
	}
	at := func(daysAgo float64) time.Time {
		return now.Add(-time.Duration(daysAgo * float64(day))).Truncate(time.Second).Add(time.Duration(rng.IntN(1e6)) * time.Microsecond)
	}
	for i, p := range people {
		n := 1 + rng.IntN(2)
		for k := 0; k < n; k++ {
			a := apps[(i+k*3)%len(apps)]
			acct := accountID(p, a)
			made := 60 + rng.Float64()*300
			if rng.IntN(6) == 0 {
				// A conflict first, fixed by the app's admin the next day.
				emit(p, a, event{at: at(made + 1), action: "create", status: "failure", code: "EntryConflict",
					reason:  "Processing of the HTTP request resulted in an exception. HTTP status code 409 (Conflict): a user with this user name already exists.",
					stepErr: diagnose.StepExport})
			}
			emit(p, a, event{at: at(made), action: "create", status: "success", target: acct,
				mods: []diagnose.ModifiedProperty{{Name: "userName", NewValue: p.UPN}, {Name: "active", NewValue: "True"}}})
			left := 0.0
			if i%7 == 3 {
				left = 40 + rng.Float64()*(min(100, made-10)-40) // left the company this many days ago
			}
			for d := made - 20 - rng.Float64()*30; d > max(31, left+1); d -= 20 + rng.Float64()*40 {
				switch rng.IntN(5) {
				case 0:
					emit(p, a, event{at: at(d), action: "other", status: "skipped", target: acct, skip: "RedundantExport",
						stepErr: diagnose.StepScoping})
				case 1:
					emit(p, a, event{at: at(d), action: "update", status: "failure", target: acct, code: "InvalidAnchor",
						reason: "The account to update could not be found in the app (HTTP status code 404).", stepErr: diagnose.StepExport})
					emit(p, a, event{at: at(d - 1), action: "update", status: "success", target: acct,
						mods: []diagnose.ModifiedProperty{{Name: "title", OldValue: "Analyst", NewValue: "Senior Analyst"}}})
				default:
					emit(p, a, event{at: at(d), action: "update", status: "success", target: acct,
						mods: []diagnose.ModifiedProperty{{Name: "department", OldValue: "Sales", NewValue: "Marketing"}}})
				}
			}
			if left > 0 {
				// Left the company: turned off, then deleted a month later.
				emit(p, a, event{at: at(left), action: "disable", status: "success", target: acct,
					mods: []diagnose.ModifiedProperty{{Name: "active", OldValue: "True", NewValue: "False"}}})
				emit(p, a, event{at: at(left - 30), action: "delete", status: "success", target: acct})
			}
		}
	}
	// Values a reader must keep as they are.
	odd := []event{
		{action: "StagedDelete", status: "success"},
		{action: "unknownFutureValue", status: "success"},
		{action: "Archive", status: "success"}, // newer than the documented enum
		{action: "update", status: "Warning", code: "AttributeTruncated", reason: "The value of 'title' was cut to 40 characters."},
	}
	for k, ev := range odd {
		p, a := people[k%len(people)], apps[k%len(apps)]
		ev.at, ev.target = at(100+float64(k)*17), accountID(p, a)
		emit(p, a, ev)
	}
	// Groups are provisioned too; readers of a user's history ignore them.
	for k, a := range apps {
		g := diagnose.Identity{ID: nameGUID("group", a.ID), DisplayName: a.Name + " Users", Type: "Group"}
		e := entryFor(tenantID, people[0], a, event{at: at(200 - float64(k)*9), action: "update", status: "success", target: nameGUID("gacct", a.ID)})
		e.Source, e.Target.DisplayName, e.Target.Type = g, g.DisplayName, "Group"
		rows = append(rows, RowFromEntry(e, workspaceID, Style{}))
	}
	return rows
}

// BackgroundPeople returns n made-up people of a tenant (former and
// current staff), with stable ids, for Background.
func BackgroundPeople(domain string, n int) []Person {
	given := []string{"Amira", "Bruno", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jamal", "Kaja",
		"Liam", "Mina", "Nils", "Oona", "Pavel", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wim", "Xenia", "Yara", "Zeno"}
	family := []string{"Achterberg", "Baptiste", "Costa", "Dahl", "Eriksen", "Fontaine", "Grimaldi", "Horvat", "Ivanova",
		"Jansen", "Kovac", "Laine", "Moreno", "Novak"}
	out := make([]Person, n)
	for i := range out {
		g, f := given[i%len(given)], family[(i*5)%len(family)]
		upn := lower(g) + "." + lower(f) + "@" + domain
		out[i] = Person{ObjectID: nameGUID("person", upn), UPN: upn, Name: g + " " + f}
	}
	return out
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
