package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/provbot/provbot/diagnose"
)

// offlineInput builds a diagnosis input from saved files. The subject is a
// user (object id, UPN or name) or a group (name or id) that the entries
// mention; when they mention neither, the answer comes from the job file
// alone, about the subject as given (facts §1: silence is explained by the
// job's state). The directory is not read offline: the user's state and
// assignment stay unknown, and the answers say so.
func offlineInput(src *source, who, app string) (diagnose.Input, error) {
	in := diagnose.Input{Audience: diagnose.HelpDesk, Saved: savedLogs(src.entries)}
	groupRef, groupFirst := groupReference(who)
	var subjectEntries func(e *diagnose.Entry) bool

	user, users, uerr := userFromEntries(src.entries, who)
	group, groups, gerr := groupFromEntries(src.entries, groupRef)
	switch {
	case groupFirst && gerr == nil:
		in.Group = &group
	case groupFirst && errors.Is(gerr, errAmbiguous):
		return in, ambiguousGroups(who, groups)
	case uerr == nil:
		in.User = &user
	case errors.Is(uerr, errAmbiguous):
		return in, ambiguousUsers(who, users)
	case gerr == nil:
		in.Group = &group
	case errors.Is(gerr, errAmbiguous):
		return in, ambiguousGroups(who, groups)
	default:
		// Nobody in the file: the subject as given, answered from the job.
		if groupFirst {
			in.Group = &diagnose.Group{DisplayName: groupRef}
			if isObjectID(groupRef) {
				in.Group = &diagnose.Group{ObjectID: groupRef}
			}
		} else {
			u := userFromReference(who)
			in.User = &u
		}
	}
	switch {
	case in.Group != nil:
		g := in.Group
		subjectEntries = func(e *diagnose.Entry) bool {
			return e.Source.IsGroup() && (g.ObjectID != "" && strings.EqualFold(e.Source.ID, g.ObjectID) ||
				g.ObjectID == "" && strings.EqualFold(e.Source.DisplayName, g.DisplayName))
		}
	default:
		in.Unknown = in.Unknown.Set(diagnose.FactUserState, diagnose.UnreadOffline)
		u := in.User
		subjectEntries = func(e *diagnose.Entry) bool {
			return !e.Source.IsGroup() && u.ObjectID != "" && strings.EqualFold(e.Source.ID, u.ObjectID)
		}
	}

	apps, attached := appsOfEntries(src, subjectEntries)
	if len(apps) > 0 {
		in.Entries = src.entries
	}
	if len(apps) == 0 || app != "" && len(keepAppInput(apps, app)) == 0 {
		// Nothing about the subject (in that app): every job of the file
		// the entries did not claim is an app to answer about.
		apps = append(apps, jobOnlyApps(src, app, attached)...)
	}
	if app != "" {
		if kept := keepAppInput(apps, app); len(kept) > 0 {
			apps = kept
		}
	}
	for i := range apps {
		apps[i].Unknown = apps[i].Unknown.Set(diagnose.FactAssignment, diagnose.UnreadOffline)
		if !apps[i].JobsKnown {
			// No job file, or none of its jobs is this app's.
			apps[i].Unknown = apps[i].Unknown.Set(diagnose.FactJobs, diagnose.UnreadOffline)
		}
	}
	in.Apps = apps
	return in, nil
}

// savedLogs says what the saved file holds.
func savedLogs(entries []diagnose.Entry) *diagnose.SavedLogs {
	s := &diagnose.SavedLogs{Entries: len(entries)}
	for _, e := range entries {
		if e.ActivityTime.IsZero() {
			continue
		}
		if s.From.IsZero() || e.ActivityTime.Before(s.From) {
			s.From = e.ActivityTime
		}
		if e.ActivityTime.After(s.To) {
			s.To = e.ActivityTime
		}
	}
	return s
}

// appsOfEntries groups the subject's entries by app, with the jobs of the
// file that they name; attached lists the jobs so claimed.
func appsOfEntries(src *source, subject func(*diagnose.Entry) bool) (apps []diagnose.App, attached map[string]bool) {
	attached = map[string]bool{}
	index := map[string]int{}
	for i := range src.entries {
		e := &src.entries[i]
		if !subject(e) {
			continue
		}
		id, name := e.ServicePrincipal.ID, e.ServicePrincipal.Name
		if name == "" {
			name = e.TargetSystem.DisplayName
		}
		key := strings.ToLower(id + "|" + name)
		k, ok := index[key]
		if !ok {
			apps = append(apps, diagnose.App{ID: id, Name: name})
			k = len(apps) - 1
			index[key] = k
		}
		for _, j := range src.jobs {
			if j.ID == e.JobID && !hasJob(apps[k].Jobs, j.ID) {
				apps[k].Jobs = append(apps[k].Jobs, j)
				apps[k].JobsKnown = true
				attached[j.ID] = true
			}
		}
	}
	// One app and one job: the job is that app's even without matching ids.
	if src.haveJobs && len(apps) == 1 && len(src.jobs) == 1 && !apps[0].JobsKnown {
		apps[0].Jobs, apps[0].JobsKnown = src.jobs, true
		attached[src.jobs[0].ID] = true
	}
	return apps, attached
}

// jobOnlyApps are the apps to answer about from the job file alone: one
// per job the subject's entries did not claim (named from other entries
// of the same job, else --app, else the job's template); or, without a
// job file, the apps the file's entries mention, their jobs unread.
func jobOnlyApps(src *source, appRef string, attached map[string]bool) []diagnose.App {
	var out []diagnose.App
	if src.haveJobs {
		var free []diagnose.Job
		for _, j := range src.jobs {
			if !attached[j.ID] {
				free = append(free, j)
			}
		}
		if len(src.jobs) == 0 {
			// A job list that is empty: provisioning was never set up.
			return []diagnose.App{{Name: nonEmptyName(appRef, "the app"), JobsKnown: true}}
		}
		for _, j := range free {
			id, name := appOfJob(src.entries, j.ID)
			if name == "" && appRef != "" && len(free) == 1 {
				name = appRef
			}
			if name == "" {
				name = templateName(j.TemplateID)
			}
			out = append(out, diagnose.App{ID: id, Name: name, Jobs: []diagnose.Job{j}, JobsKnown: true})
		}
		return out
	}
	seen := map[string]bool{}
	for _, e := range src.entries {
		id, name := e.ServicePrincipal.ID, nonEmptyName(e.ServicePrincipal.Name, e.TargetSystem.DisplayName)
		key := strings.ToLower(id + "|" + name)
		if name == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, diagnose.App{ID: id, Name: name})
	}
	if len(out) == 0 || appRef != "" && len(keepAppInput(out, appRef)) == 0 {
		out = append(out, diagnose.App{Name: nonEmptyName(appRef, "the app")})
	}
	return out
}

// appOfJob names the app of a job from any entry of the file that has it.
func appOfJob(entries []diagnose.Entry, jobID string) (id, name string) {
	for _, e := range entries {
		if e.JobID == jobID && (e.ServicePrincipal.ID != "" || e.ServicePrincipal.Name != "") {
			return e.ServicePrincipal.ID, nonEmptyName(e.ServicePrincipal.Name, e.TargetSystem.DisplayName)
		}
	}
	return "", ""
}

// templateName names an app from its job's template: "SalesforceOutDelta"
// is Salesforce, "Azure2Azure" a cross-tenant synchronization; generic
// templates (scim, customappsso) name nothing.
func templateName(t string) string {
	base := strings.TrimSuffix(strings.TrimSuffix(t, "OutDelta"), "OutDeltaSync")
	switch strings.ToLower(base) {
	case "", "scim", "customappsso":
		return "the app"
	case "azure2azure":
		return "Cross-tenant synchronization"
	}
	r := []rune(base)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func hasJob(js []diagnose.Job, id string) bool {
	for _, j := range js {
		if j.ID == id {
			return true
		}
	}
	return false
}

func nonEmptyName(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

// userFromReference is a user known only by how the question names them,
// said back as given: an object id, a UPN or email address, or a name.
func userFromReference(ref string) diagnose.User {
	ref = strings.TrimSpace(ref)
	switch {
	case isObjectID(ref):
		return diagnose.User{ObjectID: ref}
	case strings.Contains(ref, "@"):
		return diagnose.User{UPN: ref}
	default:
		return diagnose.User{DisplayName: ref}
	}
}

var objectIDRE = regexp.MustCompile(`(?i)^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$`)

// isObjectID reports whether ref is shaped like an object id (Graph's
// examples use ids that are not hexadecimal, so any letters are allowed).
func isObjectID(ref string) bool { return objectIDRE.MatchString(ref) }

// groupReference strips "the … group" from a reference ("the Sales group"
// is Sales) and reports whether the words asked for a group.
func groupReference(ref string) (string, bool) {
	r := strings.TrimSpace(ref)
	lr := strings.ToLower(r)
	asked := false
	if strings.HasPrefix(lr, "the ") {
		r, lr = r[4:], lr[4:]
	}
	if strings.HasSuffix(lr, " group") {
		r, asked = strings.TrimSpace(r[:len(r)-len(" group")]), true
	}
	if strings.HasPrefix(lr, "group ") {
		r, asked = strings.TrimSpace(r[6:]), true
	}
	return r, asked
}

// groupFromEntries finds a group in saved entries by object id or name
// (exact, else a prefix of the display name).
func groupFromEntries(entries []diagnose.Entry, ref string) (diagnose.Group, []diagnose.Group, error) {
	want := strings.ToLower(strings.TrimSpace(ref))
	var exact, prefix []diagnose.Group
	seen := map[string]bool{}
	for _, e := range entries {
		s := e.Source
		if !s.IsGroup() || want == "" {
			continue
		}
		key := strings.ToLower(s.ID + "|" + s.DisplayName)
		if seen[key] {
			continue
		}
		g := diagnose.Group{ObjectID: s.ID, DisplayName: s.DisplayName}
		switch ln := strings.ToLower(s.DisplayName); {
		case strings.EqualFold(s.ID, want) || ln == want:
			seen[key] = true
			exact = append(exact, g)
		case ln != "" && strings.HasPrefix(ln, want):
			seen[key] = true
			prefix = append(prefix, g)
		}
	}
	found := exact
	if len(found) == 0 {
		found = prefix
	}
	switch len(found) {
	case 0:
		return diagnose.Group{}, nil, fmt.Errorf("no group matching %q in the log file: %w", ref, diagnose.ErrNotFound)
	case 1:
		return found[0], nil, nil
	default:
		return diagnose.Group{}, found, errAmbiguous
	}
}

func ambiguousGroups(ref string, groups []diagnose.Group) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s match %q; ask again with one of these:", diagnose.Count(len(groups), "group"), ref)
	for _, g := range groups {
		fmt.Fprintf(&b, "\n  %-36s %s", g.DisplayName, g.ObjectID)
	}
	return errors.New(b.String())
}
