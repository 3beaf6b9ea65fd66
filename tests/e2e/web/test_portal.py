"""The residents' portal on a phone: a ticket taken online and rated; a validation error beside
its field; a hazard reported with a location through Open311."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import expect

from . import scenarios
from .support import check_accessibility, screenshot, sign_in_as_demo


def test_resident_takes_a_ticket_and_rates_it(platform, phone, output_dir):
    page = phone
    setup = scenarios.desk(platform)
    resident = platform.api(platform.token("resident"))

    sign_in_as_demo(page, f"{platform.url}/ticket", "resident")
    expect(page.locator("h1")).to_have_text("网上取号")
    page.get_by_label("办理事项").select_option(setup["type"]["code"])
    page.get_by_label("房屋地址").fill("花果山 7 栋 1201")
    page.get_by_label("租住类型").select_option("rent")
    check_accessibility(page)
    screenshot(page, output_dir, "1-form")
    page.get_by_role("button", name="取号").click()

    expect(page).to_have_url(re.compile(r"/tickets/[0-9a-f-]{36}$"))
    ticket_id = page.url.rsplit("/", 1)[1]
    ticket = resident.get(f"/intake/tickets/{ticket_id}")
    assert ticket["channel"] == "portal" and ticket["status"] == "waiting"
    expect(page.locator(".big-number")).to_have_text(ticket["number"])
    expect(page.locator(".queue-place .ahead")).to_have_text("0")
    page.get_by_role("button", name="前面还剩 3 人时提醒我").click()
    expect(page.get_by_text("好的，前面还剩 3 人时会提醒您。")).to_be_visible()
    watches = resident.get("/notifications/watches")
    assert [(w["target_id"], w["ahead"]) for w in watches] == [(ticket_id, 3)]
    assert [c["purpose"] for c in resident.get("/notifications/consents")] == ["queue"]
    check_accessibility(page)
    screenshot(page, output_dir, "2-place-in-queue")

    staff = setup["staff"]
    staff.post(f"/intake/windows/{setup['window']['id']}/call", {"ticket_id": ticket_id})
    # No reload: the page is told of the call by the change stream and refetches.
    expect(page.locator(".alert-success")).to_contain_text("请到 测试窗口 办理")
    staff.post(f"/intake/tickets/{ticket_id}/start", {})
    staff.post(f"/intake/tickets/{ticket_id}/complete", {})
    page.reload()

    expect(page.get_by_role("heading", name="服务评价")).to_be_visible()
    page.get_by_label("5 分 · 非常满意").check()
    page.get_by_label("意见（选填）").fill("窗口办理很快，态度很好。")
    check_accessibility(page)
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("您已评价：5 分。")).to_be_visible()
    feedback = [f for f in resident.get("/intake/feedback") if f["target_id"] == ticket_id]
    assert [(f["target_kind"], f["score"], f["channel"]) for f in feedback] == [("ticket", 5, "portal")]
    screenshot(page, output_dir, "3-rated")

    page.goto(f"{platform.url}/notices")  # the call reached the watcher's inbox
    expect(page.locator(".unread")).to_have_text("未读 1 条")
    expect(page.get_by_text(f"{ticket['number']}号：请到")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="标为已读").click()
    expect(page.locator(".unread")).to_have_text("未读 0 条")
    screenshot(page, output_dir, "4-notices")


def test_validation_error_is_shown_beside_its_field(platform, phone, output_dir):
    page = phone
    setup = scenarios.desk(platform)
    resident = platform.api(platform.token("resident"))
    before = len(resident.get("/intake/tickets", mine="true", page_size=100))

    sign_in_as_demo(page, f"{platform.url}/ticket", "resident")
    page.get_by_label("办理事项").select_option(setup["type"]["code"])
    page.get_by_label("房屋地址").fill("花果山 7 栋 1201")
    page.get_by_label("租住类型").select_option("rent")
    page.get_by_label("联系电话").fill("12345")
    page.get_by_role("button", name="取号").click()

    phone_field = page.locator('[data-field="contact_phone"]')
    expect(phone_field.locator(".field-error")).to_have_text("Not a valid phone number.")
    expect(phone_field.locator("input")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".form-problem [role=alert]")).to_contain_text("请检查填写的内容")
    # Only that field is marked; the form keeps what was typed.
    assert page.locator('[aria-invalid="true"]').count() == 1
    expect(page.get_by_label("房屋地址")).to_have_value("花果山 7 栋 1201")
    assert len(resident.get("/intake/tickets", mine="true", page_size=100)) == before
    check_accessibility(page)
    screenshot(page, output_dir, "phone-field-error")

    page.get_by_label("联系电话").fill("")
    page.get_by_label("房屋地址").fill("")
    page.get_by_role("button", name="取号").click()
    address = page.locator('[data-field="attributes.place"]')
    expect(address.locator(".field-error")).to_be_visible()
    expect(phone_field.locator(".field-error")).to_be_hidden()
    screenshot(page, output_dir, "attribute-field-error")


def test_resident_reports_a_hazard_at_a_point_on_the_map(platform, phone, output_dir):
    page = phone
    cell = scenarios.grid_cell(platform)
    resident = platform.api(platform.token("resident"))

    sign_in_as_demo(page, f"{platform.url}/report", "resident")
    expect(page.locator("h1")).to_have_text("隐患上报")
    page.get_by_label("类别").select_option("hazard_electrical")
    page.get_by_label("紧急程度").select_option("urgent")
    page.get_by_label("情况描述").fill("楼道电表箱门损坏，电线外露。")
    label = page.locator("svg.cell-map text.cell-label", has_text=cell["code"])
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 4)
    expect(page.locator("svg.cell-map .picked")).to_have_count(1)
    assert page.get_by_label("经度").input_value() != ""
    photo = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 90, 90)).save(photo, format="JPEG")
    page.get_by_label("照片（可选）").set_input_files(
        files=[{"name": "meter.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}]
    )
    check_accessibility(page)
    screenshot(page, output_dir, "1-report-form")

    page.get_by_role("button", name="提交上报").click()
    notice = page.locator(".alert-success")
    expect(notice).to_contain_text("已收到您的上报")
    number = re.search(r"GC-\d{4}-\d{6}", notice.inner_text()).group(0)
    reported = resident.get(f"/grid/cases/{number}")
    assert (reported["category"], reported["cell_code"], reported["mine"]) == (
        "hazard_electrical",
        cell["code"],
        True,
    )
    assert reported["severity"] == "critical"  # urgent raises the category's default (high) one step
    [photo_url] = reported["photos"]  # uploaded to the grid service first, then the report's media_url
    assert re.fullmatch(r"/api/grid/photos/[0-9a-f-]{36}", photo_url)
    screenshot(page, output_dir, "2-reported")

    notice.get_by_role("link", name="查看进度").click()
    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator(".page-header .badge")).to_have_text("已上报")
    check_accessibility(page)
    screenshot(page, output_dir, "3-follow")


def test_anyone_reads_the_transparency_page_without_signing_in(platform, phone, output_dir):
    page = phone
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{platform.url}/transparency")
    expect(page.locator("h1")).to_have_text("信息公开")
    for heading in ("购买服务合同", "付款记录", "社区预算", "年度评估结果"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("本月没有付款。")).to_be_visible()
    page.get_by_label("社区").select_option("chiwan")
    expect(page.get_by_role("link", name="CSV").first).to_have_attribute(
        "href", re.compile(r"^/api/contracts/open-data/contracts/\d{4}-\d{2}\.csv$")
    )
    expect(page.get_by_role("link", name="登录")).to_be_visible()
    check_accessibility(page)
    screenshot(page, output_dir, "1-transparency-signed-out")
    api_calls = [url for url in requests if "/api/" in url]
    assert api_calls and all("/open-data/" in url for url in api_calls), api_calls
