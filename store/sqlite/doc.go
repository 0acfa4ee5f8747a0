// Package sqlite is the store adapter for one replica of provbot: an
// embedded SQLite database in one file (PROVBOT_STORE=sqlite:///var/lib/provbot/provbot.db,
// the default), made readable by its owner only, through the pure-Go
// driver modernc.org/sqlite so that the binary stays static.
//
// The schema is created and migrated when the file is opened: the files
// in migrations/ are applied in order, each in one transaction, and the
// database's PRAGMA user_version says how far it is; a file written by a
// newer provbot is refused. The file is in WAL mode with a 5-s busy
// timeout; write transactions take the write lock when they begin, so that
// several processes may share the file (their leases then elect one
// leader). Times are kept as Unix milliseconds.
//
// The reporting budget, coalescing and cache (store.Shared) are in the
// process (package inproc): one replica needs nothing more.
package sqlite
