"""The server's tables (casework, security, reminders, push, supervision), as ordered, named
migrations: never edit one once released; add one at the end. The sync engine's own tables
are `sync/schema.py`. The migration set keeps its first name, `faltstod.records`, which
existing databases have recorded.

Times are stored as UTC text (`YYYY-MM-DDTHH:MM:SSZ`, sorts as time, `sync/times.py`); where a
device gave the time, the offset it used is kept beside it (`offsets`: field -> minutes east
of UTC), so the time reads back as the worker wrote it. Calendar questions are asked in the
users' zone (the setting `TIMEZONE`).
"""

from sqlite_utils.migrations import Migrations

migrations = Migrations("faltstod.records")


@migrations()
def m001_domain_tables(db):
    db.executescript(
        """
        CREATE TABLE teams (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            district TEXT NOT NULL
        );
        CREATE TABLE workers (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('cm', 'support_worker', 'supervisor', 'admin')),
            team_id TEXT REFERENCES teams (id),
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            worker_id TEXT NOT NULL REFERENCES workers (id),
            name TEXT NOT NULL,
            token_hash TEXT UNIQUE,
            status TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('active', 'logged_out', 'revoked', 'retired')),
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            ended_at TEXT
        );
        CREATE INDEX devices_worker ON devices (worker_id);
        CREATE TABLE clients (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            service TEXT NOT NULL CHECK (service IN ('cm', 'housing_support')),
            team_id TEXT REFERENCES teams (id),
            protected_identity INTEGER NOT NULL DEFAULT 0,
            whereabouts TEXT,
            phone TEXT,
            contact_notes TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE assignments (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            worker_id TEXT NOT NULL REFERENCES workers (id),
            service TEXT NOT NULL CHECK (service IN ('cm', 'housing_support')),
            starts_at TEXT NOT NULL,
            ends_at TEXT
        );
        CREATE INDEX assignments_worker ON assignments (worker_id, starts_at);
        CREATE INDEX assignments_client ON assignments (client_id, starts_at);
        CREATE TABLE orders (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            orderer TEXT NOT NULL,
            service TEXT NOT NULL CHECK (service IN ('cm', 'housing_support')),
            period_start TEXT NOT NULL,
            period_end TEXT,
            hours_per_month REAL,
            goals TEXT NOT NULL DEFAULT '[]',
            activities TEXT NOT NULL DEFAULT '[]',
            received_at TEXT NOT NULL
        );
        CREATE INDEX orders_client ON orders (client_id);
        CREATE TABLE plans (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            order_id TEXT REFERENCES orders (id),
            activities TEXT NOT NULL DEFAULT '[]',
            agreed_at TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX plans_client ON plans (client_id);
        CREATE TABLE visits (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            worker_id TEXT NOT NULL REFERENCES workers (id),
            status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
            starts_at TEXT,
            ends_at TEXT,
            started_at TEXT,
            ended_at TEXT,
            minutes INTEGER,
            activities TEXT NOT NULL DEFAULT '[]',
            place TEXT,
            cancel_reason TEXT,
            cancelled_at TEXT,
            offsets TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE INDEX visits_client ON visits (client_id, starts_at);
        CREATE INDEX visits_worker ON visits (worker_id, starts_at);
        CREATE TABLE notes (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            visit_id TEXT REFERENCES visits (id),
            author_id TEXT NOT NULL REFERENCES workers (id),
            text TEXT NOT NULL,
            written_at TEXT NOT NULL,
            offsets TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX notes_client ON notes (client_id);
        """
    )


@migrations()
def m002_reminders_and_push(db):
    """Issue 4: personal reminders (a synced record), per-worker reminder preferences, the
    reminders the scheduler sends, browsers' push subscriptions and one row per send."""
    db.executescript(
        """
        CREATE TABLE personal_reminders (
            id TEXT PRIMARY KEY,
            worker_id TEXT NOT NULL REFERENCES workers (id),
            client_id TEXT REFERENCES clients (id),
            text TEXT NOT NULL,
            remind_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
            done_at TEXT,
            offsets TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE INDEX personal_reminders_worker ON personal_reminders (worker_id, remind_at);
        CREATE TABLE reminder_preferences (
            worker_id TEXT PRIMARY KEY REFERENCES workers (id),
            minutes_before INTEGER CHECK (minutes_before BETWEEN 1 AND 1440),
            day_before INTEGER NOT NULL DEFAULT 0,
            morning_digest INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE reminders (
            id TEXT PRIMARY KEY,
            source_type TEXT NOT NULL,
            source_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            worker_id TEXT NOT NULL REFERENCES workers (id),
            event_at TEXT NOT NULL,
            useful_until TEXT NOT NULL,
            due_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'skipped', 'cancelled')),
            status_reason TEXT,
            lease_until TEXT,
            leased_by TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT
        );
        CREATE INDEX reminders_due ON reminders (status, due_at);
        CREATE INDEX reminders_source ON reminders (source_type, source_id);
        CREATE TABLE push_subscriptions (
            id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL REFERENCES devices (id),
            worker_id TEXT NOT NULL REFERENCES workers (id),
            endpoint TEXT NOT NULL UNIQUE,
            p256dh TEXT NOT NULL,
            auth TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            last_success_at TEXT,
            disabled_at TEXT,
            disabled_reason TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_failure_at TEXT,
            last_failure TEXT
        );
        CREATE INDEX push_subscriptions_worker ON push_subscriptions (worker_id);
        CREATE INDEX push_subscriptions_device ON push_subscriptions (device_id);
        CREATE TABLE reminder_sends (
            reminder_id TEXT NOT NULL REFERENCES reminders (id),
            subscription_id TEXT NOT NULL REFERENCES push_subscriptions (id),
            status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'retry', 'failed', 'gone')),
            attempts INTEGER NOT NULL DEFAULT 0,
            response_status INTEGER,
            created_at TEXT NOT NULL,
            finished_at TEXT,
            PRIMARY KEY (reminder_id, subscription_id)
        );
        """
    )


@migrations()
def m003_month_locks(db):
    """A supervisor closes a month for the team; later work about it is applied and marked late."""
    db.executescript(
        """
        CREATE TABLE month_locks (
            team_id TEXT NOT NULL REFERENCES teams (id),
            month TEXT NOT NULL,
            locked_at TEXT NOT NULL,
            locked_by TEXT NOT NULL REFERENCES workers (id),
            PRIMARY KEY (team_id, month)
        );
        ALTER TABLE visits ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
        """
    )


@migrations()
def m004_scheduler_heartbeats(db):
    """Each scheduler run leaves a heartbeat, so a stopped scheduler is seen (health, supervisors)."""
    db.executescript(
        """
        CREATE TABLE scheduler_heartbeats (
            owner TEXT PRIMARY KEY,
            last_run_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m005_supervision(db):
    """Issue 9: the teams a supervisor leads (a unit manager may lead several; a supervisor's
    own `team_id` is always one of them), the orderer's reference of an order, and the
    corrections recorded about an approved month (the next month's report lists them)."""
    db.executescript(
        """
        CREATE TABLE team_leads (
            team_id TEXT NOT NULL REFERENCES teams (id),
            worker_id TEXT NOT NULL REFERENCES workers (id),
            PRIMARY KEY (team_id, worker_id)
        );
        CREATE INDEX team_leads_worker ON team_leads (worker_id);
        INSERT INTO team_leads (team_id, worker_id)
            SELECT team_id, id FROM workers WHERE role = 'supervisor' AND team_id IS NOT NULL;
        ALTER TABLE orders ADD COLUMN order_ref TEXT;
        CREATE TABLE report_corrections (
            id TEXT PRIMARY KEY,
            team_id TEXT NOT NULL REFERENCES teams (id),
            month TEXT NOT NULL,
            record_type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            client_id TEXT REFERENCES clients (id),
            mutation_id TEXT,
            mutation_name TEXT,
            fields TEXT NOT NULL DEFAULT '[]',
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX report_corrections_month ON report_corrections (team_id, month);
        """
    )


@migrations()
def m006_casework(db):
    """Issue 10: a case manager's work beyond visits (`casework.md` in the shared docs): the
    client's consents (whom the client lets the workers share with, signed on a day), the
    contacts of CM outreach (counted as delivered time), and the client's own appointments
    (psychiatry, Kronofogden, SIP meetings: reminded like visits). A note given with one of
    their mutations is a note record that names it (`notes.appointment_id`, …). Days
    (`signed_on`) are `YYYY-MM-DD` text; the appointment's `with` is `with_party` here (`with`
    is an SQL keyword)."""
    db.executescript(
        """
        CREATE TABLE consents (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            worker_id TEXT NOT NULL REFERENCES workers (id),
            party TEXT NOT NULL,
            signed_on TEXT NOT NULL,
            valid_until TEXT,
            withdrawn_on TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX consents_client ON consents (client_id);
        CREATE TABLE contacts (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            worker_id TEXT NOT NULL REFERENCES workers (id),
            started_at TEXT NOT NULL,
            minutes INTEGER NOT NULL,
            channel TEXT NOT NULL,
            place_type TEXT,
            party TEXT,
            actions TEXT NOT NULL DEFAULT '[]',
            consent_id TEXT REFERENCES consents (id),
            consent_warning INTEGER NOT NULL DEFAULT 0,
            consent_stale INTEGER NOT NULL DEFAULT 0,
            late INTEGER NOT NULL DEFAULT 0,
            offsets TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE INDEX contacts_client ON contacts (client_id, started_at);
        CREATE TABLE appointments (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            worker_id TEXT NOT NULL REFERENCES workers (id),
            status TEXT NOT NULL
                CHECK (status IN ('planned', 'attended', 'missed', 'cancelled')),
            starts_at TEXT NOT NULL,
            ends_at TEXT,
            kind TEXT NOT NULL,
            with_party TEXT NOT NULL,
            place TEXT,
            accompany INTEGER NOT NULL,
            participants TEXT,
            consent_warning INTEGER NOT NULL DEFAULT 0,
            consent_stale INTEGER NOT NULL DEFAULT 0,
            offsets TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE INDEX appointments_client ON appointments (client_id, starts_at);
        CREATE INDEX appointments_planned ON appointments (status, starts_at);
        ALTER TABLE notes ADD COLUMN appointment_id TEXT REFERENCES appointments (id);
        ALTER TABLE notes ADD COLUMN contact_id TEXT REFERENCES contacts (id);
        ALTER TABLE notes ADD COLUMN consent_id TEXT REFERENCES consents (id);
        """
    )


@migrations()
def m007_token_sessions(db):
    """Issue 11: a login's session has an absolute lifetime (`TOKEN_MAX_DAYS`), counted from
    `session_started_at` (for devices logged in before this migration: their last use), and
    a device's token can be rotated: `next_token_hash` holds the new token's hash until the
    device first uses it."""
    db.executescript(
        """
        ALTER TABLE devices ADD COLUMN session_started_at TEXT;
        UPDATE devices SET session_started_at = last_seen_at;
        ALTER TABLE devices ADD COLUMN next_token_hash TEXT;
        CREATE UNIQUE INDEX devices_next_token ON devices (next_token_hash);
        """
    )


@migrations()
def m008_cover_grants(db):
    """Issue 11: cover for an absent colleague (`server/security/cover.py`): worker B works
    with worker A's clients from `starts_at` to `ends_at` (the end of the day `until` in the
    users' zone, or when ended early: `ended_at`). Kept, never deleted: access is judged at
    the time of the work."""
    db.executescript(
        """
        CREATE TABLE cover_grants (
            id TEXT PRIMARY KEY,
            absent_worker_id TEXT NOT NULL REFERENCES workers (id),
            covering_worker_id TEXT NOT NULL REFERENCES workers (id),
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            until TEXT NOT NULL,
            granted_by TEXT REFERENCES workers (id),
            granted_at TEXT NOT NULL,
            ended_at TEXT,
            ended_by TEXT REFERENCES workers (id)
        );
        CREATE INDEX cover_grants_covering ON cover_grants (covering_worker_id, ends_at);
        CREATE INDEX cover_grants_absent ON cover_grants (absent_worker_id, ends_at);
        """
    )


@migrations()
def m009_device_storage(db):
    """Issue 11: what each phone last reported of its storage (records held, bytes used and
    available), for its data budget and the sync dashboard (`server/supervision/
    device_storage.py`)."""
    db.executescript(
        """
        CREATE TABLE device_storage (
            device_id TEXT PRIMARY KEY REFERENCES devices (id),
            records INTEGER NOT NULL,
            bytes_used INTEGER,
            bytes_quota INTEGER,
            reported_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m010_order_import(db):
    """Issue 12: the order import (`server/casework/order_import.py`). The districts the
    instance knows (an order names one; filled from the teams' districts), the orderer's
    reference of a client (`clients.ref`, matched by the import), and per order its district
    and a hash of the content last imported, so the same order imported again changes
    nothing. An order is matched by (orderer, order_ref); orders made before the import have
    no `order_ref`, and NULLs never collide in a unique index."""
    db.executescript(
        """
        CREATE TABLE districts (
            name TEXT PRIMARY KEY
        );
        INSERT INTO districts (name)
            SELECT DISTINCT trim(district) FROM teams WHERE trim(district) != '';
        ALTER TABLE clients ADD COLUMN ref TEXT;
        CREATE UNIQUE INDEX clients_ref ON clients (ref);
        ALTER TABLE orders ADD COLUMN district TEXT;
        ALTER TABLE orders ADD COLUMN content_hash TEXT;
        CREATE UNIQUE INDEX orders_orderer_ref ON orders (orderer, order_ref);
        """
    )


@migrations()
def m011_followups_journal_concerns_deviations(db):
    """Issue 12: follow-ups of an order's goals (`server/casework/followups.py`; a note given
    with one names it, `notes.followup_id`), the later versions of a corrected note (the
    journal: the note row keeps its first text, `note_versions` the corrections in the order
    they were saved, `saved_seq`), concerns (the client's scope) and deviations (their
    author's: `client_id` is optional, and set to NULL when retention deletes the client)."""
    db.executescript(
        """
        CREATE TABLE followups (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            order_id TEXT NOT NULL REFERENCES orders (id),
            goal_id TEXT NOT NULL,
            subgoal_id TEXT,
            result TEXT NOT NULL CHECK (result IN ('reached', 'partly', 'not_reached')),
            measure TEXT,
            worker_id TEXT NOT NULL REFERENCES workers (id),
            recorded_at TEXT NOT NULL,
            offsets TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE INDEX followups_client ON followups (client_id, recorded_at);
        ALTER TABLE notes ADD COLUMN followup_id TEXT REFERENCES followups (id);
        CREATE TABLE note_versions (
            id TEXT PRIMARY KEY,
            note_id TEXT NOT NULL REFERENCES notes (id),
            client_id TEXT NOT NULL REFERENCES clients (id),
            author_id TEXT NOT NULL REFERENCES workers (id),
            text TEXT NOT NULL,
            written_at TEXT NOT NULL,
            offsets TEXT NOT NULL DEFAULT '{}',
            saved_seq INTEGER NOT NULL
        );
        CREATE INDEX note_versions_note ON note_versions (note_id, saved_seq);
        CREATE INDEX note_versions_author ON note_versions (author_id, written_at);
        CREATE TABLE concerns (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            category TEXT NOT NULL,
            text TEXT NOT NULL,
            worker_id TEXT NOT NULL REFERENCES workers (id),
            recorded_at TEXT NOT NULL,
            offsets TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE INDEX concerns_client ON concerns (client_id, recorded_at);
        CREATE TABLE deviations (
            id TEXT PRIMARY KEY,
            client_id TEXT REFERENCES clients (id),
            category TEXT NOT NULL,
            occurred_on TEXT NOT NULL,
            text TEXT NOT NULL,
            author_id TEXT NOT NULL REFERENCES workers (id),
            recorded_at TEXT NOT NULL,
            offsets TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE INDEX deviations_author ON deviations (author_id, recorded_at);
        CREATE INDEX deviations_client ON deviations (client_id);
        """
    )


@migrations()
def m012_plan_dialogue_district_phones(db):
    """Issue 12: the plan's dialogue with the orderer (`server/casework/plan_dialogue.py`):
    the notice sent, the orderer's reply and notes about it, in the client's scope, with the
    plan's order and a digest of the plan's activities as they stood (`plan_state`, so the
    workload dashboard can tell whether the plan changed since the last notice); and the
    number of each district's social services to which a report of concern about children
    goes at once (`districts.concern_phone`, none until the operator gives it)."""
    db.executescript(
        """
        CREATE TABLE plan_dialogue (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES clients (id),
            plan_id TEXT NOT NULL REFERENCES plans (id),
            order_id TEXT REFERENCES orders (id),
            kind TEXT NOT NULL CHECK (kind IN ('notice', 'reply', 'note')),
            text TEXT NOT NULL,
            points TEXT,
            outcome TEXT CHECK (outcome IS NULL OR (kind = 'reply'
                                AND outcome IN ('accepted', 'order_changes', 'plan_changes'))),
            author_id TEXT NOT NULL REFERENCES workers (id),
            written_at TEXT NOT NULL,
            offsets TEXT NOT NULL DEFAULT '{}',
            plan_state TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX plan_dialogue_plan ON plan_dialogue (plan_id, written_at);
        CREATE INDEX plan_dialogue_client ON plan_dialogue (client_id);
        ALTER TABLE districts ADD COLUMN concern_phone TEXT;
        """
    )


@migrations()
def m013_note_volume_index(db):
    """Issue 13, ingest: the note quota (`casework.notes.check_note_volume`, run for every
    note a phone sends) sums the author's note text of the last 30 days, which without an
    index read every note of the instance, once per note: a push of 500 notes on a city's
    journal read its whole notes table 500 times. Indexed by author and time, with the
    text's length in the index, so the sum reads the author's own index entries alone."""
    db.executescript(
        """
        CREATE INDEX notes_author_written ON notes (author_id, written_at, length(text));
        CREATE INDEX note_versions_author_written
            ON note_versions (author_id, written_at, length(text));
        """
    )
