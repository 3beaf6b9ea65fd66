"""The console's downloads (下载): the monthly report of each community a person may read, written
by the evaluation worker after the month closed, downloaded as Excel."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from services.chassis import clock
from services.evaluation.usecases import reports

from .support import check_accessibility, open_signed_in, screenshot


def _last_months_reports(platform) -> str:
    """The worker's task, run here too (it does nothing if the worker already wrote them)."""
    with platform.built.runtimes["evaluation"].unit_of_work() as uow:
        reports.write_monthly_reports(uow)
        uow.commit()
    return reports.last_closed_month(clock.now())


def test_a_clerk_downloads_the_monthly_report_of_their_community(platform, desktop, output_dir):
    page = desktop
    month = _last_months_reports(platform)
    open_signed_in(page, f"{platform.url}/console/", platform.token("window_clerk"))
    page.get_by_role("link", name="下载", exact=True).click()
    expect(page.get_by_role("heading", name="下载", exact=True)).to_be_visible()
    row = page.locator("table.data tbody tr", has_text=month)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("花果山社区")
    expect(page.locator("table.data")).not_to_contain_text("赤湾社区")  # another community's
    check_accessibility(page)
    screenshot(page, output_dir, "downloads")
    with page.expect_download() as download:
        row.get_by_role("button", name=f"下载 Excel：report-huaguoshan-{month}.xlsx").click()
    assert download.value.suggested_filename == f"report-huaguoshan-{month}.xlsx"
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book["月度报告 Summary"]["A1"].value == f"花果山社区 {month} 月度报告"


def test_the_subdistrict_office_reads_every_communitys_report_and_filters(platform, desktop):
    page = desktop
    month = _last_months_reports(platform)
    open_signed_in(page, f"{platform.url}/console/downloads", platform.token("subdistrict_officer"))
    rows = page.locator("table.data tbody tr", has_text=month)
    expect(rows).to_have_count(7)
    page.get_by_label("只看此社区的报告").select_option("chiwan")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("赤湾社区")
    check_accessibility(page)
