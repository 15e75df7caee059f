"""The sync engine of this server: every mutator, every record loader, the access rules and
the callbacks that follow records, put together. The one place that knows them all.

Records others follow (`casework.hooks.FollowedMutator`: visits, appointments, contacts,
personal reminders) get the engine's `after_apply` callbacks here, run in the mutation's
transaction: their reminders are recomputed, and a visit or contact about a locked month is
marked late. Mutators that check consents get the instance's consent rule (its zone and
`CONSENT_STALE_MONTHS`).

`contract/mutations.json` lists the same mutations: `tests/contract/test_catalogue.py` fails
when a mutator here and its entry there differ.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import contract
from server.casework import (
    appointments,
    clients,
    concerns,
    consents,
    contacts,
    deviations,
    followups,
    notes,
    orders,
    personal_reminders,
    plan_dialogue,
    plans,
    visits,
)
from server.casework.consents import ConsentRule
from server.casework.hooks import FollowedMutator
from server.reminders.store import ReminderConfig
from server.reminders.store import after_apply as refresh_reminders
from server.security.access import Access
from server.supervision.months import after_apply as mark_late
from sync.engine import Engine
from sync.mutators import Registry

MUTATORS = (*visits.MUTATORS, *notes.MUTATORS, clients.ClientUpdate, plans.PlanUpdate,
            *plan_dialogue.MUTATORS, *personal_reminders.MUTATORS, *contacts.MUTATORS,
            *appointments.MUTATORS, *consents.MUTATORS, *followups.MUTATORS, *concerns.MUTATORS,
            *deviations.MUTATORS)

LOADERS = {
    "client": clients.load_clients,
    "order": orders.load_orders,
    "plan": plans.load_plans,
    "plan_dialogue": plan_dialogue.load_plan_dialogue,
    "visit": visits.load_visits,
    "note": notes.load_notes,
    "reminder": personal_reminders.load_personal_reminders,
    "appointment": appointments.load_appointments,
    "contact": contacts.load_contacts,
    "consent": consents.load_consents,
    "followup": followups.load_followups,
    "concern": concerns.load_concerns,
    "deviation": deviations.load_deviations,
}


def build_mutators(callbacks=(), consent_rule: ConsentRule | None = None) -> list:
    mutators = []
    for mutator_class in MUTATORS:
        mutator = mutator_class()
        if isinstance(mutator, FollowedMutator):
            mutator.after_apply = tuple(callbacks)
        if consent_rule is not None and hasattr(mutator, "consent_rule"):
            mutator.consent_rule = consent_rule
        mutators.append(mutator)
    return mutators


def build_engine(settings: dict, clock, cursor_secret: bytes,
                 reminders: ReminderConfig | None = None) -> Engine:
    reminders = reminders or ReminderConfig.from_settings(settings)
    zone = ZoneInfo(settings["TIMEZONE"])
    return Engine(
        registry=Registry(build_mutators([refresh_reminders(reminders), mark_late(zone)],
                                         ConsentRule.from_settings(settings))),
        loaders=dict(LOADERS),
        access=Access(),
        clock=clock,
        cursor_secret=cursor_secret,
        history_days=settings["HISTORY_DAYS"],
        write_grace=timedelta(days=settings["WRITE_GRACE_DAYS"]),
        timezone=zone,
        min_app_version=contract.catalogue()["min_app_version"],
    )
