package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver: the binary stays static

	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/store/inproc"
)

// Memory is the path of a database that lives in memory only, gone when
// the store closes (the demo's).
const Memory = ":memory:"

// busyTimeout is how long a write waits for another process's write to
// the same file.
const busyTimeout = 5 * time.Second

// Store is provbot's state in a SQLite database: one file, one replica
// (several processes may open the file; leases then elect one of them).
// The bucket, coalescing, cache and queues of store.Shared are
// in-process.
type Store struct {
	db      *sql.DB
	path    string
	version int
	now     func() time.Time
	log     *slog.Logger

	cache   *inproc.Cache
	flights *inproc.Flights
	queues  *inproc.Queues
	buckets bucketSet
}

var _ store.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithNow sets the clock leases expire on (default time.Now).
func WithNow(now func() time.Time) Option {
	return func(s *Store) {
		if now != nil {
			s.now = now
		}
	}
}

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(s *Store) {
		if l != nil {
			s.log = l
		}
	}
}

// Open opens (creating it when missing, with its directory, readable by
// its owner only) the database at path, or an in-memory one for Memory,
// and brings its schema up to date.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	s := &Store{path: path, now: time.Now, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	s.log = s.log.With("component", "store", "store", "sqlite")
	if err := s.prepareFile(); err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, p := range []string{fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()), "foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	// Write transactions take the write lock when they begin, so that two
	// processes never deadlock upgrading a read lock (busy_timeout cannot
	// resolve that).
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// One connection: SQLite writes one at a time anyway, every query
	// here is short, and an in-memory database lives in its connection.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s.db = db
	if s.version, err = migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s.cache = inproc.NewCache(10000, s.now)
	s.flights = inproc.NewFlights(inproc.NewCache(10000, s.now))
	s.queues = inproc.NewQueues(s.now)
	s.buckets.now = s.now
	return s, nil
}

// prepareFile checks the path and creates the file, readable by its
// owner only (it holds who asked what), and its directory.
func (s *Store) prepareFile() error {
	if s.path == Memory {
		return nil
	}
	if s.path == "" || strings.ContainsAny(s.path, "?#") {
		return fmt.Errorf("sqlite path %q: want a file name without ? or #: %w", s.path, store.ErrInvalid)
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o750); err != nil {
		return fmt.Errorf("sqlite: create the database's directory: %w", err)
	}
	f, err := os.OpenFile(s.path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return f.Close()
}

// Describe says where the state is kept.
func (s *Store) Describe() string {
	if s.path == Memory {
		return fmt.Sprintf("sqlite in memory (schema %d; gone when provbot stops)", s.version)
	}
	return fmt.Sprintf("sqlite %s (schema %d)", s.path, s.version)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// tx runs fn in a write transaction.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// fenced returns ErrFenced unless f is the zero Fence or its lease is
// held with its token now. Call inside the write's transaction.
func (s *Store) fenced(ctx context.Context, tx *sql.Tx, f store.Fence) error {
	if f.IsZero() {
		return nil
	}
	if err := f.Check(); err != nil {
		return err
	}
	var token, expires int64
	err := tx.QueryRowContext(ctx, "SELECT token, expires_ms FROM leases WHERE name = ?", f.Lease).Scan(&token, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("lease %s: %w", f.Lease, store.ErrFenced)
	case err != nil:
		return err
	case token != f.Token || expires <= ms(s.now()):
		return fmt.Errorf("lease %s token %d: %w", f.Lease, f.Token, store.ErrFenced)
	}
	return nil
}

// ms is t in Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS is the time of Unix milliseconds v, in UTC.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// newID returns a random id of 128 bits, in hex.
func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// nonNil returns b, or an empty slice for nil (the columns are NOT NULL).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
