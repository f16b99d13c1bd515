from dataclasses import replace

import pytest

from dossier_stats.kpis import Kpis
from dossier_stats.metrics import DEFAULT_METRIC, METRICS

SAMPLE = Kpis(
    received_online=30,
    received_direct_postal=70,
    carried_over=5,
    resolved_early=40,
    resolved_on_time=20,
    resolved_late=20,
    pending_within=15,
    pending_overdue=10,
)


def test_metrics_offered_with_their_vietnamese_labels_and_direction():
    assert list(METRICS) == ["on_time_rate", "pending_overdue", "received", "online_share"]
    assert DEFAULT_METRIC in METRICS
    described = {k: (m.label, m.kind, m.higher_is_better) for k, m in METRICS.items()}
    assert described == {
        "on_time_rate": ("Tỷ lệ giải quyết đúng hạn", "rate", True),
        "pending_overdue": ("Hồ sơ đang giải quyết quá hạn", "count", False),
        "received": ("Hồ sơ tiếp nhận mới", "count", True),
        "online_share": ("Tỷ lệ hồ sơ trực tuyến", "rate", True),
    }
    assert all(m.key == k for k, m in METRICS.items())


def test_metric_values_of_a_sample():
    values = {k: m.value(SAMPLE) for k, m in METRICS.items()}
    assert values["on_time_rate"] == pytest.approx(60 / 80)
    assert values["pending_overdue"] == 10
    assert values["received"] == 100  # newly received: carried over is not "received"
    assert values["online_share"] == pytest.approx(0.3)


def test_rates_are_undefined_without_data_and_counts_are_zero():
    empty = Kpis()
    assert METRICS["on_time_rate"].value(empty) is None
    assert METRICS["online_share"].value(empty) is None
    assert METRICS["pending_overdue"].value(empty) == 0
    assert METRICS["received"].value(empty) == 0


def test_kpi_totals_follow_the_report_identities():
    assert SAMPLE.received_new == 100
    assert SAMPLE.received_total == 105
    assert SAMPLE.resolved_total == 80
    assert SAMPLE.pending_total == 25
    added = SAMPLE + Kpis(received_online=1, pending_overdue=2)
    assert added == replace(SAMPLE, received_online=31, pending_overdue=12)
