"""The disk fills up in the middle of a push: the data directory is a small tmpfs of its own
(a real filesystem that runs out of space: SQLite gets ENOSPC from the kernel, no mock), and a
ballast file takes all but a little of it, so a batch starts applying and then cannot write.

The server must say so clearly (503 `storage_full` with Retry-After: the phone retries, as for
a busy database), keep everything it acknowledged, park nothing for it, and take the same
batch once space returns. Mounting needs root (or CAP_SYS_ADMIN); elsewhere the test skips.
"""

import errno
import os
import subprocess
from datetime import timedelta

import pytest

from server.db import migrate
from tests.chaos.conftest import a_device
from tests.chaos.device import Unreachable, some_work
from tests.chaos.invariants import answered, assert_device_equals_server, assert_exactly_once

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("chaos")]

DISK_MB = 32
# What the ballast leaves free: room for a few mutations' pages in the write-ahead log.
LEFT_FREE = 600 * 1024


@pytest.fixture
def disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m,mode=0700", "tmpfs",
                              str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


@pytest.fixture
def data_dir(disk):
    path = disk / "data"
    migrate(path)
    return path


def fill(disk, leave: int):
    """A ballast file as large as the free space allows, then shrunk to leave `leave` bytes."""
    ballast = disk / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 12):
            block = b"\0" * size
            while True:
                try:
                    os.write(fd, block)
                except OSError as err:
                    assert err.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    os.truncate(ballast, max(0, ballast.stat().st_size - leave))
    return ballast


def test_a_full_disk_mid_push_is_a_clear_503_loses_nothing_and_heals_when_space_returns(
        world, server, data_dir, disk):
    phone = a_device(server.url, world)
    start = phone.now() - timedelta(days=1)
    work = some_work(phone, world["client"], 30, start, timedelta(minutes=2))
    phone.sync()  # acknowledged, and pulled, before the disk fills
    acknowledged = {m["id"] for m in work}
    held = dict(phone.records)

    ballast = fill(disk, LEFT_FREE)
    work += some_work(phone, world["client"], 300, start + timedelta(hours=2), timedelta(minutes=1))
    batch = [m["id"] for m in phone.outbox]
    with pytest.raises(Unreachable) as full:
        phone.push(500)
    assert full.value.status == 503, full.value.body
    assert full.value.body.get("reason") == "storage_full", full.value.body
    assert int(full.value.headers["Retry-After"]) > 0
    assert 0 < answered(data_dir, batch) < len(batch), "the disk should fill in the middle of the batch"
    assert len(phone.outbox) == len(batch), "a failed push leaves the outbox as it was"

    # Still full: a pull is a clear 503 too (who read a client's records cannot be logged, so
    # none are sent), the cursor held stays; a push is the same 503.
    cursor = phone.cursor
    with pytest.raises(Unreachable) as pull:
        phone.pull_page()
    assert pull.value.status == 503
    assert pull.value.body.get("reason") in ("storage_full", "access_log_unavailable"), pull.value.body
    assert phone.cursor == cursor and phone.records == held
    with pytest.raises(Unreachable) as still:
        phone.push(500)
    assert still.value.status == 503 and still.value.body["reason"] == "storage_full"

    ballast.unlink()  # space returns
    phone.sync()
    finals = assert_exactly_once(phone, data_dir)
    assert acknowledged <= set(finals) and len(finals) == len(work)
    assert_device_equals_server(phone)
