"""What a phone may send: every mutator, and the sync engine built around them."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sync.engine import Engine
from sync.mutators import Registry

from . import clients, notes, orders, plans, visits
from .access import Access

MUTATORS = (*visits.MUTATORS, notes.NoteAdd, clients.ClientUpdate, plans.PlanUpdate)

LOADERS = {
    "client": clients.load_clients,
    "order": orders.load_orders,
    "plan": plans.load_plans,
    "visit": visits.load_visits,
    "note": notes.load_notes,
}


def build_engine(settings: dict, clock, cursor_secret: bytes) -> Engine:
    return Engine(
        registry=Registry(mutator() for mutator in MUTATORS),
        loaders=dict(LOADERS),
        access=Access(),
        clock=clock,
        cursor_secret=cursor_secret,
        history_days=settings["HISTORY_DAYS"],
        write_grace=timedelta(days=settings["WRITE_GRACE_DAYS"]),
        timezone=ZoneInfo(settings["TIMEZONE"]),
    )
