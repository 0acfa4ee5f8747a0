package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/provbot/provbot/bot/card"
	"github.com/provbot/provbot/botframework"
	"github.com/provbot/provbot/diagnose"
)

// resolveApp decides which app a request is about. It returns the app
// (nil: every app), a note to show with the answer when the app was
// taken from a misspelling ("Did you mean ServiceNow?"), or instead
// (non-nil) the card to answer with, which asks: several apps fit, or
// none does (then the card lists the apps). It never answers about an app other than the one named: a name
// found only by similarity is offered, never taken.
//
// A button's app (an id or exact name) is looked up as it is. A question's
// app named as a known app resolves through the catalogue the question
// was read with; any other words in the place of an app name are looked
// up in the directory, which also knows enterprise apps without
// provisioning (single sign-on only), so that their answer can say so.
// verb is what the offered buttons continue with; user the subject's
// object id, if known.
func (c *Conversation) resolveApp(ctx context.Context, t *botframework.Turn, a asker, r request, user, verb string) (*diagnose.App, note, *card.AdaptiveCard) {
	var none note
	if r.app != "" {
		app, closest, err := c.findApp(ctx, r.app)
		switch {
		case err != nil:
			return nil, none, answerWith(c.errorCard(t, a, err))
		case app == nil:
			return nil, none, answerWith(pickAppCard(r.app, user, closest, verb))
		}
		return app, none, nil
	}
	n := r.named
	switch {
	case n.How == appUnnamed:
		return nil, none, nil
	case n.How == appUnknown:
		return c.appFromDirectory(ctx, t, a, r, user, verb)
	case len(n.Known) > 1:
		return nil, none, answerWith(whichAppCard(n.Said, user, appInfos(r.catalog, n.Known), verb))
	}
	name := n.Known[0]
	app := byName(r.catalog, name)
	if app == nil {
		found, _, err := c.findApp(ctx, name)
		if err != nil {
			return nil, none, answerWith(c.errorCard(t, a, err))
		}
		if found == nil {
			return nil, none, answerWith(c.unknownApp(ctx, t, a, n.Said))
		}
		app = found
	}
	return app, spellingNote(n, app.Name), nil
}

// appFromDirectory resolves words that name no known provisioning app:
// the directory's apps of that name (including single sign-on only apps)
// are taken when the words name exactly one of them as a whole, offered
// when they fit several or only resemble some, and otherwise the answer
// lists the provisioning apps.
func (c *Conversation) appFromDirectory(ctx context.Context, t *botframework.Turn, a asker, r request, user, verb string) (*diagnose.App, note, *card.AdaptiveCard) {
	var none note
	said := r.named.Said
	found, err := c.dir.FindApps(ctx, said)
	if err != nil && !errors.Is(err, diagnose.ErrNotFound) {
		return nil, none, answerWith(c.errorCard(t, a, err))
	}
	names := make([]string, len(found))
	for i, f := range found {
		names[i] = f.Name
	}
	m := matchWhole(said, names)
	switch {
	case len(m.apps) == 1:
		app := byName(found, m.apps[0])
		return app, spellingNote(appRef{Said: said, Known: m.apps, How: m.how}, app.Name), nil
	case len(m.apps) > 1:
		return nil, none, answerWith(whichAppCard(said, user, appInfos(found, m.apps), verb))
	case len(found) > 0:
		return nil, none, answerWith(pickAppCard(said, user, appInfos(found, names), verb))
	}
	return nil, none, answerWith(c.unknownApp(ctx, t, a, said))
}

// matchWhole matches typed words against app names the way questions are
// read, but only when the match covers every word typed: "Fabrikam
// Expenses" is not "Fabrikam (cross-tenant sync)".
func matchWhole(said string, names []string) appSpan {
	ts := tokens(said)
	used := make([]bool, len(ts))
	m := findKnownApp(ts, used, names)
	for i, t := range ts {
		if (i < m.start || i >= m.end) && t.fold != "" && !filler[t.fold] {
			return appSpan{}
		}
	}
	return m
}

// unknownApp answers an app name nothing matches with the list of the
// apps that provision users.
func (c *Conversation) unknownApp(ctx context.Context, t *botframework.Turn, a asker, said string) card.AdaptiveCard {
	apps, err := c.dir.AppCatalog(ctx)
	if err != nil {
		return c.errorCard(t, a, err)
	}
	names := make([]string, 0, len(apps))
	for _, app := range apps {
		names = append(names, app.Name)
	}
	return unknownAppCard(said, names)
}

// findApp resolves a button's app reference (object id or exact name). It
// returns the app when one matches exactly, otherwise the closest names.
func (c *Conversation) findApp(ctx context.Context, ref string) (*diagnose.App, []appInfo, error) {
	apps, err := c.dir.FindApps(ctx, ref)
	if err != nil && !errors.Is(err, diagnose.ErrNotFound) {
		return nil, nil, err
	}
	for i := range apps {
		if strings.EqualFold(apps[i].ID, ref) || squash(apps[i].Name) == squash(ref) {
			return &apps[i], nil, nil
		}
	}
	var closest []appInfo
	for i, a := range apps {
		if i == 5 {
			break
		}
		closest = append(closest, appInfo{ID: a.ID, Name: a.Name})
	}
	return nil, closest, nil
}

// byName returns the app of that name in apps, if any.
func byName(apps []diagnose.App, name string) *diagnose.App {
	for i := range apps {
		if apps[i].Name == name {
			return &apps[i]
		}
	}
	return nil
}

// byID returns the app with that id in apps, if any.
func byID(apps []diagnose.App, id string) *diagnose.App {
	for i := range apps {
		if strings.EqualFold(apps[i].ID, id) {
			return &apps[i]
		}
	}
	return nil
}

// appInfos returns the apps of those names, for buttons (by name when an
// app is not in apps).
func appInfos(apps []diagnose.App, names []string) []appInfo {
	out := make([]appInfo, 0, len(names))
	for _, n := range names {
		if app := byName(apps, n); app != nil {
			out = append(out, appInfo{ID: app.ID, Name: app.Name})
			continue
		}
		out = append(out, appInfo{Name: n})
	}
	return out
}

// catalogNames lists the names of apps.
func catalogNames(apps []diagnose.App) []string {
	names := make([]string, 0, len(apps))
	for _, a := range apps {
		names = append(names, a.Name)
	}
	return names
}
