"""The order import, its pure half: an orderer's orders checked, nothing written
(the shared `casework.md`, "Order import"; the CSV columns: `docs/order-import.md`).

`server/casework/order_files.py` turns a file into raw orders in the JSON shape; `check`
turns one raw order into an `ImportedOrder` or rejects it with one of `REASONS`
(`Rejected`). What needs the database (the district, the worker, the team, the caseload
cap) is checked where the order is written, `server/casework/order_landing.py`.

Messages name fields, refs, dates and usernames, never a client's name: the report may be
mailed around.

The ids of an order's goals, subgoals and activities are derived from the order and the
item's `ref` (`item_id`), so a re-import keeps them, and with them what plans and follow-ups
say about them. A ref is therefore unique within its order (goals, subgoals and activities
together), or two items would share an id.
"""

import hashlib
import json
import math
import re
import uuid
from dataclasses import dataclass
from datetime import date

import contract
from server.casework.order_files import Unparsed
from server.casework.orders import LIFE_AREAS
from sync.times import MAX_YEAR, MIN_YEAR

REASONS = ("missing_field", "bad_value", "bad_date", "unknown_district", "unknown_worker",
           "over_caseload_cap", "duplicate_in_file")
SERVICES = contract.enum("service")
# The namespace of the derived item ids. Never change it: every imported goal, subgoal and
# activity would get a new id, and plans and follow-ups would lose what they name.
ITEMS_NAMESPACE = uuid.UUID("6f0d3c9a-4b1e-5c2a-9f8e-1d7a2b3c4e5f")

# Bounds an orderer's real export stays far within; past them a file is wrong, and a phone
# should not be made to hold it.
MAX_REF = 50  # a goal's, subgoal's or activity's ref
MAX_ORDER_REF = 100
MAX_NAME = 200  # orderer, client name, activity name, worker, team
MAX_TEXT = 2000  # a goal's or subgoal's text
MAX_GOALS = 50
MAX_SUBGOALS = 50  # per goal
MAX_ACTIVITIES = 100  # a plan holds at most 100 activities
MAX_HOURS = 744  # hours in the longest month: more cannot be granted

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Rejected(Exception):
    """One order refused, with its reason (one of REASONS) and a message without names."""

    def __init__(self, reason: str, message: str):
        assert reason in REASONS, reason
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class ImportedOrder:
    """An order that passed every check that needs no database, normalised: the same order
    read from JSON or from CSV is equal, and so is its `content_hash`."""

    order_ref: str
    orderer: str
    district: str
    service: str
    client_ref: str
    client_name: str
    worker: str | None
    team: str | None
    period_start: str
    period_end: str | None
    hours_per_month: float | int | None
    goals: tuple  # of {ref, life_area, text, subgoals: [{ref, text}]}
    activities: tuple  # of {ref, name}

    def canonical(self) -> dict:
        """The order object in the file's shape (absent optional values as null)."""
        return {"order_ref": self.order_ref, "orderer": self.orderer, "district": self.district,
                "service": self.service,
                "client": {"ref": self.client_ref, "name": self.client_name},
                "worker": self.worker, "team": self.team,
                "period": {"start": self.period_start, "end": self.period_end},
                "hours_per_month": self.hours_per_month, "goals": list(self.goals),
                "activities": list(self.activities)}

    @property
    def content_hash(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def item_id(self, ref: str) -> str:
        return item_id(self.orderer, self.order_ref, ref)

    def stored_goals(self) -> list[dict]:
        """The goals as the order record keeps them: each goal and subgoal with its id."""
        return [{"id": self.item_id(goal["ref"]), "ref": goal["ref"],
                 "life_area": goal["life_area"], "text": goal["text"],
                 "subgoals": [{"id": self.item_id(sub["ref"]), "ref": sub["ref"],
                               "text": sub["text"]} for sub in goal["subgoals"]]}
                for goal in self.goals]

    def stored_activities(self) -> list[dict]:
        return [{"id": self.item_id(activity["ref"]), "ref": activity["ref"],
                 "name": activity["name"]} for activity in self.activities]


def item_id(orderer: str, order_ref: str, ref: str) -> str:
    """The id of an order's goal, subgoal or activity: the same for the same order and ref."""
    name = json.dumps([orderer, order_ref, ref], ensure_ascii=False)
    return str(uuid.uuid5(ITEMS_NAMESPACE, name))


def order_key(raw) -> tuple[str, str] | None:
    """(orderer, order_ref) of a raw order, for `duplicate_in_file`; None when unreadable."""
    if not isinstance(raw, dict):
        return None
    orderer, order_ref = raw.get("orderer"), raw.get("order_ref")
    if isinstance(orderer, str) and isinstance(order_ref, str) and orderer.strip() and order_ref.strip():
        return orderer.strip(), order_ref.strip()
    return None


# --- checking one order ---------------------------------------------------------------------

def check(raw) -> ImportedOrder:
    """One raw order, checked and normalised; `Rejected` with the first problem found."""
    if isinstance(raw, Unparsed):
        raise Rejected("bad_value", raw.message)
    if not isinstance(raw, dict):
        raise Rejected("bad_value", "an order must be an object")
    order_ref = _text(raw, "order_ref", MAX_ORDER_REF)
    orderer = _text(raw, "orderer", MAX_NAME)
    district = _text(raw, "district", MAX_NAME)
    service = _text(raw, "service", MAX_NAME)
    if service not in SERVICES:
        raise Rejected("bad_value", f"service must be one of {', '.join(SERVICES)}")
    client = _object(raw, "client")
    period = _object(raw, "period")
    start = _day(period, "start", "period.start", required=True)
    end = _day(period, "end", "period.end", required=False)
    if end is not None and end < start:
        raise Rejected("bad_date", f"period.end {end} is before period.start {start}")
    worker = _text(raw, "worker", MAX_NAME, required=False)
    team = _text(raw, "team", MAX_NAME, required=False)
    if worker is None and team is None:
        raise Rejected("missing_field", "missing team (required when no worker is given)")
    goals = _goals(raw.get("goals"))
    activities = _activities(raw.get("activities"))
    _unique_refs(goals, activities)
    return ImportedOrder(
        order_ref=order_ref, orderer=orderer, district=district, service=service,
        client_ref=_text(client, "ref", MAX_ORDER_REF, "client.ref"),
        client_name=_text(client, "name", MAX_NAME, "client.name"),
        worker=worker, team=team, period_start=start.isoformat(),
        period_end=end.isoformat() if end else None,
        hours_per_month=_hours(raw.get("hours_per_month"), service), goals=tuple(goals),
        activities=tuple(activities))


def _text(container: dict, key: str, limit: int, path: str | None = None, *,
          required=True) -> str | None:
    """A trimmed text field; its value is never put in a message (it may be a name)."""
    path = path or key
    value = container.get(key)
    if isinstance(value, Unparsed):
        raise Rejected("bad_value", value.message)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise Rejected("missing_field", f"missing {path}")
        return None
    if not isinstance(value, str):
        raise Rejected("bad_value", f"{path} must be text")
    value = value.strip()
    if len(value) > limit:
        raise Rejected("bad_value", f"{path} is longer than {limit} characters")
    return value


def _object(raw: dict, key: str) -> dict:
    value = raw.get(key)
    if value is None:
        raise Rejected("missing_field", f"missing {key}")
    if not isinstance(value, dict):
        raise Rejected("bad_value", f"{key} must be an object")
    return value


def _day(container: dict, key: str, path: str, *, required: bool) -> date | None:
    value = container.get(key)
    if value is None or value == "":
        if required:
            raise Rejected("missing_field", f"missing {path}")
        return None
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            day = None
        if day is not None and MIN_YEAR <= day.year <= MAX_YEAR:
            return day
    shown = f" {value}" if isinstance(value, str) and len(value) <= 20 else ""
    raise Rejected("bad_date", f"{path}{shown} is not a date written YYYY-MM-DD")


def _hours(value, service: str):
    if isinstance(value, Unparsed):
        raise Rejected("bad_value", value.message)
    if service == "cm":
        if value is not None:
            raise Rejected("bad_value", "hours_per_month is granted for housing support only, "
                                        "not for cm")
        return None
    if value is None:
        raise Rejected("missing_field", "missing hours_per_month (required for housing_support)")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Rejected("bad_value", "hours_per_month must be a number")
    if not 0 < value <= MAX_HOURS:
        raise Rejected("bad_value", f"hours_per_month must be above 0 and at most {MAX_HOURS}")
    return int(value) if float(value).is_integer() else value


def _list(value, path: str, limit: int) -> list:
    if isinstance(value, Unparsed):
        raise Rejected("bad_value", value.message)
    if value is None:
        raise Rejected("missing_field", f"missing {path}")
    if not isinstance(value, list):
        raise Rejected("bad_value", f"{path} must be a list")
    if len(value) > limit:
        raise Rejected("bad_value", f"{path} has more than {limit} items")
    for n, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise Rejected("bad_value", f"{path}[{n}] must be an object")
    return value


def _goals(value) -> list[dict]:
    goals = []
    for n, goal in enumerate(_list(value, "goals", MAX_GOALS), start=1):
        path = f"goals[{n}]"
        life_area = _text(goal, "life_area", MAX_NAME, f"{path}.life_area")
        if life_area not in LIFE_AREAS:
            raise Rejected("bad_value", f"{path}.life_area must be one of {', '.join(LIFE_AREAS)}")
        subgoals = goal.get("subgoals")
        subgoals = [] if subgoals is None else _list(subgoals, f"{path}.subgoals", MAX_SUBGOALS)
        goals.append({
            "ref": _text(goal, "ref", MAX_REF, f"{path}.ref"), "life_area": life_area,
            "text": _text(goal, "text", MAX_TEXT, f"{path}.text"),
            "subgoals": [{"ref": _text(sub, "ref", MAX_REF, f"{path}.subgoals[{m}].ref"),
                          "text": _text(sub, "text", MAX_TEXT, f"{path}.subgoals[{m}].text")}
                         for m, sub in enumerate(subgoals, start=1)]})
    return goals


def _activities(value) -> list[dict]:
    activities = [{"ref": _text(item, "ref", MAX_REF, f"activities[{n}].ref"),
                   "name": _text(item, "name", MAX_NAME, f"activities[{n}].name")}
                  for n, item in enumerate(_list(value, "activities", MAX_ACTIVITIES), start=1)]
    if not activities:
        raise Rejected("bad_value", "an order lists at least one activity")
    return activities


def _unique_refs(goals: list[dict], activities: list[dict]) -> None:
    refs = [goal["ref"] for goal in goals]
    refs += [sub["ref"] for goal in goals for sub in goal["subgoals"]]
    refs += [activity["ref"] for activity in activities]
    seen = set()
    for ref in refs:
        if ref in seen:
            raise Rejected("bad_value", f"the ref {ref} is used twice in the order "
                                        "(goals, subgoals and activities share their refs)")
        seen.add(ref)
