"""Mutators whose records others follow (a visit's reminders follow the visit; a visit about
a locked month is marked late).

A `FollowedMutator` writes its record in `write`; after it, inside the same transaction, the
engine-wide `after_apply` callbacks run with `(db, record_type, record_id, ctx)`. They are set
per engine by `server.engine.build_engine` (nothing global), so a test can build an engine
with or without them, and casework never imports the packages that follow it (reminders,
supervision). A callback that raises makes the whole mutation fail and be parked, like any
other error inside `apply`: a visit is never saved without its reminders.
"""

from sync.mutators import Mutator


class FollowedMutator(Mutator):
    after_apply: tuple = ()

    def write(self, db, args: dict, ctx, changes: dict) -> list | None:
        """Write the record; return the Changes of other records written with it."""
        raise NotImplementedError

    def apply(self, db, args, ctx, changes):
        extra = self.write(db, args, ctx, changes)
        for callback in self.after_apply:
            callback(db, self.record_type, self.record_id(args), ctx)
        return extra
