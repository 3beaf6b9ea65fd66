"""Monthly reports on real PostgreSQL: two worker replicas at once leave one report per
community and month — through the task's advisory lock, and without it through the unique
(community, month) the insert respects."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from services.evaluation.usecases import reports
from services.evaluation.worker import build_worker

pytestmark = [pytest.mark.postgres]
AUGUST_FIRST = datetime(2026, 8, 1, 2, tzinfo=UTC)


def _together(*calls):
    """Run the calls in threads released at the same moment; their results."""
    start, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_replicas_writing_at_once_leave_one_report_per_community_and_month(service):
    harness = service("evaluation", backend="postgres")

    def replica():
        with harness.runtime.unit_of_work() as uow:
            written = reports.write_monthly_reports(uow, AUGUST_FIRST)
            uow.commit()
            return written

    assert sum(_together(replica, replica)) == 7  # each report written by one of them
    assert harness.count("monthly_reports") == 7


def test_two_workers_running_the_task_at_once_write_each_report_once(service):
    harness = service("evaluation", backend="postgres")
    workers = [build_worker(harness.runtime), build_worker(harness.runtime)]
    ran = _together(*(lambda w=w: w.run_task(w.periodic[0]) for w in workers))
    assert True in ran
    assert workers[0].run_task(workers[0].periodic[0])  # and again later: nothing new
    assert harness.count("monthly_reports") == 7
