"""The sync engine of this server: every mutator, every record loader, the access rules and
the callbacks that follow records, put together. The one place that knows them all.

Records others follow (`casework.hooks.FollowedMutator`: visits, personal reminders) get the
engine's `after_apply` callbacks here, run in the mutation's transaction: their reminders
are recomputed, and a visit about a locked month is marked late.

`contract/mutations.json` lists the same mutations: `tests/contract/test_catalogue.py` fails
when a mutator here and its entry there differ.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import contract
from server.casework import clients, notes, orders, personal_reminders, plans, visits
from server.casework.hooks import FollowedMutator
from server.reminders.store import ReminderConfig
from server.reminders.store import after_apply as refresh_reminders
from server.security.access import Access
from server.supervision.months import after_apply as mark_late
from sync.engine import Engine
from sync.mutators import Registry

MUTATORS = (*visits.MUTATORS, notes.NoteAdd, clients.ClientUpdate, plans.PlanUpdate,
            *personal_reminders.MUTATORS)

LOADERS = {
    "client": clients.load_clients,
    "order": orders.load_orders,
    "plan": plans.load_plans,
    "visit": visits.load_visits,
    "note": notes.load_notes,
    "reminder": personal_reminders.load_personal_reminders,
}


def build_mutators(callbacks=()) -> list:
    mutators = []
    for mutator_class in MUTATORS:
        mutator = mutator_class()
        if isinstance(mutator, FollowedMutator):
            mutator.after_apply = tuple(callbacks)
        mutators.append(mutator)
    return mutators


def build_engine(settings: dict, clock, cursor_secret: bytes,
                 reminders: ReminderConfig | None = None) -> Engine:
    reminders = reminders or ReminderConfig.from_settings(settings)
    zone = ZoneInfo(settings["TIMEZONE"])
    return Engine(
        registry=Registry(build_mutators([refresh_reminders(reminders), mark_late(zone)])),
        loaders=dict(LOADERS),
        access=Access(),
        clock=clock,
        cursor_secret=cursor_secret,
        history_days=settings["HISTORY_DAYS"],
        write_grace=timedelta(days=settings["WRITE_GRACE_DAYS"]),
        timezone=zone,
        min_app_version=contract.catalogue()["min_app_version"],
    )
