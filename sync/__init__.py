"""The sync engine: the server side of `docs/sync-protocol.md` (in the shared docs).

It imports neither Flask nor `server`: the server hands it the mutators (what each mutation
does to the domain tables), the record loaders (how each record type is serialized for a
pull), and the access rules (which scope keys a user may read now, and may write at a given
time). Everything here works on a `sqlite_utils.Database` and a clock.

Modules, in the order a request meets them:
    protocol   the envelope, error codes, the canonical mutation hash
    mutators   what a mutator is, and the per-mutation error type
    store      the engine's tables: the record index (versions, scope, server seq), the log
    push       POST /api/sync/push as the numbered steps of the spec
    conflicts  the field-level conflict rule
    parked     parked mutations and `parked.resolve`
    cursor     the opaque, signed pull cursor
    pull       GET /api/sync/pull as the numbered steps of the spec
    digest     GET /api/sync/digest
"""
