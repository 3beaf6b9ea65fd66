"""Reference data: one default service-center scheme per community, loaded once."""

from datetime import datetime
from zoneinfo import ZoneInfo

from deploy.demo.evaluation_reference import load_reference_data


def test_reference_data_loads_each_communitys_scheme_once(evaluation, people):
    load_reference_data(evaluation.runtime)
    load_reference_data(evaluation.runtime)
    assert evaluation.count("schemes") == 7
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    listed = evaluation.client.get(
        f"/schemes?community=huaguoshan&year={year}", headers=people["resident"]
    ).get_json()
    [scheme] = listed
    assert scheme["title"] == "花果山社区服务中心年度多元化绩效评估"
    assert (scheme["status"], scheme["contract_id"], scheme["version"]) == ("draft", None, 1)
    assert [p["weight"] for p in scheme["parties"]] == [0.5, 0.2, 0.2, 0.1]
    assert [d["code"] for d in scheme["dimensions"]] == [
        "process",
        "output",
        "outcome",
        "satisfaction",
        "finance",
    ]
