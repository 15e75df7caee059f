"""Teams and workers (medarbetare): who may log in, in what role, in which team.

Passwords are stored as argon2id hashes only (`server/security/passwords.py`).
"""

import uuid

from server.security.passwords import MIN_LENGTH, hash_password
from server.security.roles import ROLES, SUPERVISOR
from server.security.teams import lead_team
from sync.errors import Problem


class WorkerError(Problem):
    """A refused change of a login (422 `invalid_worker`)."""

    def __init__(self, message: str):
        super().__init__(422, "invalid_worker", message)


def create_team(db, *, name, district, team_id=None) -> str:
    team_id = team_id or str(uuid.uuid4())
    db.execute("INSERT INTO teams (id, name, district) VALUES (?, ?, ?)", [team_id, name, district])
    return team_id


def create_worker(db, *, username, name, role, team_id, now_text, password=None,
                  password_hash=None, worker_id=None) -> str:
    """Inside a write transaction. Give `password`, or an already computed `password_hash`."""
    if role not in ROLES:
        raise WorkerError(f"role must be one of {', '.join(ROLES)}")
    if not username or not username.strip():
        raise WorkerError("username must not be empty")
    if db.execute("SELECT 1 FROM workers WHERE username = ?", [username]).fetchone():
        raise WorkerError(f"username {username!r} is taken")
    if password_hash is None:
        if not password or len(password) < MIN_LENGTH:
            raise WorkerError(f"password must be at least {MIN_LENGTH} characters")
        password_hash = hash_password(password)
    worker_id = worker_id or str(uuid.uuid4())
    db.execute(
        "INSERT INTO workers (id, username, name, role, team_id, password_hash, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [worker_id, username, name, role, team_id, password_hash, now_text],
    )
    if role == SUPERVISOR and team_id:
        lead_team(db, worker_id, team_id)
    return worker_id


def list_workers(db) -> list[dict]:
    rows = db.execute(
        "SELECT w.id, w.username, w.name, w.role, w.team_id, t.name, w.active FROM workers w "
        "LEFT JOIN teams t ON t.id = w.team_id ORDER BY w.username"
    ).fetchall()
    return [{"id": r[0], "username": r[1], "name": r[2], "role": r[3], "team_id": r[4],
             "team": r[5], "active": bool(r[6])} for r in rows]
