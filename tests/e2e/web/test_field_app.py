"""The grid worker's field app on a phone: a round walked offline with a finding and its photo,
a household with two persons, all sent in order once the network returns — and sent again,
creating nothing twice."""

from __future__ import annotations

import io
import re
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image
from playwright.sync_api import expect

from deploy.demo import grid_reference as demo
from services.grid.usecases.personal_data import iso7064_mod11_2

from . import scenarios
from .support import check_accessibility, open_signed_in, screenshot

PHONE = {"width": 360, "height": 740}
GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    """A photo as a phone takes it: JPEG with an EXIF GPS position."""
    exif = Image.Exif()
    exif[0x010F] = "FieldPhone"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (22.0, 29.0, 24.0), 3: "E", 4: (113.0, 54.0, 36.0)})
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (180, 60, 30)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def id_number(first17: str) -> str:
    return first17 + iso7064_mod11_2(first17)


def fetch_bytes(platform, token: str, path: str) -> bytes:
    request = urllib.request.Request(f"{platform.url}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        return response.read()


def counts(worker, cell_code: str, household_unit: str) -> tuple[int, int, int, int]:
    households = worker.get("/grid/households", cell_code=cell_code)
    households = [h for h in households if h["unit"] == household_unit]
    persons = worker.get("/grid/persons", cell_code=cell_code)
    return (
        len(worker.get("/grid/inspections", cell_code=cell_code)),
        len(worker.get("/grid/cases", cell_code=cell_code)),
        len(households),
        len(persons),
    )


def test_a_round_and_a_household_recorded_offline_reach_the_server_once(platform, browser, output_dir):
    cell = scenarios.grid_cell(platform)
    ring = cell["boundary"]["coordinates"][0]
    lon, lat = (ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2
    staff = platform.api(platform.token("window_clerk"))
    building = staff.post(
        "/grid/buildings",
        {"cell_code": cell["code"], "address": "花果山路 8 号", "floors": 7, "use": "residential"},
    )
    officer = platform.api(platform.token("subdistrict_officer"))
    for code, area, title, category, severity in demo.CHECKLIST[:3]:
        body = {"area": area, "title": title, "case_category": category, "default_severity": severity}
        officer.call("PUT", f"/grid/checklist/{code}", body)
    period = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    staff.call("PUT", f"/grid/cells/{cell['code']}/plans/{period}", {"planned_rounds": 4})
    token = platform.token("grid_worker")
    worker = platform.api(token)
    checklist = worker.get("/grid/checklist")
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        geolocation={"longitude": lon, "latitude": lat, "accuracy": 10},
        permissions=["geolocation"],
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        gateway = platform.url.split("/")[2]
        hosts: set[str] = set()
        page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
        finished: list = []
        open_signed_in(page, f"{platform.url}/static/web/icon.svg", token)
        context.on("requestfinished", lambda request: finished.append(request))
        page.goto(f"{platform.url}/field/")
        expect(page.locator("h1")).to_have_text("今日巡查")
        expect(page.locator(".field-card")).not_to_have_count(0)
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        # The first load's budget: every response's bytes on the wire (compressed), the service
        # worker's caching of the shell included.
        sizes = [request.sizes() for request in finished]
        transferred = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)
        assert 0 < transferred < 500_000, transferred
        card = page.locator(f'.field-card[data-cell="{cell["code"]}"]')
        expect(card.locator(".rounds-line")).to_contain_text("已完成 0 / 计划 4 次")
        card.get_by_role("link", name="开始巡查").click()
        expect(page.locator("h1")).to_have_text(f"巡查：{cell['name']}")
        expect(page.locator(".check-item")).to_have_count(len(checklist))

        context.set_offline(True)
        expect(page.locator(".net-state")).to_have_attribute("data-online", "false")
        first, *rest = checklist
        row = page.locator(f'.check-item[data-item="{first["code"]}"]')
        row.get_by_role("button", name="发现问题").click()
        row.get_by_label("问题说明").fill("楼梯间堆放杂物，堵塞安全出口。")
        row.locator("input[type=file]").set_input_files(
            files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}]
        )
        expect(row.locator(".photo-list img")).to_have_count(1)
        row.get_by_role("button", name="记录我的位置").click()
        expect(row.locator(".position-text")).to_contain_text("东经")
        for item in rest:
            other = page.locator(f'.check-item[data-item="{item["code"]}"]')
            other.get_by_role("button", name="正常").click()
        check_accessibility(page)
        screenshot(page, output_dir, "1-round-offline")
        page.get_by_role("button", name="提交巡查").click()
        expect(page.locator("h1")).to_have_text("待发送")
        expect(page.locator(".net-outbox")).to_have_attribute("data-waiting", "1")

        page.locator(".mainnav").get_by_role("link", name="信息采集").click()
        expect(page.locator("h1")).to_have_text("信息采集")
        people = (("王小明", id_number("44030519800101123")), ("李红", id_number("44030519851231002")))
        person_form = page.locator("form.person-form")
        person_form.get_by_label("身份证号").fill("440305198001011230")
        person_form.get_by_label("姓名").fill("错号")
        person_form.get_by_role("button", name="添加成员").click()
        bad = person_form.locator('[data-field="id_number"] .field-error')
        expect(bad).to_have_text("身份证号的校验位不正确。")
        for name, number in people:
            person_form.get_by_label("姓名").fill(name)
            person_form.get_by_label("身份证号").fill(number)
            expect(person_form.locator(".id-masked")).to_contain_text(number[:4] + "**********" + number[-4:])
            person_form.get_by_role("button", name="添加成员").click()
        expect(page.locator(".person-list .person-card")).to_have_count(2)
        expect(page.locator(".person-list")).not_to_contain_text(people[0][1])
        household = page.locator("form.household-form")
        household.get_by_label("所在楼栋").select_option(building["id"])
        household.get_by_label("房号").fill("3 单元 502")
        household.get_by_label("居住性质").select_option("rented")
        check_accessibility(page)
        screenshot(page, output_dir, "2-household-offline")
        household.get_by_role("button", name="保存住户及成员").click()
        expect(page.locator("h1")).to_have_text("待发送")
        expect(page.locator(".net-outbox")).to_have_attribute("data-waiting", "2")
        assert counts(worker, cell["code"], "3 单元 502") == (0, 0, 0, 0)  # nothing left the phone
        page.reload()  # still offline: the service worker serves the app, IndexedDB keeps the outbox
        expect(page.locator("h1")).to_have_text("待发送")
        expect(page.locator(".net-outbox")).to_have_attribute("data-waiting", "2")

        context.set_offline(False)
        expect(page.locator(".net-outbox")).to_have_attribute("data-waiting", "0")
        expect(page.locator(".net-outbox")).to_have_attribute("data-attention", "0")
        expect(page.locator(".sent-list li")).to_have_count(2)
        screenshot(page, output_dir, "3-sent")
        assert counts(worker, cell["code"], "3 单元 502") == (1, 1, 1, 2)
        [case] = worker.get("/grid/cases", cell_code=cell["code"])
        assert case["source"] == "inspection"
        assert case["description"].endswith("楼梯间堆放杂物，堵塞安全出口。")
        assert (case["lon"], case["lat"]) == (round(lon, 6), round(lat, 6))
        [photo_url] = case["photos"]
        stored = Image.open(io.BytesIO(fetch_bytes(platform, token, photo_url)))
        assert stored.format == "JPEG" and len(stored.getexif()) == 0  # no EXIF at all, so no GPS
        assert not stored.getexif().get_ifd(GPS_IFD)
        thumbnail = Image.open(io.BytesIO(fetch_bytes(platform, token, f"{photo_url}/thumbnail")))
        assert max(thumbnail.size) == 320
        persons = worker.get("/grid/persons", cell_code=cell["code"])
        masked = sorted(number[:4] + "**********" + number[-4:] for _, number in people)
        assert sorted(p["id_number"] for p in persons) == masked

        statuses = page.evaluate("() => import('/static/web/field/outbox.js').then((m) => m.replaySent())")
        assert statuses and all(status in (200, 201) for status in statuses), statuses
        assert counts(worker, cell["code"], "3 单元 502") == (1, 1, 1, 2)  # the same keys: nothing new

        page.goto(f"{platform.url}/console/grid/cases/{case['number']}")  # the case as staff see it
        thumbnail_img = page.locator("img.photo-thumb")
        expect(thumbnail_img).to_have_attribute("src", re.compile(r"^data:image/jpeg;base64,"))
        assert errors == []
        assert hosts == {gateway}, hosts  # no base map configured: nothing leaves for another host
    finally:
        context.close()


def test_a_correction_to_a_record_changed_meanwhile_shows_both_versions(platform, browser, output_dir):
    cell = scenarios.grid_cell(platform)
    staff = platform.api(platform.token("window_clerk"))
    building = staff.post(
        "/grid/buildings",
        {"cell_code": cell["code"], "address": "海湾路 3 号", "floors": 5, "use": "residential"},
    )
    household = staff.post(
        "/grid/households", {"building_id": building["id"], "unit": "101", "tenure": "owned"}
    )
    person = staff.post(
        "/grid/persons",
        {
            "household_id": household["id"],
            "name": "赵建国",
            "id_number": id_number("44030519700505001"),
            "phone": "13800138000",
            "residency": "registered",
        },
    )
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        open_signed_in(page, f"{platform.url}/field/collect", platform.token("grid_worker"))
        page.locator(".persons-block > summary").click()
        row = page.locator(f'.person-card[data-person="{person["id"]}"]')
        row.get_by_role("button", name="修改").click()  # reads the record and its ETag
        expect(row.locator("form.person-edit")).to_be_visible()
        _, headers = staff.call("GET", f"/grid/persons/{person['id']}")
        staff.call(  # meanwhile the center changes the record
            "PATCH",
            f"/grid/persons/{person['id']}",
            {"phone": "13900139000"},
            headers={"If-Match": headers["ETag"]},
        )
        row.get_by_label("电话").fill("13700137000")
        row.get_by_label("户籍类别").select_option("floating")
        row.get_by_role("button", name="保存修改").click()
        expect(page.locator(".net-outbox")).to_have_attribute("data-attention", "1")
        page.locator(".mainnav").get_by_role("link", name="待发送").click()
        conflict = page.locator(".outbox-conflict table.conflict")
        expect(conflict.locator("tr", has_text="电话").locator("td.mine")).to_have_text("13700137000")
        expect(conflict.locator("tr", has_text="电话").locator("td.theirs")).to_have_text("139****9000")
        expect(conflict.locator("tr", has_text="户籍类别").locator("td.theirs")).to_have_text("户籍人口")
        check_accessibility(page)
        screenshot(page, output_dir, "conflict")
        page.get_by_role("button", name="以我的版本覆盖").click()
        expect(page.locator(".sent-list li")).to_have_count(1)  # sent over the server's version
        expect(page.locator(".net-outbox")).to_have_attribute("data-attention", "0")
        kept = staff.get(f"/grid/persons/{person['id']}")
        assert (kept["phone"], kept["residency"]) == ("137****7000", "floating")
    finally:
        context.close()
