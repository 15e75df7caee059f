"""The roles, and what each may do beyond its own work: the one table of role rules.

A field worker (case manager, boendestödjare) works with the clients assigned to them; which
records that means at a given time is `access.py`, and whose clients, teams and devices a
permission reaches is the one decision in `rules.py`. A supervisor sees the team's clients and
acts for the team. An admin manages logins and sees no client data. Code that needs a role
decision asks `may(user, PERMISSION)` or `require(...)`, never compares role names itself.
"""

import contract
from sync.errors import Problem

CM, SUPPORT_WORKER, SUPERVISOR, ADMIN = "cm", "support_worker", "supervisor", "admin"
ROLES = (CM, SUPPORT_WORKER, SUPERVISOR, ADMIN)
# Roles with a caseload of their own.
FIELD_ROLES = (CM, SUPPORT_WORKER)
# The service each field role carries out (glossary: service); the phone reads the same
# pairing from the contract to show whom a client may be given to.
ROLE_SERVICE = dict(contract.catalogue()["role_services"])

# Permissions beyond a worker's own caseload. A permission in TEAM_PERMISSIONS acts on the
# user's team, so it needs one.
LOCK_MONTH = "lock_month"  # approve (close) a month for the team (supervision/months.py)
SEE_TEAM_PUSH = "see_team_push"  # which of the team's workers no push reaches
READ_TEAM = "read_team"  # the team's clients and the team's parked items
APPLY_PARKED_FOR_OTHERS = "apply_parked_for_others"  # apply a change parked as forbidden
SEE_DASHBOARDS = "see_dashboards"  # the sync and workload dashboards, the monthly report
MANAGE_CASELOADS = "manage_caseloads"  # assign, hand over and end a client's assignment
MANAGE_DEVICES = "manage_devices"  # revoke and retire devices (supervision/devices.py)
MANAGE_ANY_DEVICE = "manage_any_device"  # devices of every team, not only of the teams led
READ_ACCESS_LOG = "read_access_log"  # who has read a client's records (security/access_log.py)
GRANT_COVER = "grant_cover"  # a colleague covers an absent worker's clients (security/cover.py)

PERMISSIONS = {
    CM: frozenset(),
    SUPPORT_WORKER: frozenset(),
    SUPERVISOR: frozenset({LOCK_MONTH, SEE_TEAM_PUSH, READ_TEAM, APPLY_PARKED_FOR_OTHERS,
                           SEE_DASHBOARDS, MANAGE_CASELOADS, MANAGE_DEVICES, READ_ACCESS_LOG,
                           GRANT_COVER}),
    # An admin manages users and devices but reads no client data.
    ADMIN: frozenset({APPLY_PARKED_FOR_OTHERS, MANAGE_DEVICES, MANAGE_ANY_DEVICE}),
}
TEAM_PERMISSIONS = frozenset({LOCK_MONTH, SEE_TEAM_PUSH, READ_TEAM, SEE_DASHBOARDS,
                              MANAGE_CASELOADS, READ_ACCESS_LOG, GRANT_COVER})

# What the caller is told when a permission is missing (the phone shows its own Swedish text
# for the reason `forbidden`).
REFUSALS = {
    LOCK_MONTH: "Only a team's supervisor can lock a month.",
    SEE_TEAM_PUSH: "Only a supervisor sees this.",
    READ_TEAM: "Only a team's supervisor sees the team.",
    APPLY_PARKED_FOR_OTHERS: "Only a supervisor can apply a mutation parked as forbidden.",
    SEE_DASHBOARDS: "Only a team's supervisor sees its dashboards and reports.",
    MANAGE_CASELOADS: "Only a team's supervisor changes its caseloads.",
    MANAGE_DEVICES: "Only the supervisor of the worker's team, or an admin, manages a device.",
    MANAGE_ANY_DEVICE: "Only an admin manages the devices of every team.",
    READ_ACCESS_LOG: "Only a team's supervisor reads who has read its clients' records.",
    GRANT_COVER: "Only a team's supervisor grants cover for an absent worker.",
}


def may(user: dict, permission: str) -> bool:
    if permission not in PERMISSIONS.get(user.get("role"), frozenset()):
        return False
    return permission not in TEAM_PERMISSIONS or bool(user.get("team_id"))


def require(user: dict, permission: str) -> None:
    """Refuse (403 `forbidden`) unless the user may."""
    if not may(user, permission):
        raise Problem(403, "forbidden", REFUSALS[permission])


def has_caseload(user: dict) -> bool:
    return user.get("role") in FIELD_ROLES
