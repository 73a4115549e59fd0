"""`make bench`'s table, ratios, targets and plot, from made-up level summaries (no servers)."""

from __future__ import annotations

from bench import report
from bench.loadgen import LevelResult


def _row(level, throughput, p50, p95, p99, errors=0, cpu=None):
    row = {
        "concurrency": level,
        "throughput_msg_s": throughput,
        "p50_ms": p50,
        "p95_ms": p95,
        "p99_ms": p99,
        "http_errors": errors,
        "scenario_errors": 0,
        "not_sent": 0,
        "errors": errors,
    }
    if cpu is not None:
        row["cpu_ms_per_msg_rasa_server"] = cpu
    return row


OURS = [_row(1, 12.0, 80, 120, 130, cpu=60), _row(20, 18.0, 1000, 1500, 1700, cpu=55),
        _row(50, 18.5, 2500, 3200, 3500, errors=2, cpu=54)]  # fmt: skip
STOCK = [_row(1, 30.0, 30, 40, 45, cpu=30), _row(20, 30.0, 650, 1100, 1200, cpu=33),
         _row(50, 29.0, 1700, 2100, 2300, cpu=34)]  # fmt: skip


def test_ratio_is_ours_over_stock_and_tolerates_missing_values():
    assert report.ratio(18.0, 30.0) == 0.6
    assert report.ratio(None, 30.0) is None
    assert report.ratio(1.0, 0) is None


def test_ratios_at_twenty_conversations():
    at = report.ratios_at(OURS, STOCK)
    assert at == {
        "concurrency": 20,
        "throughput": 0.6,
        "p50": 1.54,
        "p95": 1.36,
        "p99": 1.42,
        "cpu_ms_per_msg": 1.67,
    }
    assert report.ratios_at(OURS, STOCK, level=10) is None


def test_targets_say_which_are_met():
    checks = report.targets(OURS, STOCK)
    assert [met for _, _, met in checks] == [False, False, False]
    assert checks[0][1] == "0.60x"
    assert checks[1][1] == "1,500 ms"
    assert checks[2][1] == "2 errors"
    fast = [_row(20, 50.0, 100, 250, 280), _row(50, 50.0, 400, 600, 700)]
    assert [met for _, _, met in report.targets(fast, STOCK)] == [True, True, True]


def test_targets_not_measured_without_the_levels():
    checks = report.targets([_row(1, 1.0, 1, 1, 1)], [_row(1, 1.0, 1, 1, 1)])
    assert [met for _, _, met in checks] == [None, None, None]


def test_markdown_table_has_a_row_per_level_with_both_bots_side_by_side():
    table = report.markdown_table(OURS, STOCK, ("ours", "stock"))
    lines = table.splitlines()
    assert lines[0].startswith("| conversations | msg/s ours | msg/s stock | ratio |")
    assert len(lines) == 2 + 3
    columns = len(lines[0].split("|"))
    assert all(len(line.split("|")) == columns for line in lines)
    assert lines[3] == (
        "| 20 | 18.0 | 30.0 | 0.60x | 1,000 | 650 | 1,500 | 1,100 | 1,700 | 1,200 "
        "| 55.0 | 33.0 | 0 | 0 |"
    )
    assert "| 2 http |" in lines[4]


def test_markdown_table_marks_a_level_only_one_bot_ran():
    table = report.markdown_table(OURS, STOCK[:1], ("ours", "stock"))
    last = table.splitlines()[-1]
    assert last.startswith("| 50 | 18.5 | - | - |")


def test_summary_text_has_table_ratio_and_targets():
    text = report.summary_text(OURS, STOCK, ("ours", "stock"))
    assert "ours/stock at 20 conversations: throughput 0.60x" in text
    assert "p95 <= 300 ms at 20 conversations: 1,500 ms (NOT met)" in text


def test_summary_rows_from_level_results_fit_the_table():
    rows = [
        LevelResult(
            concurrency=20, conversations=2, wall_seconds=1.0, latencies_ms=[1.0, 2.0]
        ).summary()
    ]
    assert "| 20 | 2.0 |" in report.markdown_table(rows, rows, ("a", "b"))


def test_plot_writes_a_png(tmp_path):
    path = report.plot({"ours": OURS, "stock": STOCK}, tmp_path / "out" / "bench.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_variants_table_compares_each_variant_with_ours_and_stock():
    variant = [_row(20, 36.0, 300, 500, 600, cpu=30)]
    table = report.variants_table({"faster": variant}, OURS, STOCK)
    lines = table.splitlines()
    assert lines[0].startswith("| conversations | bot | msg/s | x ours | x stock |")
    at_20 = [line for line in lines if line.startswith("| 20 |")]
    assert [line.split(" | ")[1] for line in at_20] == ["ours (unchanged)", "faster", "stock"]
    assert "| 36.0 | 2.00x | 1.20x |" in at_20[1]
    # levels the variant did not run still list ours and stock
    assert [line.split(" | ")[1] for line in lines if line.startswith("| 1 |")] == [
        "ours (unchanged)",
        "stock",
    ]
