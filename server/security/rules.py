"""Who may do what to which thing: the access rules in one place, as one pure function.

`allowed(subject, action, target)` decides from facts alone; it reads no database and no
clock. The facts are gathered for the instant a question is about (`access.py`: the
subject's caseload and cover at the time of the work, the client's team and the teams of
the workers assigned then), so the same rule answers a pull now and a push about last
week. Every route and the sync scope ask it: the engine through `access.Access`, the
supervisor's routes through `teams.team_for` and `access.require_client`, device
management through `supervision/devices.py`.

What a role may do at all is `roles.py` (the one table of role permissions); this module
adds the relation: whose client, which team, whose device.

- a field worker (case manager, boendestödjare) reads and writes the clients assigned to
  them, and, under a cover grant in force (`cover.py`), the clients of the absent colleague
  they cover; their own parked items, their own deviation reports and their own private
  records (personal reminders);
- a supervisor reads and writes the clients of the teams they lead (registered to one, or
  assigned to one of its workers), the parked items and deviation reports of those teams'
  workers (a deviation is for the supervisor's queue, not for the client's other workers),
  the teams' dashboards, reports and caseloads, the access log of those teams' clients, and grants
  cover between the workers of those teams; their own private records;
- an admin manages devices (of every team) and reads no client data;
- nobody reads another person's private records, not even their supervisor.
"""

from collections.abc import Callable
from dataclasses import dataclass

from server.security import roles
from sync.errors import Problem

# Actions on a client.
READ_CLIENT = "read_client"
WRITE_CLIENT = "write_client"
READ_ACCESS_LOG = "read_access_log"  # who has read this client's records
# Actions on a worker's records.
READ_PARKED = "read_parked"  # a worker's parked items
RESOLVE_PARKED = "resolve_parked"
READ_DEVIATIONS = "read_deviations"  # a worker's deviation reports (avvikelser)
WRITE_DEVIATIONS = "write_deviations"  # one made, or a parked one applied on their behalf
READ_PRIVATE = "read_private"  # a worker's own private records (personal reminders)
WRITE_PRIVATE = "write_private"
MANAGE_DEVICE = "manage_device"  # a worker's device: revoke, retire
# Actions on a team: the role permissions that act on a whole team, by their names.
TEAM_ACTIONS = (roles.LOCK_MONTH, roles.SEE_TEAM_PUSH, roles.READ_TEAM, roles.SEE_DASHBOARDS,
                roles.MANAGE_CASELOADS)
# Granting one worker cover for another.
GRANT_COVER = "grant_cover"


@dataclass(frozen=True)
class Subject:
    """Who asks, with the facts about them at the instant the question is about."""

    id: str
    role: str
    team_id: str | None = None
    led_teams: frozenset[str] = frozenset()
    assigned: frozenset[str] = frozenset()  # clients assigned to them then
    covered: frozenset[str] = frozenset()  # clients of colleagues they covered then

    @classmethod
    def of(cls, user: dict, led_teams=(), assigned=(), covered=()) -> "Subject":
        return cls(id=user["id"], role=user["role"], team_id=user.get("team_id"),
                   led_teams=frozenset(led_teams), assigned=frozenset(assigned),
                   covered=frozenset(covered))

    def as_user(self) -> dict:
        return {"id": self.id, "role": self.role, "team_id": self.team_id}


@dataclass(frozen=True)
class Client:
    id: str
    team_id: str | None = None  # the team the client is registered to
    worker_teams: frozenset[str] = frozenset()  # teams of the workers assigned then


@dataclass(frozen=True)
class Worker:
    id: str
    team_id: str | None = None


@dataclass(frozen=True)
class Team:
    id: str | None


@dataclass(frozen=True)
class Cover:
    absent: Worker
    covering: Worker


def _may(subject: Subject, permission: str) -> bool:
    return roles.may(subject.as_user(), permission)


def _leads(subject: Subject, team_id: str | None) -> bool:
    return team_id is not None and team_id in subject.led_teams


def _of_a_led_team(subject: Subject, client: Client) -> bool:
    return _leads(subject, client.team_id) or bool(client.worker_teams & subject.led_teams)


def _client_work(subject: Subject, client: Client) -> bool:
    if roles.has_caseload(subject.as_user()):
        return client.id in subject.assigned or client.id in subject.covered
    return _may(subject, roles.READ_TEAM) and _of_a_led_team(subject, client)


def _access_log(subject: Subject, client: Client) -> bool:
    return _may(subject, roles.READ_ACCESS_LOG) and _of_a_led_team(subject, client)


def _parked(subject: Subject, author: Worker) -> bool:
    return author.id == subject.id or (_may(subject, roles.READ_TEAM)
                                       and _leads(subject, author.team_id))


def _private(subject: Subject, owner: Worker) -> bool:
    return owner.id == subject.id


def _device(subject: Subject, owner: Worker) -> bool:
    return _may(subject, roles.MANAGE_DEVICES) and (
        _may(subject, roles.MANAGE_ANY_DEVICE) or _leads(subject, owner.team_id))


def _team(permission: str) -> Callable[[Subject, Team], bool]:
    def rule(subject: Subject, team: Team) -> bool:
        return _may(subject, permission) and _leads(subject, team.id)
    return rule


def _cover(subject: Subject, cover: Cover) -> bool:
    return (_may(subject, roles.GRANT_COVER) and _leads(subject, cover.absent.team_id)
            and _leads(subject, cover.covering.team_id))


# Each action, the kind of thing it acts on, and its rule.
RULES: dict[str, tuple[type, Callable]] = {
    READ_CLIENT: (Client, _client_work),
    WRITE_CLIENT: (Client, _client_work),
    READ_ACCESS_LOG: (Client, _access_log),
    READ_PARKED: (Worker, _parked),
    RESOLVE_PARKED: (Worker, _parked),
    READ_DEVIATIONS: (Worker, _parked),
    WRITE_DEVIATIONS: (Worker, _parked),
    READ_PRIVATE: (Worker, _private),
    WRITE_PRIVATE: (Worker, _private),
    MANAGE_DEVICE: (Worker, _device),
    GRANT_COVER: (Cover, _cover),
    **{permission: (Team, _team(permission)) for permission in TEAM_ACTIONS},
}

# What the caller is told (the phone shows its own Swedish text for `forbidden`).
REFUSALS = {
    READ_CLIENT: "No access to this client.",
    WRITE_CLIENT: "No access to this client.",
    READ_ACCESS_LOG: "Only the supervisor of the client's team reads who has read the records.",
    READ_PARKED: "Only the author and the team's supervisor see a parked item.",
    RESOLVE_PARKED: "Only the author and the team's supervisor resolve a parked item.",
    READ_DEVIATIONS: "Only the author and the team's supervisor see a deviation.",
    WRITE_DEVIATIONS: "Only the author and the team's supervisor write a deviation.",
    READ_PRIVATE: "Private to its author.",
    WRITE_PRIVATE: "Private to its author.",
    MANAGE_DEVICE: roles.REFUSALS[roles.MANAGE_DEVICES],
    GRANT_COVER: "Only the supervisor of both workers' teams grants cover.",
    **{permission: "You do not lead this team." for permission in TEAM_ACTIONS},
}


def allowed(subject: Subject, action: str, target) -> bool:
    """Whether `subject` may do `action` to `target` (a Client, Worker, Team or Cover, as
    RULES names for the action). An unknown action, or a target of the wrong kind, is an
    error in the caller, never a yes."""
    kind, rule = RULES[action]
    if not isinstance(target, kind):
        raise TypeError(f"{action} acts on a {kind.__name__}, not {type(target).__name__}")
    return rule(subject, target)


def require(subject: Subject, action: str, target) -> None:
    """Refuse (403 `forbidden`) unless `allowed`."""
    if not allowed(subject, action, target):
        raise Problem(403, "forbidden", REFUSALS[action])
