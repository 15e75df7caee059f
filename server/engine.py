"""What a phone may send: every mutator, and the sync engine built around them.

Records others follow (`hooks.FollowedMutator`: visits, personal reminders) get the engine's
`after_apply` callbacks here: their reminders are recomputed in the mutation's transaction.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from server.casework import clients, notes, orders, personal_reminders, plans, visits
from server.casework.hooks import FollowedMutator
from server.reminders.store import ReminderConfig, after_apply
from server.security.access import Access
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
    return Engine(
        registry=Registry(build_mutators([after_apply(reminders)])),
        loaders=dict(LOADERS),
        access=Access(),
        clock=clock,
        cursor_secret=cursor_secret,
        history_days=settings["HISTORY_DAYS"],
        write_grace=timedelta(days=settings["WRITE_GRACE_DAYS"]),
        timezone=ZoneInfo(settings["TIMEZONE"]),
    )
