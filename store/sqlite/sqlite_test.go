package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/provbot/provbot/store"
	"github.com/provbot/provbot/store/sqlite"
	"github.com/provbot/provbot/store/storetest"
)

// mustOpen opens the database at path for t, closed when t ends.
func mustOpen(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformance runs the store suite on a real SQLite file; its
// replicas are connections of their own to the same file, as processes
// sharing it would be.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{New: func(t *testing.T) func() store.Store {
		path := filepath.Join(t.TempDir(), "provbot.db")
		return func() store.Store { return mustOpen(t, path) }
	}})
}

func TestStateSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "provbot.db") // the directory is made too
	ctx := t.Context()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutConversation(ctx, "user:emily", []byte(`{"id":"1"}`)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpen(t, path)
	if ref, err := s.Conversation(ctx, "user:emily"); err != nil || string(ref) != `{"id":"1"}` {
		t.Errorf("after reopening: %q, %v", ref, err)
	}
	if d := s.Describe(); !strings.Contains(d, path) || !strings.Contains(d, "schema 1") {
		t.Errorf("Describe() = %q, want the path and the schema version", d)
	}
}

func TestTheFileIsReadableByItsOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "provbot.db")
	mustOpen(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("mode %v, want 0600: it holds who asked about whom", mode)
	}
}

func TestMigrationsReachTheLatestSchemaOnceEvenWhenTwoOpenAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "provbot.db")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := sqlite.Open(t.Context(), path)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("concurrent open: %v", err)
		}
	}
	if v := userVersion(t, path); v != sqlite.SchemaVersion() {
		t.Errorf("schema version %d, want %d", v, sqlite.SchemaVersion())
	}
}

func TestANewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "provbot.db")
	mustOpen(t, path).Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = sqlite.Open(t.Context(), path)
	if err == nil || !strings.Contains(err.Error(), "newer than this provbot's") {
		t.Errorf("open a schema-99 database: %v, want a refusal naming the versions", err)
	}
}

func TestAPathThatCannotBeCreatedIsAClearError(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := sqlite.Open(t.Context(), filepath.Join(blocker, "provbot.db"))
	if err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("open under a file: %v", err)
	}
	_, err = sqlite.Open(t.Context(), filepath.Join(dir, "a?b.db"))
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("open a path with '?': %v, want ErrInvalid", err)
	}
}

func TestInMemory(t *testing.T) {
	s := mustOpen(t, sqlite.Memory)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := s.PutConversation(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Conversation(ctx, "k"); err != nil {
		t.Errorf("in memory: %v", err)
	}
	if !strings.Contains(s.Describe(), "in memory") {
		t.Errorf("Describe() = %q", s.Describe())
	}
}

// userVersion reads the schema version of the database at path.
func userVersion(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
