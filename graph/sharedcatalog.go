package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/provbot/provbot/internal/logsafe"
)

// The catalog of provisioning apps shared across replicas: one replica
// builds it (listing every service principal and reading their jobs,
// which it shares too) and puts it in the shared cache for the app TTL;
// the others take it from there, at start and when theirs is due for a
// refresh. A catalog too big for the shared cache (SharedValueLimit,
// tens of thousands of provisioning apps) is built by each replica for
// itself, as without a shared cache: chunking it would buy little for
// tenants that rare.

const (
	// catalogKey names the catalog in the shared cache, catalogBuildKey
	// the coalesced build of it.
	catalogKey      = "catalog"
	catalogBuildKey = "catalog-build"
	// catalogKeep is how long a coalesced build's answer stays available
	// to the replicas that were waiting for it; the shared cache keeps
	// the catalog for the app TTL.
	catalogKeep = time.Second
)

// sharedCatalog is the catalog as the shared cache holds it.
type sharedCatalog struct {
	Apps []sharedApp `json:"apps"`
	// TooBig says that the catalog was built but is too big to share:
	// the replicas that waited for it build their own.
	TooBig bool `json:"tooBig,omitempty"`
}

// sharedApp is an appInfo as the shared cache holds it.
type sharedApp struct {
	ID    string            `json:"id"`
	AppID string            `json:"appId"`
	Name  string            `json:"name"`
	Roles map[string]string `json:"roles,omitempty"` // app role id (lower case) → display name
}

// catalogShared returns the catalog and when it was built: the shared
// one when it is younger than the app TTL, else one built once for every
// replica asking at the same time (the others wait for its answer) and
// shared. When the shared cache fails, holds garbage or the catalog is
// too big for it, the replica builds its own. A failed build shares
// nothing.
func (c *Client) catalogShared(ctx context.Context) ([]appInfo, time.Time, error) {
	if c.sharedCacheOff() || c.cfg.appTTL <= 0 {
		return c.loadCatalogNow(ctx)
	}
	var sc sharedCatalog
	if at, ok := sharedGet(ctx, c, catalogKey, &sc); ok {
		if apps, built, ok := c.sharedCatalogApps(sc, at); ok {
			c.log.Info("app catalog taken from the shared cache", "apps", len(apps), "age", c.cfg.now().Sub(built))
			return apps, built, nil
		}
	}
	var (
		ran, done bool
		apps      []appInfo
		built     time.Time
		runErr    error
	)
	v, shared, err := c.cfg.sharedCache.Coalesce(ctx, sharedKeyPrefix+catalogBuildKey, coalesceHold(ctx), catalogKeep, func(ctx context.Context) ([]byte, error) {
		ran = true
		apps, built, runErr = c.loadCatalogNow(ctx)
		done = true
		if runErr != nil {
			return nil, runErr
		}
		return c.shareCatalog(ctx, apps, built)
	})
	switch {
	case ran && !done:
		return nil, time.Time{}, fmt.Errorf("build the app catalog: %w", err)
	case ran:
		// Our own build: it stands, whatever the store did after it.
		return apps, built, runErr
	case err == nil && shared:
		var e sharedEntry[sharedCatalog]
		if derr := json.Unmarshal(v, &e); derr != nil {
			c.sharedWarn("a coalesced app catalog does not decode; building it here", "err", derr)
		} else if apps, built, ok := c.sharedCatalogApps(e.V, e.At); ok {
			c.log.Info("app catalog taken from the replica that built it", "apps", len(apps))
			return apps, built, nil
		}
	case ctx.Err() != nil:
		return nil, time.Time{}, toError(operation{name: "build app catalog"}, ctx.Err(), nil)
	case err != nil:
		c.sharedWarn("coalesce the app catalog's build with other replicas; building it here", "err", err)
	}
	return c.loadCatalogNow(ctx)
}

// loadCatalogNow builds the catalog here and returns when.
func (c *Client) loadCatalogNow(ctx context.Context) ([]appInfo, time.Time, error) {
	apps, err := c.loadCatalog(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	c.log.Info("app catalog built", "apps", len(apps))
	return apps, c.cfg.now(), nil
}

// shareCatalog puts the catalog, built at the time built, in the shared
// cache for the app TTL and returns the value for the replicas waiting
// for it: the catalog, or a TooBig mark when it is too big to share.
func (c *Client) shareCatalog(ctx context.Context, apps []appInfo, built time.Time) ([]byte, error) {
	sc := sharedCatalog{Apps: make([]sharedApp, len(apps))}
	for i, a := range apps {
		sc.Apps[i] = sharedApp{ID: a.id, AppID: a.appID, Name: a.name, Roles: a.roles}
	}
	b, err := json.Marshal(sharedEntry[sharedCatalog]{At: built.UTC(), V: sc})
	if err != nil {
		return nil, fmt.Errorf("encode the app catalog: %w", err)
	}
	if len(b) > SharedValueLimit {
		c.sharedWarn("the app catalog is too big for the shared cache; each replica builds its own",
			"apps", len(apps), "bytes", len(b), "limit", SharedValueLimit)
		return json.Marshal(sharedEntry[sharedCatalog]{At: built.UTC(), V: sharedCatalog{TooBig: true}})
	}
	c.sharedPutBytes(ctx, catalogKey, b, c.cfg.appTTL)
	return b, nil
}

// sharedCatalogApps is the catalog another replica built at the time at;
// ok is false when it is as old as the app TTL, was too big to share, or
// holds an app without a proper id (a warning).
func (c *Client) sharedCatalogApps(sc sharedCatalog, at time.Time) (apps []appInfo, built time.Time, ok bool) {
	now := c.cfg.now()
	if at.IsZero() || now.Sub(at) >= c.cfg.appTTL || sc.TooBig {
		return nil, time.Time{}, false
	}
	for _, a := range sc.Apps {
		if !isGUID(a.ID) {
			c.sharedWarn("the shared app catalog holds an app without an object id; building it here", "app", logsafe.Cap(a.ID))
			return nil, time.Time{}, false
		}
		apps = append(apps, appInfo{id: a.ID, appID: a.AppID, name: a.Name, roles: a.Roles})
	}
	if at.After(now) {
		at = now // another replica's clock runs ahead
	}
	return apps, at, true
}
