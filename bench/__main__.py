"""Run the benchmarks: `python -m bench [name ...]`.

Each module bench/bench_<name>.py has `run() -> list[dict]`; every dict is one row with at least
"benchmark", "measure", "value", "target" and "ok". The table goes to stdout and bench/results/.
"""
import importlib
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def modules(selected):
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    return [n for n in names if not selected or n.removeprefix("bench_") in selected]


def table(rows):
    headers = ["benchmark", "measure", "value", "target", "ok"]
    cells = [[str(r.get(h, "")) for h in headers] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = lambda values: "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths)) + " |"  # noqa: E731
    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(c) for c in cells]
    return "\n".join(out)


def main(argv):
    rows = []
    for name in modules(argv):
        started = time.perf_counter()
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(f"bench.{name}").run())
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    text = table(rows)
    print(text)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.md").write_text(text + "\n")
    return 0 if all(r.get("ok") in (True, "yes", "") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
