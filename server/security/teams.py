"""Which teams a supervisor leads. A team leader leads one team, a unit manager several;
a supervisor's own `team_id` is always one of them (`create_worker` records it). Everything a
supervisor sees (clients, parked items, dashboards, reports, devices) is of the teams they
lead, and a request names the team it is about (`team_id`; by default the supervisor's own).
"""

import json

from server.security import roles, rules


def lead_team(db, worker_id: str, team_id: str) -> None:
    """Inside a write transaction: the supervisor leads this team too (idempotent)."""
    db.execute("INSERT OR IGNORE INTO team_leads (team_id, worker_id) VALUES (?, ?)",
               [team_id, worker_id])


def led_team_ids(db, user: dict) -> list[str]:
    """The teams the user leads, their own first, then by name (none for other roles)."""
    if user.get("role") != roles.SUPERVISOR:
        return []
    rows = db.execute(
        "SELECT t.id FROM team_leads l JOIN teams t ON t.id = l.team_id WHERE l.worker_id = ? "
        "ORDER BY t.id != ?, t.name, t.id", [user["id"], user.get("team_id")]).fetchall()
    return [row[0] for row in rows]


def led_teams(db, user: dict) -> list[dict]:
    """{id, name, district} of each team the user leads, in `led_team_ids` order."""
    ids = led_team_ids(db, user)
    rows = {row[0]: row for row in db.execute(
        "SELECT id, name, district FROM teams WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)])}
    return [{"id": i, "name": rows[i][1], "district": rows[i][2]} for i in ids]


def team_for(db, user: dict, permission: str, team_id: str | None = None) -> str:
    """The team a supervisor's request is about: `team_id`, else their own. Refused (403
    `forbidden`) without the permission, or for a team the user does not lead
    (`rules.allowed`)."""
    roles.require(user, permission)
    wanted = team_id or user.get("team_id")
    subject = rules.Subject.of(user, led_team_ids(db, user))
    rules.require(subject, permission, rules.Team(wanted))
    return wanted
