"""The sync engine: the server side of the sync protocol (`docs/sync-protocol.md`, as
implemented; the contract is the shared docs' page of the same name).

It imports neither Flask nor `server` (`tests/test_architecture.py`): the server hands it the
mutators (what each mutation does to the domain tables), the record loaders (how each record
type is serialized for a pull), and the access rules (which scope keys a user may read now,
and may write at a given time). Everything here works on a `sqlite_utils.Database` and a
clock.

Modules, in the order a request meets them:
    engine     what the server hands the engine, and its operations (push, pull, digest,
               `record` for changes made outside mutations)
    protocol   the envelope, error codes, the canonical mutation hash
    errors     `Problem`, the one error type of the project
    mutators   what a mutator is, and the per-mutation error type
    changes    `Change`: what a host reports it changed
    store      connection, transactions, server seq, epoch
    index      the record index (versions, scope, server seq per record): the engine writes it
    push       POST /api/sync/push as the numbered steps of docs/sync-protocol.md
    judge      the rules one mutation passes (push step 3.2)
    conflicts  the field-level conflict rule
    parked     parked mutations and `parked.resolve`
    cursor     the opaque, signed pull cursor
    pull       GET /api/sync/pull as the numbered steps of docs/sync-protocol.md
    digest     GET /api/sync/digest
    times      instants in storage and on the wire
    schema     the engine's own tables
"""
