package redis

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/provbot/provbot/store"
)

// Store is provbot's state in Redis, shared by every replica that opens
// the same server and database. See doc.go for the key layout.
type Store struct {
	rdb    *goredis.Client
	desc   string
	prefix string
	log    *slog.Logger
}

var _ store.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(s *Store) {
		if l != nil {
			s.log = l
		}
	}
}

// WithPrefix sets the prefix of every key (default "provbot:"), so that
// tests, or two bots, can share one Redis database.
func WithPrefix(p string) Option { return func(s *Store) { s.prefix = p } }

// quiet keeps go-redis's own log lines (plain text on stderr, which
// would break provbot's JSON logs) out: every failure they report also
// comes back as an error, which the caller logs.
type quiet struct{}

// Printf drops the line.
func (quiet) Printf(context.Context, string, ...any) {}

func init() { goredis.SetLogger(quiet{}) }

// minVersion is the oldest Redis whose scripts may read the server's
// clock before they write (effects replication by default).
const minVersion = "6.2"

// Open connects to the Redis at rawURL (redis://[user:password@]host:port/db,
// or rediss:// for TLS, as Azure Cache for Redis requires) and checks that
// it answers and is recent enough. The URL's password never appears in
// errors or in Describe.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Store, error) {
	o, err := goredis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redis URL: %s: %w", scrub(err.Error(), rawURL), store.ErrInvalid)
	}
	s := &Store{prefix: "provbot:", log: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(s)
	}
	s.log = s.log.With("component", "store", "store", "redis")
	s.desc = fmt.Sprintf("redis %s db %d", o.Addr, o.DB)
	if o.TLSConfig != nil {
		s.desc += " (TLS)"
	}
	s.rdb = goredis.NewClient(o)
	if err := s.checkServer(ctx); err != nil {
		s.rdb.Close()
		return nil, err
	}
	return s, nil
}

// checkServer pings the server and reads its version.
func (s *Store) checkServer(ctx context.Context) error {
	info, err := s.rdb.Info(ctx, "server").Result()
	if err != nil {
		return fmt.Errorf("%s: %w", s.desc, err)
	}
	for line := range strings.Lines(info) {
		v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:")
		if !ok {
			continue
		}
		if !atLeast(v, minVersion) {
			return fmt.Errorf("%s is Redis %s: provbot needs %s or later", s.desc, v, minVersion)
		}
		s.desc += " (Redis " + v + ")"
	}
	return nil
}

// atLeast compares dotted versions.
func atLeast(have, want string) bool {
	h, w := strings.Split(have, "."), strings.Split(want, ".")
	for i := range w {
		var hv int
		if i < len(h) {
			hv, _ = strconv.Atoi(h[i])
		}
		wv, _ := strconv.Atoi(w[i])
		if hv != wv {
			return hv > wv
		}
	}
	return true
}

// scrub removes the URL (which may hold a password) from a message.
func scrub(msg, rawURL string) string {
	if rawURL != "" {
		msg = strings.ReplaceAll(msg, rawURL, "<the URL>")
	}
	return msg
}

// Describe says which Redis holds the state.
func (s *Store) Describe() string { return s.desc }

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("%s: %w", s.desc, err)
	}
	return nil
}

// Close closes the connections.
func (s *Store) Close() error { return s.rdb.Close() }

// key joins the prefix and the parts of a key.
func (s *Store) key(parts ...string) string { return s.prefix + strings.Join(parts, ":") }

//go:embed lua/*.lua
var luaFiles embed.FS

// script loads an embedded script; fenced scripts start with fence.lua.
func script(name string, fenced bool) *goredis.Script {
	body, err := luaFiles.ReadFile("lua/" + name + ".lua")
	if err != nil {
		panic(err) // the files are part of the build
	}
	if fenced {
		fence, err := luaFiles.ReadFile("lua/fence.lua")
		if err != nil {
			panic(err)
		}
		body = append(append(fence, '\n'), body...)
	}
	return goredis.NewScript(string(body))
}

// fenceArgs returns the lease key and token that fenced scripts take
// first.
func (s *Store) fenceArgs(f store.Fence) (string, string, error) {
	if err := f.Check(); err != nil {
		return "", "", err
	}
	if f.IsZero() {
		return s.key("lease", ""), "0", nil
	}
	return s.key("lease", f.Lease), strconv.FormatInt(f.Token, 10), nil
}

// scriptResult is what the fenced scripts return: a number (a version,
// or -1 not found, -2 fenced) or {-3, stored version} on a conflict.
func scriptResult(res any, what string) (int64, error) {
	switch v := res.(type) {
	case int64:
		switch v {
		case -1:
			return 0, fmt.Errorf("%s: %w", what, store.ErrNotFound)
		case -2:
			return 0, fmt.Errorf("%s: %w", what, store.ErrFenced)
		}
		return v, nil
	case []any:
		if len(v) == 2 && v[0] == int64(-3) {
			return 0, fmt.Errorf("%s: stored version %v: %w", what, v[1], store.ErrConflict)
		}
	}
	return 0, fmt.Errorf("%s: unexpected script answer %v", what, res)
}

// ms is t in Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS is the time of Unix milliseconds v, in UTC.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// parseMS reads milliseconds kept as a string.
func parseMS(s string) (time.Time, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return fromMS(v), nil
}

// newID returns a random id of 128 bits, in hex.
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// isNil reports whether err is Redis' "no such key".
func isNil(err error) bool { return errors.Is(err, goredis.Nil) }

// orNil returns nil for an empty value.
func orNil(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
