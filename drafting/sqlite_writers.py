"""One SQLite writer at a time, across every process that serves the same database file.

SQLite allows one write transaction at a time. Left to itself, a writer that finds the database
locked waits in SQLite's busy handler, which sleeps inside C with growing pauses (up to 100 ms):
under gevent that stalls the whole worker, every other request included, and it makes a slow tail
under many concurrent writes. Writers instead queue here first: on a lock within the process, then
on an advisory file lock beside the database. Under gevent the wait for the file lock happens in one
of gevent's native threads, so the kernel hands the lock over the moment it is free while the worker
goes on serving; elsewhere (threads) it is polled with short sleeps. SQLite's own waiting remains
the fallback, for writers that do not come through here.

While it holds the lock a writer does not collect garbage: a collector pass then would keep every
other writer, in every process, waiting for it. The pass comes after the release instead.
"""
import fcntl
import gc
import os
import sys
import threading
import time

FIRST_PAUSE, LONGEST_PAUSE = 0.0001, 0.002


class WriterLock:
    def __init__(self, database_path):
        self._path = database_path + "-writer.lock" if database_path else None
        self._in_process = threading.Lock()
        self._file, self._pid = None, None
        self._collecting = False

    def _lock_file(self):
        # Opened per process: after a fork, a shared descriptor would be one lock for both.
        if self._file is None or self._pid != os.getpid():
            self._file, self._pid = open(self._path, "a+b"), os.getpid()  # noqa: SIM115 — kept open
        return self._file

    def acquire(self, timeout):
        """True once this is the only writer; False after `timeout` seconds."""
        if not self._take(timeout):
            return False
        self._collecting = gc.isenabled()
        gc.disable()
        return True

    def _take(self, timeout):
        deadline = time.monotonic() + timeout
        if not self._in_process.acquire(timeout=timeout):
            return False
        if self._path is None:
            return True
        try:
            lock_file = self._lock_file()
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            taken = (_wait_in_native_thread if _under_gevent() else _poll)(lock_file, deadline)
        except OSError:
            return True  # no file lock here (a read-only directory, say): SQLite still waits
        if not taken:
            self._in_process.release()
        return taken

    def release(self):
        if self._path is not None and self._file is not None and self._pid == os.getpid():
            try:
                fcntl.flock(self._file, fcntl.LOCK_UN)
            except OSError:
                pass
        collecting, self._collecting = self._collecting, False
        self._in_process.release()
        if collecting:
            gc.enable()


def _under_gevent():
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("threading")


def _poll(lock_file, deadline):
    pause = FIRST_PAUSE
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, LONGEST_PAUSE)
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            continue
    return False


def _wait_in_native_thread(lock_file, deadline):
    """Block in the kernel on one of gevent's native threads; only this greenlet waits for it."""
    import gevent
    from gevent.monkey import get_original

    guard = get_original("threading", "Lock")()  # shared with a native thread: not gevent's
    state = {"taken": False, "given_up": False}

    def wait():
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        with guard:
            if state["given_up"]:  # nobody waits for it any more: hand it straight back
                fcntl.flock(lock_file, fcntl.LOCK_UN)
            else:
                state["taken"] = True

    waiting = gevent.get_hub().threadpool.spawn(wait)
    try:
        waiting.get(timeout=max(0.0, deadline - time.monotonic()))
    except gevent.Timeout:
        pass
    with guard:
        state["given_up"] = not state["taken"]
        return state["taken"]
