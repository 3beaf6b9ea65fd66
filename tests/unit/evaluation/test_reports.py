"""Monthly reports: the figures of a month, one XLSX per community and month however often the
worker's task runs, and their download scoped to the caller's communities."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from services.evaluation.usecases import reports
from services.evaluation.worker import build_worker
from tests.support.helpers import assert_problem, bearer
from tests.unit.evaluation import story

# 10:00 in Shenzhen on 1 August 2026: July is the last closed month.
AUGUST_FIRST = datetime(2026, 8, 1, 2, tzinfo=UTC)


def _figures(evaluation, community: str, month: str) -> dict:
    with evaluation.runtime.unit_of_work() as uow:
        return reports.figures(uow.session, community, month, AUGUST_FIRST)


def test_a_months_report_counts_that_month_only(evaluation, feed):
    feed(*story.events())
    march = _figures(evaluation, "huaguoshan", "2026-03")
    assert march["desk"]["tickets_served"] == 9  # 1..9 March; the 1 January ticket is not March's
    assert march["desk"]["wait_p50_seconds"] == 600  # the middle of March's nine waits, 60..3600 s
    # g1 resolved on time on 2 March, not reopened
    assert march["cases"] == {"cases_resolved": 1, "case_on_time_rate": 1.0, "reopen_rate": 0.0}
    # HGS-01, seen since February, inspected on 15 March; HGS-02 appears only in April
    assert march["grid"] == {"inspections_done": 1, "inspections_planned": 1, "inspection_coverage": 1.0}
    assert march["money"]["due_fen"] == 0 and march["money"]["contracts_in_force"] == 1
    assert march["money"]["contracts_value_fen"] == 120_000_000
    assert march["evaluation"] == {"rounds_closed": 0, "rounds": []}

    june, july = _figures(evaluation, "huaguoshan", "2026-06"), _figures(evaluation, "huaguoshan", "2026-07")
    assert (june["money"]["milestones_due"], june["money"]["due_fen"], june["money"]["paid_fen"]) == (
        1,
        30_000_000,
        0,
    )
    assert (july["money"]["due_fen"], july["money"]["paid_fen"]) == (0, 30_000_000)  # paid on 2 July
    assert _figures(evaluation, "chiwan", "2026-03")["desk"]["tickets_served"] == 1


def test_the_workbook_reads_back_in_chinese_with_money_in_yuan(evaluation, feed):
    feed(*story.events())
    june = _figures(evaluation, "huaguoshan", "2026-06")
    book = load_workbook(io.BytesIO(reports.render("huaguoshan", "2026-06", june, AUGUST_FIRST)))
    assert book.sheetnames == ["月度报告 Summary", "绩效评估 Evaluation"]
    rows = {row[2]: row[3] for row in book["月度报告 Summary"].iter_rows(min_row=5, values_only=True)}
    assert book["月度报告 Summary"]["A1"].value == "花果山社区 2026-06 月度报告"
    assert rows["Amount due (yuan)"] == 300_000
    assert rows["Tickets served"] == 0 and rows["Milestones due"] == 1


def test_two_runs_of_the_task_write_one_report_per_community_and_month(evaluation, feed):
    feed(*story.events())
    worker = build_worker(evaluation.runtime)
    [task] = worker.periodic
    assert worker.run_task(task) and worker.run_task(task)  # now: the month before this one
    with evaluation.runtime.unit_of_work() as uow:
        assert reports.write_monthly_reports(uow, AUGUST_FIRST) == 7
        uow.commit()
    with evaluation.runtime.unit_of_work() as uow:
        assert reports.write_monthly_reports(uow, AUGUST_FIRST) == 0  # a second replica, later
        uow.commit()
    assert evaluation.count("monthly_reports") == 14  # 7 communities × (last month, July 2026)
    with evaluation.runtime.unit_of_work() as uow:
        july = uow.session.scalars(
            reports.select(reports.MonthlyReport).where(reports.MonthlyReport.month == "2026-07")
        ).all()
        assert sorted(r.community for r in july) == sorted(reports.COMMUNITIES)
        huaguoshan = next(r for r in july if r.community == "huaguoshan")
        assert huaguoshan.figures["money"]["paid_fen"] == 30_000_000
        assert huaguoshan.size == len(huaguoshan.content)


def _july_reports(evaluation) -> None:
    with evaluation.runtime.unit_of_work() as uow:
        reports.write_monthly_reports(uow, AUGUST_FIRST)
        uow.commit()


def test_a_committee_member_lists_and_downloads_their_communitys_reports(evaluation, people, feed):
    feed(*story.events())
    _july_reports(evaluation)
    answer = evaluation.client.get("/reports", headers=people["committee"])
    assert answer.status_code == 200, answer.get_json()
    [listed] = answer.get_json()
    assert (listed["community"], listed["month"]) == ("huaguoshan", "2026-07")
    assert listed["filename"] == "report-huaguoshan-2026-07.xlsx"
    assert listed["figures"]["money"]["paid_fen"] == 30_000_000

    download = evaluation.client.get(f"/reports/{listed['id']}", headers=people["staff"])
    assert download.status_code == 200
    assert download.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="report-huaguoshan-2026-07.xlsx"' in download.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(download.data))
    assert book["月度报告 Summary"]["A1"].value == "花果山社区 2026-07 月度报告"


def test_reports_are_scoped_to_the_callers_communities(evaluation, people, token, feed):
    feed(*story.events())
    _july_reports(evaluation)
    officer = bearer(token("subdistrict_officer", community=None))
    everyone = evaluation.client.get("/reports?month=2026-07&page_size=50", headers=officer).get_json()
    assert len(everyone) == 7
    hgs = next(r for r in everyone if r["community"] == "huaguoshan")

    chiwan = people["chiwan_committee"]
    assert [r["community"] for r in evaluation.client.get("/reports", headers=chiwan).get_json()] == [
        "chiwan"
    ]
    assert evaluation.client.get("/reports?community=huaguoshan", headers=chiwan).get_json() == []
    assert_problem(evaluation.client.get(f"/reports/{hgs['id']}", headers=chiwan), 404)


def test_reports_refuse_other_roles_and_bad_input_with_problems(evaluation, people):
    assert_problem(evaluation.client.get("/reports", headers=people["resident"]), 403)
    assert_problem(evaluation.client.get("/reports", headers=people["evaluator"]), 403)
    assert_problem(evaluation.client.get("/reports"), 401)
    bad = assert_problem(evaluation.client.get("/reports?month=2026-13", headers=people["committee"]), 422)
    assert "month" in str(bad)
    missing = "/reports/0b6a3c58-7a0e-4d0e-b0a5-2f0b1c9d6e77"
    assert_problem(evaluation.client.get(missing, headers=people["committee"]), 404)
    assert evaluation.client.get("/reports/not-a-uuid", headers=people["committee"]).status_code == 404


def test_a_round_closed_in_the_month_is_in_its_report(evaluation, people):
    from services.chassis import clock
    from tests.unit.evaluation.conftest import close_round, create_scheme, open_round
    from tests.unit.evaluation.test_api_rounds import fill_all

    scheme = create_scheme(evaluation.client, people["committee"], title="长者关爱服务年度评估")
    opened = open_round(evaluation.client, people["committee"], scheme["id"])
    fill_all(evaluation.client, people, opened["id"])
    assert close_round(evaluation.client, people["committee"], opened["id"]).status_code == 200
    this_month = clock.local(clock.now()).strftime("%Y-%m")
    with evaluation.runtime.unit_of_work() as uow:
        found = reports.figures(uow.session, "huaguoshan", this_month, clock.now())
    assert found["evaluation"]["rounds_closed"] == 1
    [closed] = found["evaluation"]["rounds"]
    assert (closed["round_id"], closed["title"], closed["score"], closed["grade"]) == (
        opened["id"],
        "长者关爱服务年度评估",
        76.5,
        "pass",
    )
    book = load_workbook(io.BytesIO(reports.render("huaguoshan", this_month, found, clock.now())))
    assert [c.value for c in book["绩效评估 Evaluation"][2]][:4] == [
        "长者关爱服务年度评估",
        2026,
        76.5,
        "pass",
    ]
