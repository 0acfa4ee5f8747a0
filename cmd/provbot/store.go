package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/provbot/provbot/graph"
	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/store/redis"
	"github.com/provbot/provbot/store/sqlite"
)

// defaultStore is where `provbot serve` keeps its state when PROVBOT_STORE
// is not set: an SQLite file in the usual place for a service's state.
const defaultStore = "sqlite:///var/lib/provbot/provbot.db"

// reportBucket is the name of the reporting budget's shared bucket.
const reportBucket = "reports"

// storeSettings is PROVBOT_STORE, parsed.
type storeSettings struct {
	// Kind is "sqlite" or "redis".
	Kind string
	// Path is the SQLite file, or sqlite.Memory.
	Path string
	// URL is the Redis URL as given (it may hold a password: never log
	// it; Redacted is for messages).
	URL string
	// Redacted is the setting with any password replaced by xxxxx.
	Redacted string
}

// loadStoreSettings reads and checks PROVBOT_STORE: sqlite:///absolute/path.db,
// sqlite:relative/path.db, sqlite::memory:, redis://[user:password@]host:port[/db]
// or rediss://... (TLS). Unset, it is defaultStore.
func loadStoreSettings(getenv func(string) string) (storeSettings, []error) {
	raw := strings.TrimSpace(getenv("PROVBOT_STORE"))
	if raw == "" {
		raw = defaultStore
	}
	s, err := parseStoreSetting(raw)
	if err != nil {
		return s, []error{fmt.Errorf("PROVBOT_STORE: %w", err)}
	}
	return s, nil
}

// parseStoreSetting parses a PROVBOT_STORE value. Its errors never quote a
// password.
func parseStoreSetting(raw string) (storeSettings, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return storeSettings{}, errors.New("not a URL: want sqlite:///path/provbot.db or redis://host:6379/0")
	}
	s := storeSettings{Kind: strings.ToLower(u.Scheme), Redacted: u.Redacted()}
	switch s.Kind {
	case "sqlite":
		switch {
		case u.Opaque != "": // sqlite:relative/path.db, sqlite::memory:
			s.Path = u.Opaque
		case u.Host != "":
			return s, fmt.Errorf("%q names a host: write sqlite:///absolute/path.db (three slashes) or sqlite:relative/path.db", s.Redacted)
		default:
			s.Path = u.Path
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return s, fmt.Errorf("%q: a SQLite file name takes no ? or #", s.Redacted)
		}
		if s.Path == "" {
			return s, fmt.Errorf("%q names no file", s.Redacted)
		}
	case "redis", "rediss":
		s.Kind, s.URL = "redis", raw
		if u.Hostname() == "" {
			return s, fmt.Errorf("%q names no host: want redis://host:6379/0", s.Redacted)
		}
	default:
		return s, fmt.Errorf("%q: want sqlite:///path/provbot.db (one replica) or redis://host:6379/0 (several)", s.Redacted)
	}
	return s, nil
}

// describe says which store the settings name, without secrets.
func (s storeSettings) describe() string {
	if s.Kind == "sqlite" {
		if s.Path == sqlite.Memory {
			return "sqlite in memory"
		}
		return "sqlite " + s.Path
	}
	return s.Redacted
}

// openStore opens the store the settings name; errors name PROVBOT_STORE.
func openStore(ctx context.Context, s storeSettings, logger *slog.Logger) (store.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var (
		st  store.Store
		err error
	)
	switch s.Kind {
	case "sqlite":
		st, err = sqlite.Open(ctx, s.Path, sqlite.WithLogger(logger))
	case "redis":
		st, err = redis.Open(ctx, s.URL, redis.WithLogger(logger))
	default:
		err = fmt.Errorf("unknown store %q", s.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("PROVBOT_STORE (%s): %s", s.describe(), strings.ReplaceAll(err.Error(), s.URL, s.Redacted))
	}
	return st, nil
}

// sharedGraph returns the graph options that make replicas sharing a
// store (Redis) behave as one towards Graph: the reporting budget is the
// store's shared bucket; provisioning log lookups in flight, groups'
// app role assignments, help-desk and admin membership answers, apps'
// jobs and the app catalogue are coalesced and cached in the store; and
// users waiting for the budget on one replica are fetched in another's
// request when it has room (the store's queues). None for SQLite: its
// one replica
// keeps its budget, coalescing and caches in the client, in memory, where
// they cost no round trip to the database file.
func sharedGraph(s storeSettings, st store.Store) ([]graph.Option, error) {
	if s.Kind != "redis" {
		return nil, nil
	}
	b, err := st.Bucket(reportBucket, graph.DefaultReportBudget, graph.DefaultReportWindow)
	if err != nil {
		return nil, fmt.Errorf("PROVBOT_STORE: reporting budget: %w", err)
	}
	return []graph.Option{graph.WithSharedBudget(b), graph.WithSharedCache(st), graph.WithSharedQueue(st)}, nil
}

// checkSQLiteFile says whether serve could create or open the SQLite file,
// without leaving anything behind: an existing file must be readable and
// writable; else the nearest existing directory on its path must take a
// new file.
func checkSQLiteFile(path string) (string, error) {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return "", fmt.Errorf("%s is a directory", path)
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return "", err
		}
		f.Close()
		return "the file exists and is writable", nil
	}
	dir := filepath.Dir(path)
	for {
		if fi, err := os.Stat(dir); err == nil {
			if !fi.IsDir() {
				return "", fmt.Errorf("%s is not a directory", dir)
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	f, err := os.CreateTemp(dir, ".provbot-check-*")
	if err != nil {
		return "", fmt.Errorf("cannot create files in %s: %w", dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return "provbot serve creates it at start", nil
}
