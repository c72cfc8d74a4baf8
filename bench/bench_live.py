"""Live updates under load: one author and N−1 readers in one document, Drafting Room against a floor.

The load (issue 5): 10 edits/s open loop for 30 s, each about 30 bytes and stamped with its
scheduled send time (a stall shows up as latency, never as a lower rate), websocket transport
only, 5 s drain. Drafting Room takes its edits through the real path (HTTP API → service →
revision → event → commit → broadcast); the floor is a bare Flask-SocketIO broadcast server
(bench/live_floor.py). Both run under the production command (gunicorn, gevent worker).

The readers live in this one process: asyncio protocols speaking the engine.io/socket.io wire
protocol over a minimal websocket client, so that a thousand of them cost little CPU.

Environment: BENCH_LIVE_N="200,500,750,1000", BENCH_LIVE_SECONDS=30, BENCH_LIVE_RATE=10,
BENCH_LIVE_TARGETS="floor,drafting" (with drafting-postgresql when DRAFTING_BENCH_DATABASE_URL and
DRAFTING_BENCH_MESSAGE_QUEUE are set: PostgreSQL, events through Redis), BENCH_LIVE_RUNS=3 (each figure is the median of the runs, as
for the peer's figures in the issue). E.g. a quick run:
BENCH_LIVE_N=200 BENCH_LIVE_SECONDS=5 BENCH_LIVE_RUNS=1 python -m bench live
"""
import asyncio
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.http_client import Connection

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
DRAIN = 5.0
TARGETS = {200: 1.3, 500: 1.3, 750: 1.3}  # p99 within 1.3× of the floor
P99_AT_1000_MS = 250
IDLE_KB = 250


def _default_targets():
    """The floor and Drafting Room on SQLite; on PostgreSQL with Redis too when both are given."""
    both = os.environ.get("DRAFTING_BENCH_DATABASE_URL") and os.environ.get("DRAFTING_BENCH_MESSAGE_QUEUE")
    return "floor,drafting,drafting-postgresql" if both else "floor,drafting"


def settings():
    return {
        "sizes": [int(n) for n in os.environ.get("BENCH_LIVE_N", "200,500,750,1000").split(",") if n.strip()],
        "seconds": float(os.environ.get("BENCH_LIVE_SECONDS", "30")),
        "rate": float(os.environ.get("BENCH_LIVE_RATE", "10")),
        "targets": os.environ.get("BENCH_LIVE_TARGETS", _default_targets()).split(","),
        "runs": int(os.environ.get("BENCH_LIVE_RUNS", "3")),
    }


# --- a minimal socket.io client on asyncio --------------------------------------------------

def _frame(text):
    """A masked websocket text frame, as clients must send."""
    payload = text.encode()
    mask = os.urandom(4)
    n = len(payload)
    header = bytes([0x81, 0x80 | n]) if n < 126 else bytes([0x81, 0x80 | 126]) + n.to_bytes(2, "big")
    key = int.from_bytes((mask * (n // 4 + 1))[:n], "big")
    masked = (int.from_bytes(payload, "big") ^ key).to_bytes(n, "big") if n else b""
    return header + mask + masked


class SocketIOClient(asyncio.Protocol):
    """One websocket connection speaking engine.io 4 / socket.io 5; records event latencies."""

    def __init__(self, host, port, auth, latencies):
        self.request = (f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
                        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n").encode()
        self.auth = auth
        self.latencies = latencies
        self.buffer = bytearray()
        self.upgraded = False
        self.connected = asyncio.get_running_loop().create_future()
        self.acks = {}
        self.next_id = 0
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc):
        if not self.connected.done():
            self.connected.set_exception(ConnectionError(f"connection lost: {exc}"))

    def data_received(self, data):
        now = time.time()
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if b" 101 " not in self.buffer[:end].split(b"\r\n")[0]:
                self.connected.set_exception(ConnectionError(bytes(self.buffer[:end]).decode(errors="replace")))
                return
            del self.buffer[:end + 4]
            self.upgraded = True
        buffer = self.buffer
        while len(buffer) >= 2:
            n = buffer[1] & 0x7F
            start = 2
            if n == 126:
                if len(buffer) < 4:
                    return
                n, start = int.from_bytes(buffer[2:4], "big"), 4
            elif n == 127:
                if len(buffer) < 10:
                    return
                n, start = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < start + n:
                return
            opcode = buffer[0] & 0x0F
            payload = bytes(buffer[start:start + n])
            del buffer[:start + n]
            if opcode == 0x1:
                self.packet(payload, now)
            elif opcode == 0x9:
                self.transport.write(bytes([0x8A, 0x80]) + os.urandom(4))  # pong
            elif opcode == 0x8:
                self.transport.close()

    def packet(self, data, now):
        kind = data[:2]
        if kind == b"42":
            stamp = data.find(b"t=")
            if stamp >= 0:
                end = data.find(b";", stamp)
                self.latencies.append(now - float(data[stamp + 2:end]))
        elif data[:1] == b"2":
            self.transport.write(_frame("3"))  # engine.io pong
        elif kind == b"43":
            bracket = data.index(b"[")
            future = self.acks.pop(int(data[2:bracket]), None)
            if future and not future.done():
                future.set_result(json.loads(data[bracket:])[0])
        elif data[:1] == b"0":
            self.transport.write(_frame("40" + (json.dumps(self.auth) if self.auth else "")))
        elif kind == b"40":
            self.connected.set_result(True)
        elif kind == b"44":
            self.connected.set_exception(ConnectionError(data.decode()))

    def call(self, event, payload):
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.acks[self.next_id] = future
        self.transport.write(_frame(f"42{self.next_id}" + json.dumps([event, payload])))
        return future


async def open_client(host, port, auth, latencies, document_id):
    loop = asyncio.get_running_loop()
    _, client = await loop.create_connection(lambda: SocketIOClient(host, port, auth, latencies), host, port)
    await asyncio.wait_for(client.connected, 30)
    ack = await asyncio.wait_for(client.call("join", {"document_id": document_id, "after_seq": 10 ** 9}), 30)
    if not ack.get("ok"):
        raise RuntimeError(f"join refused: {ack}")
    return client


# --- servers --------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(module, env):
    port = free_port()
    process = subprocess.Popen(
        [GUNICORN, "-k", "gevent", "-w", "1", "--worker-connections", "4000", "--no-control-socket",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", module],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    time.sleep(1.0)  # the worker boots after the master listens
    return process, port


def worker_pid(master):
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                return int(entry.name)
    return master


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- Drafting Room's data: a meeting, a document, an author and N−1 observers with tokens -----

def prepare_drafting(database_url, readers):
    from werkzeug.security import generate_password_hash

    from drafting import create_app
    from drafting.boundary import commit
    from drafting.extensions import db
    from drafting.models import Membership, User
    from drafting.services import accounts, documents, meetings

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()  # PostgreSQL: the bench database of the last run
        db.create_all()
        password = generate_password_hash("bench-password")
        admin = User(email="admin@bench.example", name="Admin", password_hash=password, is_admin=True)
        author = User(email="author@bench.example", name="Author", password_hash=password)
        db.session.add_all([admin, author])
        db.session.commit()
        meeting = meetings.create_meeting(admin, "Bench meeting", venue="Geneva", starts_on="2016-07-21")
        db.session.add(Membership(meeting_id=meeting.id, user_id=author.id, role="expert"))
        commit()
        document = documents.create_document(admin, meeting, "Bench document")
        commit()
        clause_ids = []
        for n in range(10):
            clause = documents.add_clause(author, document, document.sections[-1].id, "OP", "recommendation",
                                          f"Recommends that cities do thing {n};")
            commit()
            clause_ids.append((clause.id, clause.head_revision_id))
        users = [User(email=f"reader{n}@bench.example", name=f"Reader {n}", password_hash=password)
                 for n in range(readers)]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all([Membership(meeting_id=meeting.id, user_id=u.id, role="observer") for u in users])
        tokens = [accounts.issue_token(u, "bench") for u in users]
        author_token = accounts.issue_token(author, "bench")
        db.session.commit()
        document_id = document.id
        db.engine.dispose()
    return document_id, author_token, tokens, clause_ids


# --- one run ------------------------------------------------------------------------------------

class HttpAuthor:
    """The author of Drafting Room: saves through the HTTP API, on keep-alive connections in this
    event loop (as light as the floor's socket author); ten clauses in turn, so that a slow answer
    never makes the next edit stale."""

    def __init__(self, port, token, clause_ids):
        self.port, self.token = port, token
        self.bases = dict(clause_ids)
        self.order = [c for c, _ in clause_ids]
        self.idle = []  # connections not in use: a slow answer never holds up the next edit

    async def send(self, n, text):
        clause_id = self.order[n % len(self.order)]
        connection = self.idle.pop() if self.idle else Connection(
            "127.0.0.1", self.port, {"Authorization": f"Bearer {self.token}"})
        started = time.perf_counter()
        try:
            status, body = await connection.request("POST", f"/api/v1/clauses/{clause_id}/revisions",
                                                    {"base_revision_id": self.bases[clause_id], "text": text})
        except OSError:
            return False, time.perf_counter() - started
        elapsed = time.perf_counter() - started
        self.idle.append(connection)
        if status == 201:
            self.bases[clause_id] = json.loads(body)["id"]
        return status == 201, elapsed

    def close(self):
        for connection in self.idle:
            connection.close()


async def run_load(target, n, config, port, document_id, tokens, author):
    """Connect the readers, measure idle memory, run the edits, drain; returns one result dict."""
    readers = n - 1
    latencies = []
    server_pid = config["pid"]
    before_kb = rss_kb(server_pid)
    clients = []
    connect_started = time.perf_counter()
    batch = 50
    for start in range(0, readers, batch):
        clients += await asyncio.gather(*(
            open_client("127.0.0.1", port, {"token": tokens[i]} if tokens else None, latencies, document_id)
            for i in range(start, min(start + batch, readers))))
    connect_seconds = time.perf_counter() - connect_started
    await asyncio.sleep(2)
    latencies.clear()  # presence and join messages are not edits
    idle_kb = (rss_kb(server_pid) - before_kb) / max(readers, 1)

    if author is None:  # the floor's author is a socket client too
        floor_author = await open_client("127.0.0.1", port, None, [], document_id)
    responses, sent_ok = [], 0
    cpu_before, own_before, wall_before = cpu_seconds(server_pid), time.process_time(), time.perf_counter()
    begin = time.time() + 0.5
    total = int(config["seconds"] * config["rate"])
    pending = []

    async def send(i, scheduled):
        nonlocal sent_ok
        text = f"Edit {i:05d} t={scheduled:.6f};"  # about 30 bytes, stamped with its scheduled time
        if author is None:
            started = time.perf_counter()
            try:
                ack = await asyncio.wait_for(floor_author.call("edit", {"text": text}), 30)
            except asyncio.TimeoutError:  # counted as not accepted: its messages are then not expected
                ack = {}
            ok, elapsed = bool(ack.get("ok")), time.perf_counter() - started
        else:
            ok, elapsed = await author.send(i, text)
        responses.append(elapsed)
        sent_ok += ok

    for i in range(total):
        scheduled = begin + i / config["rate"]
        delay = scheduled - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(asyncio.ensure_future(send(i, scheduled)))
    await asyncio.sleep(DRAIN)
    await asyncio.gather(*pending, return_exceptions=True)
    wall = time.perf_counter() - wall_before
    server_cpu = (cpu_seconds(server_pid) - cpu_before) / wall
    own_cpu = (time.process_time() - own_before) / wall
    if author is not None:
        author.close()
    for client in clients:
        client.transport.close()
    if author is None:
        floor_author.transport.close()
    expected = sent_ok * readers
    ordered = sorted(latencies)

    def pct(p):
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")

    return {"target": target, "n": n, "p50": pct(0.5), "p99": pct(0.99), "delivered": len(latencies),
            "expected": expected, "edits_ok": sent_ok, "edits": total,
            "author_ms": statistics.median(responses) * 1000 if responses else float("nan"),
            "author_p99_ms": sorted(responses)[int(0.99 * (len(responses) - 1))] * 1000 if responses else float("nan"),
            "server_cpu": server_cpu, "loadgen_cpu": own_cpu, "idle_kb": idle_kb, "connect_s": connect_seconds}


def measure(target, n, config):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DRAFTING_")}
    env["PYTHONPATH"] = str(ROOT)
    with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
        tokens, author, document_id = None, None, 1
        if target in ("drafting", "drafting-postgresql"):
            url = f"sqlite:///{folder}/bench.sqlite3"
            if target == "drafting-postgresql":  # PostgreSQL, events through Redis as across processes
                url = os.environ["DRAFTING_BENCH_DATABASE_URL"]
                env["DRAFTING_MESSAGE_QUEUE"] = os.environ["DRAFTING_BENCH_MESSAGE_QUEUE"]
            document_id, author_token, tokens, clause_ids = prepare_drafting(url, n - 1)
            env.update({"DRAFTING_DATABASE_URL": url, "DRAFTING_SECRET_KEY": "bench",
                        "DRAFTING_RATELIMIT_WRITES": "1000 per second"})
            process, port = start_server("wsgi:app", env)
            author = HttpAuthor(port, author_token, clause_ids)
        else:
            process, port = start_server("bench.live_floor:app", env)
        try:
            run = dict(config, pid=worker_pid(process.pid))
            return asyncio.run(run_load(target, n, run, port, document_id, tokens, author))
        finally:
            stop(process)


def rows_for(result, floor=None):
    name = f"live {result['target']} N={result['n']}"
    rows = [
        {"benchmark": name, "measure": "p50 latency", "value": f"{result['p50']:.1f} ms", "target": "", "ok": ""},
    ]
    target, ok = "", ""
    if result["n"] >= 1000:
        target, ok = f"≤ {P99_AT_1000_MS} ms", result["p99"] <= P99_AT_1000_MS
    elif floor is not None and result["n"] in TARGETS:
        bound = TARGETS[result["n"]] * floor["p99"]
        target, ok = f"≤ {bound:.1f} ms (1.3× floor)", result["p99"] <= bound
    delivered_ok = result["delivered"] >= result["expected"] and result["expected"] > 0
    rows += [
        {"benchmark": name, "measure": "p99 latency (median run; each run)",
         "value": f"{result['p99']:.1f} ms ({', '.join(str(p) for p in result.get('p99_runs', []))})", "target": target,
         "ok": ("yes" if ok else "NO") if ok != "" else ""},
        {"benchmark": name, "measure": "delivered / expected",
         "value": f"{result['delivered']}/{result['expected']} ({100 * result['delivered'] / max(result['expected'], 1):.1f}%)",
         "target": "100%", "ok": "yes" if delivered_ok else "NO"},
        {"benchmark": name, "measure": "edits accepted", "value": f"{result['edits_ok']}/{result['edits']}",
         "target": "", "ok": ""},
        {"benchmark": name, "measure": "author response p50 / p99",
         "value": f"{result['author_ms']:.1f} / {result['author_p99_ms']:.1f} ms", "target": "", "ok": ""},
        {"benchmark": name, "measure": "server CPU (load generator CPU)",
         "value": f"{100 * result['server_cpu']:.0f}% ({100 * result['loadgen_cpu']:.0f}%)", "target": "", "ok": ""},
        {"benchmark": name, "measure": "memory per idle client", "value": f"{result['idle_kb']:.0f} KB",
         "target": f"≤ {IDLE_KB} KB", "ok": "yes" if result["idle_kb"] <= IDLE_KB else "NO"},
    ]
    return rows


def median_run(runs):
    """The run with the median p99 of several (its other figures with it); delivery from the worst."""
    ordered = sorted(runs, key=lambda r: r["p99"])
    result = dict(ordered[len(ordered) // 2])
    worst = min(runs, key=lambda r: r["delivered"] / max(r["expected"], 1))
    result.update(delivered=worst["delivered"], expected=worst["expected"],
                  p99_runs=[round(r["p99"], 1) for r in runs])
    return result


def run():
    config = settings()
    rows = []
    for n in config["sizes"]:
        runs = {target: [] for target in config["targets"]}
        # Floor and Drafting Room take turns, so that a slow minute of the machine hits both.
        for attempt in range(config["runs"]):
            for target in config["targets"]:
                print(f"  live: {target} with N={n}, run {attempt + 1} of {config['runs']} …",
                      file=sys.stderr, flush=True)
                result = measure(target, n, config)
                print("   ", json.dumps({k: round(v, 2) if isinstance(v, float) else v
                                         for k, v in result.items()}), file=sys.stderr, flush=True)
                runs[target].append(result)
        floor = median_run(runs["floor"]) if runs.get("floor") else None
        for target in config["targets"]:
            result = median_run(runs[target])
            rows += rows_for(result, floor if target != "floor" else None)
    return rows
