"""Writers to one SQLite file queue on a lock shared by every process, also under gevent."""
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from drafting.sqlite_writers import WriterLock

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    if sys.argv[2] == "gevent":
        from gevent import monkey
        monkey.patch_all()
    from drafting.sqlite_writers import WriterLock
    lock = WriterLock(sys.argv[1])
    print("gave up" if not lock.acquire(timeout=0.3) else "took it too early", flush=True)
    sys.stdin.readline()  # the parent let go, took the lock back from us and let go again
    print("took it" if lock.acquire(timeout=10) else "never took it", flush=True)
    lock.release()
""")


@pytest.mark.parametrize("server", ["threads", "gevent"])
def test_another_process_waits_while_one_writes_gives_up_cleanly_and_then_goes_ahead(tmp_path, server):
    database = str(tmp_path / "meeting.sqlite3")
    mine = WriterLock(database)
    assert mine.acquire(timeout=1)
    child = subprocess.Popen([sys.executable, "-c", CHILD, database, server], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert child.stdout.readline().strip() == "gave up"
        mine.release()
        # The child stopped waiting: it must not keep the lock. Under gevent its native thread is
        # still blocked on it and takes it now that it is free; it must hand it straight back.
        time.sleep(0.5)
        again = WriterLock(database)
        assert again.acquire(timeout=5)
        again.release()
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "took it"
    finally:
        child.stdin.close()
        child.wait(10)
    assert child.returncode == 0


def test_an_in_memory_database_needs_no_file_lock():
    lock = WriterLock(None)
    assert lock.acquire(timeout=1)
    assert not lock.acquire(timeout=0.05)  # one writer at a time within the process
    lock.release()
    assert lock.acquire(timeout=1)
    lock.release()
