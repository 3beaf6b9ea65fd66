"""Reference data: complete, valid and loaded only once."""

from deploy.demo import contracts_reference as demo
from deploy.demo.contracts_catalogue import HUAGUOSHAN_ORGANIZATIONS, PACKAGES
from services.contracts import domain


def test_reference_data_loads_once(service, token):
    harness = service("contracts")
    demo.load_reference_data(harness.runtime)
    counts = {
        t: harness.count(t) for t in ("service_packages", "providers", "budgets", "budget_lines", "accounts")
    }
    assert counts["service_packages"] == 15 * 7
    assert counts["providers"] == 7 + 18
    assert counts["budgets"] == 7 and counts["budget_lines"] == 14
    demo.load_reference_data(harness.runtime)
    assert {t: harness.count(t) for t in counts} == counts


def test_catalogue_names_the_articles_three_packages_first():
    names = [name for _, name, _, _ in PACKAGES]
    assert names[:3] == ["社区公共文化服务", "网格化排查和化解服务", "网格化信息采集服务"]
    assert len(set(names)) == 15
    assert all(deliverables for _, _, _, deliverables in PACKAGES)
    assert len(HUAGUOSHAN_ORGANIZATIONS) == 18 and "四海情老年大学" in HUAGUOSHAN_ORGANIZATIONS


def test_generated_codes_are_valid_and_distinct():
    codes = [demo.demo_uscc("2", n) for n in range(1000, 1050)]
    assert all(domain.uscc_problem(c) is None for c in codes)
    assert len(set(codes)) == len(codes)
