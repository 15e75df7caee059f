"""GET /api/sync/pull, rule by rule (`docs/sync-protocol.md`, "Pull"), through the HTTP API on
a real SQLite file. A `Phone` (tests/sync/pulling.py) holds what it pulls the way the contract
says, so most tests end by comparing a phone's records with a fresh snapshot.

- test_changes.py: what a pull brings, with and without a cursor, page by page;
- test_scope.py: scope follows access from one pull to the next;
- test_sessions.py: a paged pull session and the cursor that carries it.
"""
