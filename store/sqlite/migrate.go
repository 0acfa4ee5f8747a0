package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// The schema's migrations, applied in order: migrations/NNNN_what.sql
// brings the database to version NNNN (PRAGMA user_version). A migration
// is never edited once released; a change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order; their versions
// must be 1, 2, 3, ...
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []migration
	for i, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d", base, i+1)
		}
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(body)})
	}
	return out, nil
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		panic(err) // the embedded files are part of the build
	}
	return len(ms)
}

// migrate brings db to the latest schema, one step per transaction; the
// version is read inside it, so that two processes opening a new file at
// once apply each step once. A database written by a newer provbot is
// refused.
func migrate(ctx context.Context, db *sql.DB) (int, error) {
	ms, err := migrations()
	if err != nil {
		return 0, err
	}
	for {
		done, have, err := migrateStep(ctx, db, ms)
		if err != nil || done {
			return have, err
		}
	}
}

// migrateStep applies the migration after the database's version, if any.
func migrateStep(ctx context.Context, db *sql.DB, ms []migration) (done bool, version int, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, 0, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return false, 0, fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case have > len(ms):
		return false, have, fmt.Errorf("the database has schema version %d, newer than this provbot's %d: use a newer provbot", have, len(ms))
	case have == len(ms):
		return true, have, nil
	}
	m := ms[have]
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, have, fmt.Errorf("migrate to %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return false, have, fmt.Errorf("migrate to %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, have, fmt.Errorf("migrate to %s: %w", m.name, err)
	}
	return false, m.version, nil
}
