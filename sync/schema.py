"""The sync engine's own tables, as ordered, named migrations (never edit a released one).

- `sync_meta`: one row: the global server sequence and the database `epoch`.
- `sync_records`: one row per synced record: its type, id, scope key, version, the server
  seq of its latest change (unique: a record appears once per pull, at its latest version),
  tombstone flag, the time that places it in the history window, and per field the version
  that last changed it (for the conflict rule).
- `sync_mutations`: every mutation id ever answered, with the answer (idempotency).
- `sync_parked`: rejected and conflicting mutations, kept whole until a person resolves them.
- `sync_scopes`: the scope sets that cursors refer to, by hash.
- `sync_devices`: what each device last reported (outbox size, app version, clock skew,
  device_seq gaps) for the supervisor's sync dashboard.
"""

import uuid

from sqlite_utils.migrations import Migrations

migrations = Migrations("faltstod.sync")


@migrations()
def m001_sync_tables(db):
    db.execute(
        """CREATE TABLE sync_meta (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            epoch TEXT NOT NULL
        )"""
    )
    db.execute("INSERT INTO sync_meta (id, seq, epoch) VALUES (1, 0, ?)", [uuid.uuid4().hex])
    db.execute(
        """CREATE TABLE sync_records (
            type TEXT NOT NULL,
            id TEXT NOT NULL,
            scope TEXT NOT NULL,
            version INTEGER NOT NULL,
            seq INTEGER NOT NULL UNIQUE,
            deleted INTEGER NOT NULL DEFAULT 0,
            window_at TEXT,
            field_versions TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (type, id)
        )"""
    )
    db.execute("CREATE INDEX sync_records_scope_seq ON sync_records (scope, seq)")
    db.execute("CREATE INDEX sync_records_scope_window ON sync_records (scope, window_at)")
    db.execute(
        """CREATE TABLE sync_mutations (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            device_id TEXT,
            device_seq INTEGER,
            name TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            occurred_at TEXT,
            received_at TEXT NOT NULL,
            status TEXT NOT NULL,
            server_seq INTEGER,
            parked_id TEXT,
            record_type TEXT,
            record_id TEXT,
            produced_version INTEGER,
            result TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX sync_mutations_device ON sync_mutations (device_id, device_seq)")
    db.execute(
        """CREATE TABLE sync_parked (
            id TEXT PRIMARY KEY,
            mutation_id TEXT,
            user_id TEXT NOT NULL,
            device_id TEXT,
            mutation TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL,
            message TEXT NOT NULL,
            fields TEXT,
            server_values TEXT,
            record_type TEXT,
            record_id TEXT,
            scope TEXT,
            created_at TEXT NOT NULL,
            resolution TEXT,
            resolved_at TEXT,
            resolved_by TEXT
        )"""
    )
    db.execute("CREATE INDEX sync_parked_user ON sync_parked (user_id, status)")
    db.execute(
        """CREATE TABLE sync_scopes (
            key TEXT PRIMARY KEY,
            scopes TEXT NOT NULL,
            created_at TEXT NOT NULL,
            used_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE sync_devices (
            device_id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            last_device_seq INTEGER,
            seq_gaps INTEGER NOT NULL DEFAULT 0,
            outbox_size INTEGER,
            app_version TEXT,
            clock_skew_seconds REAL,
            last_push_at TEXT
        )"""
    )


@migrations()
def m002_device_reports(db):
    """Issue 9, the sync dashboard: when the oldest unsent change was queued (the push
    envelope's `outbox_oldest_at`), when the device last pulled, and when a gap in its
    `device_seq` was last seen (an alert for 7 days)."""
    db.executescript(
        """
        ALTER TABLE sync_devices ADD COLUMN outbox_oldest_at TEXT;
        ALTER TABLE sync_devices ADD COLUMN last_pull_at TEXT;
        ALTER TABLE sync_devices ADD COLUMN last_gap_at TEXT;
        """
    )
