package graph

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipals"

	"github.com/provbot/provbot/diagnose"
	"github.com/provbot/provbot/internal/logsafe"
)

var (
	// https://learn.microsoft.com/graph/api/serviceprincipal-list
	opListApps = operation{name: "list service principals", route: "GET /servicePrincipals", permission: "Application.Read.All"}
	// https://learn.microsoft.com/graph/api/serviceprincipal-get
	opGetApp = operation{name: "get service principal", route: "GET /servicePrincipals/{servicePrincipal-id}", permission: "Application.Read.All"}
)

// spSelect are the service principal properties the catalog keeps.
var spSelect = []string{"id", "appId", "displayName", "appRoles", "appOwnerOrganizationId"}

// microsoftTenants own Microsoft's first-party service principals, which
// never provision into SaaS apps; skipping them saves a jobs request each.
var microsoftTenants = map[string]bool{
	"f8cdef31-a31e-4b4a-93e4-5f571e91255a": true, // Microsoft Services
	"72f988bf-86f1-41af-91ab-2d7cd011db47": true, // Microsoft
}

// catalogRate is how many jobs requests per second a catalog build
// sends at most (in JSON batches of 20): 2,500 per 10 s, below the
// smallest tenant's directory budget of 3,500 resource units per 10 s
// per app (https://learn.microsoft.com/graph/throttling-limits), which
// leaves room for lookups, and far below Graph's global 130,000
// requests per 10 s.
const catalogRate = 250

// catalogPace spaces a catalog build's batches at catalogRate, on the
// client's clock.
func (c *Client) catalogPace() paceFunc {
	start := c.cfg.now()
	every := time.Second * maxBatchParts / catalogRate
	return func(ctx context.Context, k int) error {
		return c.cfg.sleep(ctx, start.Add(time.Duration(k)*every).Sub(c.cfg.now()))
	}
}

// catalogRetryDelay is how long after a failed build the client waits
// before building in the background again.
const catalogRetryDelay = time.Minute

// catalogCache is the list of apps that provision users.
type catalogCache struct {
	mu       sync.Mutex
	apps     []appInfo
	built    time.Time
	ok       bool
	failedAt time.Time // the last failed build
}

// backgroundBuildDue reports whether a background build may start: not
// within catalogRetryDelay of a failed one.
func (c *Client) backgroundBuildDue() bool {
	c.catalog.mu.Lock()
	defer c.catalog.mu.Unlock()
	return c.catalog.failedAt.IsZero() || c.cfg.now().Sub(c.catalog.failedAt) >= catalogRetryDelay
}

// Warm builds the catalog of provisioning apps now (the server calls it at
// start; /readyz reports its result). It fails when Graph cannot be read
// with the configured credential and permissions.
func (c *Client) Warm(ctx context.Context) (err error) {
	defer c.recoverAs(&err, "build app catalog")
	_, err = c.buildCatalog(ctx)
	return err
}

// Apps returns the enterprise apps that provision users (service
// principals with at least one synchronization job), by name, each with
// its jobs (JobsKnown, unless that app's jobs could not be read). The
// list is reused for the app cache TTL (10 min by default; a stale list
// is served while a new one is built in the background), jobs for the job
// cache TTL (60 s); with a shared cache (WithSharedCache) one replica
// builds the list and reads the jobs for all of them.
//
// https://learn.microsoft.com/graph/api/serviceprincipal-list
// https://learn.microsoft.com/graph/api/synchronization-synchronization-list-jobs
func (c *Client) Apps(ctx context.Context) (apps []diagnose.App, err error) {
	defer c.recoverAs(&err, "list apps")
	infos, err := c.appCatalog(ctx)
	if err != nil {
		return nil, err
	}
	return c.withJobs(ctx, infos, false), nil
}

// FindApps finds provisioning apps by name for the bot's "which app?"
// questions. A name that equals an app's ignoring case, spaces and
// punctuation ("service now" for "ServiceNow") returns that app alone
// (or the apps of that name). Otherwise it returns up to five candidates
// ranked by similarity, best first (prefix, then word, then substring,
// then spelling distance), for a "did you mean", followed by up to five
// enterprise apps outside the catalog (without provisioning when it was
// built, such as single sign-on only apps) whose names start with the
// name's first word, with their jobs (JobsKnown, usually none). A service
// principal object id (or application id) returns that app even when it
// has no provisioning job. Nothing found is an error matching
// ErrNotFound.
//
// https://learn.microsoft.com/graph/api/serviceprincipal-get
func (c *Client) FindApps(ctx context.Context, name string) (apps []diagnose.App, err error) {
	const op = "find apps"
	defer c.recoverAs(&err, op)
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, invalidInput(op, "no app name given")
	}
	if err := checkText("app name", name); err != nil {
		return nil, invalidInput(op, "%v", err)
	}
	infos, err := c.appCatalog(ctx)
	if err != nil {
		return nil, err
	}
	if isGUID(name) {
		for _, a := range infos {
			if strings.EqualFold(a.id, name) || strings.EqualFold(a.appID, name) {
				return c.withJobs(ctx, []appInfo{a}, false), nil
			}
		}
		app, ok, err := c.appByID(ctx, name, false)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, notFound(op, "no enterprise app has the id %s", name)
		}
		return []diagnose.App{app}, nil
	}
	ranked := rankApps(name, infos)
	apps = c.withJobs(ctx, ranked, false)
	if len(ranked) != 1 || fold(ranked[0].name) != fold(name) {
		// Not a provisioning app's name: it may be an app without
		// provisioning (single sign-on only), whose answer says so.
		more, err := c.appsOutsideCatalog(ctx, name, infos)
		if err != nil {
			c.log.Warn("searching apps outside the catalog failed", "err", err)
		}
		apps = append(apps, more...)
	}
	if len(apps) == 0 {
		return nil, notFound(op, "no app is called anything like %q", logsafe.Cap(name))
	}
	return apps, nil
}

// appByID gets an app that may not be in the catalog (no jobs yet): its
// service principal and its jobs, in parallel. ok is false when the
// service principal does not exist.
func (c *Client) appByID(ctx context.Context, id string, refresh bool) (diagnose.App, bool, error) {
	var (
		wg      sync.WaitGroup
		info    appInfo
		found   bool
		spErr   error
		jobs    []diagnose.Job
		jobsErr error
	)
	wg.Go(func() {
		spErr = protect(func() error {
			var err error
			info, found, err = c.getApp(ctx, id)
			return err
		})
	})
	wg.Go(func() {
		jobsErr = protect(func() error {
			var err error
			jobs, err = c.appJobs(ctx, id, refresh)
			return err
		})
	})
	wg.Wait()
	if spErr != nil {
		return diagnose.App{}, false, spErr
	}
	if !found {
		return diagnose.App{}, false, nil
	}
	app := diagnose.App{ID: info.id, Name: info.name}
	if jobsErr == nil {
		app.Jobs, app.JobsKnown = slices.Clone(jobs), true
	} else {
		c.log.Warn("reading an app's jobs failed", "app", info.id, "err", jobsErr)
	}
	return app, true, nil
}

// getApp gets one service principal; found is false on a 404.
//
// https://learn.microsoft.com/graph/api/serviceprincipal-get
func (c *Client) getApp(ctx context.Context, id string) (appInfo, bool, error) {
	var sp models.ServicePrincipalable
	err := c.send(ctx, opGetApp, func(ctx context.Context) error {
		var err error
		sp, err = c.spBuilder().ByServicePrincipalId(id).Get(ctx, &serviceprincipals.ServicePrincipalItemRequestBuilderGetRequestConfiguration{
			QueryParameters: &serviceprincipals.ServicePrincipalItemRequestBuilderGetQueryParameters{Select: spSelect},
		})
		return err
	})
	switch {
	case isNotFound(err):
		return appInfo{}, false, nil
	case err != nil:
		return appInfo{}, false, err
	case sp == nil:
		return appInfo{}, false, nil
	}
	return appFromModel(sp), true, nil
}

// withJobs attaches each app's jobs, fetched in parallel where the cache
// has none. An app whose jobs cannot be read keeps JobsKnown false.
func (c *Client) withJobs(ctx context.Context, infos []appInfo, refresh bool) []diagnose.App {
	out := make([]diagnose.App, len(infos))
	var wg sync.WaitGroup
	for i, a := range infos {
		out[i] = diagnose.App{ID: a.id, Name: a.name}
		wg.Go(func() {
			var jobs []diagnose.Job
			err := protect(func() error {
				var err error
				jobs, err = c.appJobs(ctx, a.id, refresh)
				return err
			})
			if err != nil {
				c.log.Warn("reading an app's jobs failed", "app", a.id, "err", err)
				return
			}
			out[i].Jobs, out[i].JobsKnown = slices.Clone(jobs), true
		})
	}
	wg.Wait()
	return out
}

// appCatalog returns the provisioning apps: a fresh catalog at once, a
// stale one at once while a new one is built in the background, none
// after building it.
func (c *Client) appCatalog(ctx context.Context) ([]appInfo, error) {
	c.catalog.mu.Lock()
	apps, built, ok := c.catalog.apps, c.catalog.built, c.catalog.ok
	c.catalog.mu.Unlock()
	if !ok {
		return c.buildCatalog(ctx)
	}
	if c.cfg.now().Sub(built) >= c.cfg.appTTL && c.backgroundBuildDue() {
		c.goSafe(func() {
			if _, err := c.buildCatalog(context.Background()); err != nil {
				c.log.Warn("refreshing the app catalog failed; keeping the old one", "err", err)
			}
		})
	}
	return apps, nil
}

// prewarm starts building the catalog in the background when there is
// none yet.
func (c *Client) prewarm() {
	c.catalog.mu.Lock()
	ok := c.catalog.ok
	c.catalog.mu.Unlock()
	if !ok && c.backgroundBuildDue() {
		c.goSafe(func() {
			if _, err := c.buildCatalog(context.Background()); err != nil {
				c.log.Debug("building the app catalog in the background failed", "err", err)
			}
		})
	}
}

// buildCatalog builds the catalog once for concurrent callers, or takes
// one another replica built less than the app TTL ago (catalogShared).
func (c *Client) buildCatalog(ctx context.Context) ([]appInfo, error) {
	v, err := c.shared(ctx, "catalog", func(ctx context.Context) (any, error) {
		apps, built, err := c.catalogShared(ctx)
		if err != nil {
			c.catalog.mu.Lock()
			c.catalog.failedAt = c.cfg.now()
			c.catalog.mu.Unlock()
			return nil, err
		}
		c.catalog.mu.Lock()
		c.catalog.apps, c.catalog.built, c.catalog.ok = apps, built, true
		c.catalog.mu.Unlock()
		return apps, nil
	})
	apps, _ := v.([]appInfo)
	return apps, err
}

// loadCatalog lists the tenant's application service principals (not
// Microsoft's own) and keeps those with a synchronization job. Any
// failure but a 404 on one app's jobs fails the build.
//
// https://learn.microsoft.com/graph/api/serviceprincipal-list
// https://learn.microsoft.com/graph/api/synchronization-synchronization-list-jobs
func (c *Client) loadCatalog(ctx context.Context) ([]appInfo, error) {
	filter := "servicePrincipalType eq 'Application'"
	top := int32(999)
	sps, _, err := collect(ctx, c, opListApps, 0, func(ctx context.Context, url string) (page[appInfo], error) {
		b := c.spBuilder()
		var resp models.ServicePrincipalCollectionResponseable
		var err error
		if url == "" {
			resp, err = b.Get(ctx, &serviceprincipals.ServicePrincipalsRequestBuilderGetRequestConfiguration{
				QueryParameters: &serviceprincipals.ServicePrincipalsRequestBuilderGetQueryParameters{Filter: &filter, Select: spSelect, Top: &top},
			})
		} else {
			resp, err = b.WithUrl(url).Get(ctx, nil)
		}
		if err != nil || resp == nil {
			return page[appInfo]{}, err
		}
		var p page[appInfo]
		for _, sp := range resp.GetValue() {
			if sp == nil {
				continue
			}
			if owner := sp.GetAppOwnerOrganizationId(); owner != nil && microsoftTenants[strings.ToLower(owner.String())] {
				continue
			}
			p.items = append(p.items, appFromModel(sp))
		}
		p.next = deref(resp.GetOdataNextLink())
		return p, nil
	})
	if err != nil {
		return nil, err
	}

	ids := make([]string, len(sps))
	for i, sp := range sps {
		ids[i] = sp.id
	}
	jobs := c.appsJobs(ctx, ids, true, c.catalogPace())
	var apps []appInfo
	for i, sp := range sps {
		switch err := jobs[i].err; {
		case isNotFound(err):
		case err != nil:
			return nil, err
		case len(jobs[i].jobs) > 0:
			apps = append(apps, sp)
		}
	}
	slices.SortFunc(apps, func(a, b appInfo) int {
		return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
	})
	return apps, nil
}

// catalogApp returns the catalog's entry for an app id, if the catalog is
// built and has it.
func (c *Client) catalogApp(id string) (appInfo, bool) {
	c.catalog.mu.Lock()
	defer c.catalog.mu.Unlock()
	for _, a := range c.catalog.apps {
		if strings.EqualFold(a.id, id) {
			return a, true
		}
	}
	return appInfo{}, false
}
