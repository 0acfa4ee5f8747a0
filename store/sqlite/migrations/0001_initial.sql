-- provbot's state, schema 1. Times are Unix milliseconds (UTC).

CREATE TABLE conversations (
	key        TEXT PRIMARY KEY,
	ref        BLOB NOT NULL,
	updated_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE watches (
	id           TEXT PRIMARY KEY,
	owner        TEXT NOT NULL,
	conversation TEXT NOT NULL,
	subject      TEXT NOT NULL,
	app          TEXT NOT NULL,
	state        BLOB NOT NULL,
	due_ms       INTEGER NOT NULL,
	expires_ms   INTEGER NOT NULL,
	created_ms   INTEGER NOT NULL,
	version      INTEGER NOT NULL
);
-- One watch per owner, subject and app (object ids: case does not matter).
CREATE UNIQUE INDEX watches_identity ON watches (owner COLLATE NOCASE, subject COLLATE NOCASE, app COLLATE NOCASE);
CREATE INDEX watches_due ON watches (due_ms);

CREATE TABLE alert_channels (
	id           TEXT PRIMARY KEY,
	conversation TEXT NOT NULL,
	added_by     TEXT NOT NULL,
	added_ms     INTEGER NOT NULL
);

CREATE TABLE episodes (
	key       TEXT PRIMARY KEY,
	opened_ms INTEGER NOT NULL,
	state     BLOB NOT NULL,
	version   INTEGER NOT NULL
);

CREATE TABLE mutes (
	app      TEXT PRIMARY KEY,
	until_ms INTEGER NOT NULL,
	muted_by TEXT NOT NULL,
	reason   TEXT NOT NULL
);

CREATE TABLE audit (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	at_ms      INTEGER NOT NULL,
	actor      TEXT NOT NULL,
	actor_name TEXT NOT NULL,
	action     TEXT NOT NULL,
	subject    TEXT NOT NULL,
	app        TEXT NOT NULL,
	outcome    TEXT NOT NULL,
	request_id TEXT NOT NULL,
	detail     TEXT NOT NULL
);
CREATE INDEX audit_at ON audit (at_ms);

-- A lease's row stays after it is released, so that its token keeps
-- growing.
CREATE TABLE leases (
	name       TEXT PRIMARY KEY,
	holder     TEXT NOT NULL,
	token      INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL
) WITHOUT ROWID;
