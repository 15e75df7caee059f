"""Plan against order (domain.md: 46 % of implementation plans differed from the order with
no documented dialogue): what in a plan departs from the order it carries out. Pure: the
order and the plan as their records are pulled, nothing read or written.

The order lists goals (with subgoals) and activities, each with an `id`, and for housing
support the hours granted a month. A plan activity names the ordered activities it carries
out in `order_activity_ids` (casework.md: two merged activities name both; an activity the
plan adds names none; a plan written before the list had one `order_activity_id`) and has
`minutes_per_month`. A plan may word the subgoals its own way (`subgoals`: `[{id, text}]`,
an order's subgoal by its id, or a new id for one of the plan's own). Ended activities
(`active: false`) do not count: an ordered activity only an ended one names is dropped.

What departs:
- `dropped`: ordered activities no active plan activity names;
- `merged`: an active plan activity naming two or more ordered activities;
- `not_in_order`: active plan activities naming none of the order's activities;
- `subgoals_changed`: a subgoal the plan words differently, leaves out, or adds (only when
  the plan words subgoals at all);
- `hours_over`: the minutes a month the active plan activities need above the hours
  granted (housing support; a CM order grants no hours).
"""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Divergence:
    order_id: str
    plan_id: str
    dropped: list[dict] = field(default_factory=list)
    merged: list[dict] = field(default_factory=list)
    not_in_order: list[dict] = field(default_factory=list)
    subgoals_changed: list[dict] = field(default_factory=list)
    planned_minutes: int = 0
    granted_minutes: int | None = None

    @property
    def hours_over(self) -> bool:
        return self.granted_minutes is not None and self.planned_minutes > self.granted_minutes

    @property
    def any(self) -> bool:
        return bool(self.dropped or self.merged or self.not_in_order or self.subgoals_changed
                    or self.hours_over)

    def as_record(self) -> dict:
        return {**asdict(self), "hours_over": self.hours_over}


def ordered_ids(activity: dict) -> list[str]:
    """The ordered activities a plan activity carries out (the old single field included)."""
    if activity.get("order_activity_ids") is not None:
        return list(activity["order_activity_ids"])
    single = activity.get("order_activity_id")
    return [single] if single else []


def _order_subgoals(order: dict) -> dict[str, dict]:
    return {subgoal["id"]: {**subgoal, "goal_id": goal["id"]}
            for goal in order.get("goals", []) for subgoal in goal.get("subgoals", [])}


def _subgoals_changed(order: dict, plan: dict) -> list[dict]:
    if plan.get("subgoals") is None:
        return []
    ordered = _order_subgoals(order)
    worded = {subgoal["id"]: subgoal for subgoal in plan["subgoals"]}
    changes = []
    for subgoal_id, subgoal in ordered.items():
        own = worded.get(subgoal_id)
        if own is None:
            changes.append({"id": subgoal_id, "change": "left_out", "order_text": subgoal["text"]})
        elif own["text"].strip() != subgoal["text"].strip():
            changes.append({"id": subgoal_id, "change": "reworded", "order_text": subgoal["text"],
                            "plan_text": own["text"]})
    changes += [{"id": subgoal_id, "change": "added", "plan_text": own["text"]}
                for subgoal_id, own in worded.items() if subgoal_id not in ordered]
    return changes


def divergence(order: dict | None, plan: dict | None) -> Divergence | None:
    """How `plan` departs from `order`; None when there is no plan or no order to compare.
    A Divergence whose `any` is false: the plan keeps to the order."""
    if order is None or plan is None:
        return None
    ordered = {activity["id"]: activity for activity in order.get("activities", [])}
    active = [a for a in plan.get("activities", []) if a.get("active", True)]
    named = {activity_id for a in active for activity_id in ordered_ids(a) if activity_id in ordered}
    hours = order.get("hours_per_month")
    return Divergence(
        order_id=order["id"], plan_id=plan["id"],
        dropped=[{"id": a["id"], "name": a["name"]} for a in order.get("activities", [])
                 if a["id"] not in named],
        merged=[{"id": a["id"], "name": a["name"],
                 "order_activities": [{"id": i, "name": ordered[i]["name"]}
                                      for i in ordered_ids(a) if i in ordered]}
                for a in active if len([i for i in ordered_ids(a) if i in ordered]) >= 2],
        not_in_order=[{"id": a["id"], "name": a["name"]} for a in active
                      if not any(i in ordered for i in ordered_ids(a))],
        subgoals_changed=_subgoals_changed(order, plan),
        planned_minutes=sum(int(a.get("minutes_per_month") or 0) for a in active),
        granted_minutes=round(hours * 60) if hours is not None else None,
    )


# --- the notice to the orderer ------------------------------------------------------------

def _names(items) -> str:
    names = [item["name"] for item in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def _hours(minutes: int) -> str:
    hours = minutes / 60
    return f"{hours:g}".replace(".", ",")


def notice(order: dict, found: Divergence) -> dict:
    """The notice to the orderer that a plan departs from the order (Swedish, the orderer's
    language): the order it concerns by its reference (no name: the orderer knows whom its
    order is about), and one point per departure. Pure; `render_notice` prints it."""
    points = []
    if found.dropped:
        points.append(f"Beställda insatser som inte finns med i planen: {_names(found.dropped)}.")
    for merged in found.merged:
        points.append(f"{_names(merged['order_activities'])} görs tillsammans, som "
                      f"”{merged['name']}”.")
    if found.not_in_order:
        points.append(f"Insatser i planen som inte finns i beställningen: {_names(found.not_in_order)}.")
    for change in found.subgoals_changed:
        if change["change"] == "reworded":
            points.append(f"Delmålet ”{change['order_text']}” lyder i planen ”{change['plan_text']}”.")
        elif change["change"] == "left_out":
            points.append(f"Delmålet ”{change['order_text']}” finns inte med i planen.")
        else:
            points.append(f"Planen har ett eget delmål: ”{change['plan_text']}”.")
    if found.hours_over:
        points.append(f"Planens insatser behöver {_hours(found.planned_minutes)} timmar i månaden; "
                      f"beviljat är {_hours(found.granted_minutes)} timmar.")
    reference = " ".join(part for part in (order.get("order_ref"), order.get("orderer")) if part)
    return {"title": "Genomförandeplanen avviker från beställningen",
            "order": reference or order["id"], "points": points}
