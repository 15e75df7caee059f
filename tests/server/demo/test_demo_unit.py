"""A demo large enough for a unit (`seed-demo --workers 60` and more): `demo.unit`, a unit
manager, leads the first teams, about 60 field workers in all (the dashboards' scale)."""

from server.demo.seed import UNIT_WORKERS
from server.security.teams import led_team_ids
from tests.server.demo.test_demo import seeded


def test_a_demo_of_60_field_workers_has_a_unit_manager_leading_teams_of_60_workers(tmp_path):
    db, counts = seeded(tmp_path / "unit", workers=UNIT_WORKERS)
    try:
        row = db.execute("SELECT id, role, team_id FROM workers WHERE username = 'demo.unit'").fetchone()
        manager = {"id": row[0], "role": row[1], "team_id": row[2]}
        led = led_team_ids(db, manager)
        first_team = db.execute("SELECT team_id FROM workers WHERE username = 'demo.lead'").fetchone()[0]
        assert manager["role"] == "supervisor" and led[0] == first_team == manager["team_id"]
        workers = db.execute(
            "SELECT count(*) FROM workers WHERE role IN ('cm', 'support_worker') AND team_id IN "
            f"({', '.join('?' * len(led))})", led).fetchone()[0]
        assert workers == counts["unit_workers"] >= UNIT_WORKERS
        assert counts["unit_teams"] == len(led) == 8
        # Every team keeps its own team leader as well.
        assert counts["supervisors"] == counts["teams"] + 1
    finally:
        db.conn.close()


def test_a_smaller_demo_has_no_unit_manager(tmp_path):
    db, counts = seeded(tmp_path / "small", workers=UNIT_WORKERS - 1)
    try:
        assert db.execute("SELECT count(*) FROM workers WHERE username = 'demo.unit'").fetchone()[0] == 0
        assert "unit_teams" not in counts
    finally:
        db.conn.close()
