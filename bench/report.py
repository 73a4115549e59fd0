"""What `make bench` prints and writes: the side-by-side table, the ratios, the targets, the plot.

Pure functions over the per-level summaries (`LevelResult.summary()`), so they are unit-tested
without servers.
"""

from __future__ import annotations

import math
from pathlib import Path

# The targets on this machine, single Rasa process (issue 13).
TARGET_THROUGHPUT_RATIO = 1.5
TARGET_P95_MS = 300.0
TARGET_LEVEL = 20
TARGET_NO_ERRORS_LEVEL = 50


def by_level(rows: list[dict]) -> dict[int, dict]:
    return {row["concurrency"]: row for row in rows}


def ratio(ours: float | None, stock: float | None) -> float | None:
    """ours / stock, or None when either is missing or stock is zero."""
    if ours is None or stock is None or stock == 0:
        return None
    if isinstance(ours, float) and math.isnan(ours):
        return None
    return round(ours / stock, 2)


def ratios_at(ours: list[dict], stock: list[dict], level: int = TARGET_LEVEL) -> dict | None:
    """ours/stock of throughput and of each latency percentile at one concurrency level."""
    mine, theirs = by_level(ours).get(level), by_level(stock).get(level)
    if not mine or not theirs:
        return None
    return {
        "concurrency": level,
        "throughput": ratio(mine["throughput_msg_s"], theirs["throughput_msg_s"]),
        "p50": ratio(mine["p50_ms"], theirs["p50_ms"]),
        "p95": ratio(mine["p95_ms"], theirs["p95_ms"]),
        "p99": ratio(mine["p99_ms"], theirs["p99_ms"]),
        "cpu_ms_per_msg": ratio(_cpu_total(mine), _cpu_total(theirs)),
    }


def _cpu_total(row: dict) -> float | None:
    values = [v for k, v in row.items() if k.startswith("cpu_ms_per_msg_") and v is not None]
    return round(sum(values), 1) if values else None


def targets(ours: list[dict], stock: list[dict]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met?) for each of the issue's targets; met is None when not measured."""
    at = ratios_at(ours, stock)
    mine = by_level(ours)
    checks: list[tuple[str, str, bool | None]] = []
    if at and at["throughput"] is not None:
        checks.append(
            (
                f"throughput >= {TARGET_THROUGHPUT_RATIO}x stock at {TARGET_LEVEL} conversations",
                f"{at['throughput']:.2f}x",
                at["throughput"] >= TARGET_THROUGHPUT_RATIO,
            )
        )
    else:
        checks.append((f"throughput >= {TARGET_THROUGHPUT_RATIO}x stock", "not measured", None))
    row = mine.get(TARGET_LEVEL)
    p95 = row["p95_ms"] if row else None
    checks.append(
        (
            f"p95 <= {TARGET_P95_MS:.0f} ms at {TARGET_LEVEL} conversations",
            "not measured" if p95 is None else f"{p95:,.0f} ms",
            None if p95 is None else p95 <= TARGET_P95_MS,
        )
    )
    row = mine.get(TARGET_NO_ERRORS_LEVEL)
    checks.append(
        (
            f"no errors at {TARGET_NO_ERRORS_LEVEL} conversations",
            "not measured" if row is None else f"{row['errors']} errors",
            None if row is None else row["errors"] == 0,
        )
    )
    return checks


def _num(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:,.{digits}f}"


def _ratio_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def markdown_table(ours: list[dict], stock: list[dict], names: tuple[str, str]) -> str:
    """One row per concurrency level, each measure side by side (ours | stock), as Markdown."""
    a, b = names
    mine, theirs = by_level(ours), by_level(stock)
    header = [
        "conversations",
        f"msg/s {a}",
        f"msg/s {b}",
        "ratio",
        f"p50 ms {a}",
        f"p50 ms {b}",
        f"p95 ms {a}",
        f"p95 ms {b}",
        f"p99 ms {a}",
        f"p99 ms {b}",
        f"CPU ms/msg {a}",
        f"CPU ms/msg {b}",
        f"errors {a}",
        f"errors {b}",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for level in sorted(set(mine) | set(theirs)):
        x, y = mine.get(level, {}), theirs.get(level, {})
        cells = [
            str(level),
            _num(x.get("throughput_msg_s"), 1),
            _num(y.get("throughput_msg_s"), 1),
            _ratio_text(ratio(x.get("throughput_msg_s"), y.get("throughput_msg_s"))),
            _num(x.get("p50_ms")),
            _num(y.get("p50_ms")),
            _num(x.get("p95_ms")),
            _num(y.get("p95_ms")),
            _num(x.get("p99_ms")),
            _num(y.get("p99_ms")),
            _num(_cpu_total(x) if x else None, 1),
            _num(_cpu_total(y) if y else None, 1),
            _errors_text(x),
            _errors_text(y),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _errors_text(row: dict) -> str:
    if not row:
        return "-"
    if not row["errors"]:
        return "0"
    parts = []
    if row["http_errors"]:
        parts.append(f"{row['http_errors']} http")
    if row["scenario_errors"]:
        parts.append(f"{row['scenario_errors']} reply")
    if row.get("not_sent"):
        parts.append(f"{row['not_sent']} not sent")
    return ", ".join(parts)


def summary_text(ours: list[dict], stock: list[dict], names: tuple[str, str]) -> str:
    """The table, the ratio line at the target level and the targets, ready to print."""
    lines = [markdown_table(ours, stock, names), ""]
    at = ratios_at(ours, stock)
    if at:
        lines.append(
            f"{names[0]}/{names[1]} at {at['concurrency']} conversations: "
            f"throughput {_ratio_text(at['throughput'])}, p50 {_ratio_text(at['p50'])}, "
            f"p95 {_ratio_text(at['p95'])}, p99 {_ratio_text(at['p99'])}, "
            f"CPU per message {_ratio_text(at['cpu_ms_per_msg'])}"
        )
    for target, measured, met in targets(ours, stock):
        mark = {True: "met", False: "NOT met", None: "not measured"}[met]
        lines.append(f"  target: {target}: {measured} ({mark})")
    return "\n".join(lines)


def variants_table(variants: dict[str, list[dict]], baseline: list[dict], stock: list[dict]) -> str:
    """Each variant of our stack against our unchanged bot and the stock bot, level by level."""
    header = ["conversations", "bot", "msg/s", "x ours", "x stock", "p50 ms", "p95 ms",
              "p99 ms", "CPU ms/msg", "errors", "others' cores"]  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    mine, theirs = by_level(baseline), by_level(stock)
    named = {name: by_level(rows) for name, rows in variants.items()}
    levels = sorted(set(mine) | set(theirs) | {lv for rows in named.values() for lv in rows})
    for level in levels:
        base, yard = mine.get(level), theirs.get(level)
        entries = [("ours (unchanged)", base)] if base else []
        entries += [(name, rows[level]) for name, rows in named.items() if level in rows]
        entries += [("stock", yard)] if yard else []
        for name, row in entries:
            lines.append(
                "| "
                + " | ".join(
                    [
                        str(level),
                        name,
                        _num(row["throughput_msg_s"], 1),
                        _ratio_text(
                            ratio(row["throughput_msg_s"], base and base["throughput_msg_s"])
                        ),
                        _ratio_text(
                            ratio(row["throughput_msg_s"], yard and yard["throughput_msg_s"])
                        ),
                        _num(row["p50_ms"]),
                        _num(row["p95_ms"]),
                        _num(row["p99_ms"]),
                        _num(_cpu_total(row), 1),
                        _errors_text(row),
                        _num(row.get("other_cpu_cores"), 2),
                    ]
                )
                + " |"
            )
    return "\n".join(lines)


def plot(results: dict[str, list[dict]], path: Path) -> Path:
    """Latency p50 (solid) and p95 (dashed) against concurrency, one colour per bot."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=120)
    colours = [plt.get_cmap("tab10")(i % 10) for i in range(len(results))]
    levels: set[int] = set()
    for colour, (name, rows) in zip(colours, results.items(), strict=False):
        rows = sorted(rows, key=lambda r: r["concurrency"])
        xs = [r["concurrency"] for r in rows]
        levels.update(xs)
        ax.plot(xs, [r["p50_ms"] for r in rows], "-o", color=colour, label=f"{name} p50")
        ax.plot(xs, [r["p95_ms"] for r in rows], "--s", color=colour, label=f"{name} p95")
    ax.axhline(TARGET_P95_MS, color="grey", linewidth=0.8, linestyle=":")
    ax.annotate(
        f"p95 target {TARGET_P95_MS:.0f} ms",
        (min(levels) if levels else 1, TARGET_P95_MS),
        textcoords="offset points",
        xytext=(2, 4),
        fontsize=8,
        color="grey",
    )
    ax.set_xscale("log")
    ax.set_xticks(sorted(levels))
    ax.set_xticklabels([str(x) for x in sorted(levels)])
    ax.set_xlabel("concurrent conversations (REST, closed loop)")
    ax.set_ylabel("reply latency (ms)")
    ax.set_title("Reply latency against concurrency, same machine, back to back")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
