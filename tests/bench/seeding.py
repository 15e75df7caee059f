"""The demo a benchmark runs on, seeded at the real time (its servers run on the real clock)."""

from datetime import datetime
from pathlib import Path

from server.db import database_path, migrate
from server.demo.seed import seed_demo
from sync.store import connect, write_transaction


def seeded_demo(folder: Path, workers: int, seed: int = 1) -> Path:
    """`folder` made a data directory holding `seed-demo --workers N` (its database migrated)."""
    migrate(folder)
    db = connect(database_path(folder))
    try:
        with write_transaction(db):
            seed_demo(db, now=datetime.now().astimezone(), workers=workers, seed=seed)
    finally:
        db.conn.close()
    return folder
