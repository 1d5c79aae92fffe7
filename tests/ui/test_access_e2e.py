"""Access control in a real browser: the app on a "district server" (an `[auth]` secrets file) with an
offline OIDC provider (oidc-provider-mock, in a thread) and three users — the scheduler of school A,
the scheduler of school B and a viewer of school A. The scheduler of A logs in and cannot read or
change school B through any page, download or URL; the viewer cannot write (no save controls, and
the repository refuses). Run with `-m e2e`; skipped without /usr/bin/chromium or oidc_provider_mock."""

from __future__ import annotations

import copy
import json
import re
import secrets
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import Page, expect

from solver.baseline import baseline_plan
from store.access import LOCAL, AccessDenied, Actor, actor_from_claims
from store.db import open_repo
from tests.conftest import example_raw
from tests.ui import selectors as ui
from tests.ui.conftest import ROOT, _free_port, streamlit_server

pytestmark = pytest.mark.e2e
oidc_provider_mock = pytest.importorskip("oidc_provider_mock")
httpx = pytest.importorskip("httpx")

CLAIMS = {
    "sched-a": {"email": "sched-a@a.example", "name": "甲校排课员", "role": "scheduler", "school_id": "A"},
    "sched-b": {"email": "sched-b@b.example", "name": "乙校排课员", "role": "scheduler", "school_id": "B"},
    "view-a": {"email": "view-a@a.example", "name": "甲校查看者", "role": "viewer", "school_id": "A"},
}
SECRET_B = "乙校秘密老师"  # a name only school B's data holds


def _school_raw(sid: str, name: str) -> dict:
    raw = copy.deepcopy(example_raw())
    raw["school"] = {**raw["school"], "id": sid, "name": name}
    if sid == "B":
        raw["staff"][0]["name"] = SECRET_B
    return raw


@pytest.fixture(scope="module")
def provider():
    """The OIDC provider on a free port, with the three users' claims (role, school_id)."""
    with oidc_provider_mock.run_server_in_thread() as server:
        url = f"http://localhost:{server.server_port}"
        for sub, claims in CLAIMS.items():
            assert httpx.put(f"{url}/users/{quote(sub)}", json=claims).status_code == 204
        yield url


@pytest.fixture(scope="module")
def district(tmp_path_factory, provider):
    """A database with schools A and B (B with a plan), and the app started with `[auth]` secrets."""
    work = tmp_path_factory.mktemp("district")
    db = f"sqlite:///{work / 'district.db'}"
    repo = open_repo(db)
    ids = {}
    for sid, name in (("A", "甲校"), ("B", "乙校")):
        who = Actor(f"sched-{sid.lower()}", f"{name}排课员", "scheduler", sid)
        sc, _ = repo.create_scenario(who, sid, f"{name}秋季", _school_raw(sid, name), school_name=name)
        text = repo.get_version(who, sid, sc.id).text
        plan, _ = baseline_plan(_loaded(text))
        ids[sid] = (sc.id, repo.save_plan(who, sid, sc.id, 1, plan).id)
    port = _free_port()
    app_url = f"http://127.0.0.1:{port}"
    (work / ".streamlit").mkdir()
    (work / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "afterschool"\nclient_secret = "not-checked-by-the-mock"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        'expose_tokens = ["access"]\n',
        encoding="utf-8",
    )  # role and school re-read from the provider per session
    env = {"AFTERSCHOOL_DB_URL": db, "PYTHONPATH": str(ROOT)}
    with streamlit_server(port, work, env, "streamlit-district-server.log"):
        yield {"url": app_url, "db": db, "ids": ids, "repo": repo}


def _loaded(text: str):
    from models.load import load_bytes

    return load_bytes(text.encode("utf-8"), "seed")


@pytest.fixture
def browser_page(page: Page, district):
    """A fresh browser (its own cookies); requests leaving the machine are blocked and, from the app,
    fail the test (the provider's login page asks for a CDN stylesheet: blocked, not counted)."""
    outside: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
            return
        if "/oauth2/" not in (route.request.frame.url if route.request.frame else ""):
            outside.append(url)
        route.abort()

    page.context.route("**/*", guard)
    page.set_default_timeout(30_000)
    yield page
    assert not outside, f"requests left the machine: {outside[:5]}"


def login(page: Page, url: str, sub: str) -> None:
    page.goto(url)
    ui.wait_for_app(page)
    expect(page.get_by_text("请用区教育局统一身份认证登录")).to_be_visible()
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(rf"^{re.escape(url)}.*"))
    ui.wait_for_app(page)
    expect(page.get_by_test_id("stSidebarNav")).to_be_visible()
    expect(page.get_by_text(CLAIMS[sub]["name"]).first).to_be_visible()


def goto(page: Page, url: str) -> None:
    page.goto(url)
    ui.wait_for_app(page)


def menu(page: Page) -> list[str]:
    """The page titles on the sidebar menu (each link is "icon\n\ntitle")."""
    return [t.strip().split("\n")[-1] for t in page.get_by_test_id("stSidebarNav").locator("a").all_inner_texts()]


def download(page: Page, button) -> bytes:
    with page.expect_download() as d:
        button.click()
    return Path(d.value.path()).read_bytes()


def data_json(page: Page) -> dict:
    """What the Data page's "download the data (JSON)" gives this user."""
    return json.loads(
        download(
            page, page.get_by_test_id("stDownloadButton").filter(has_text="下载当前数据（JSON）").get_by_role("button")
        )
    )


def test_scheduler_of_a_cannot_reach_school_b(browser_page: Page, district):
    page, url = browser_page, district["url"]
    b_scenario, _b_plan = district["ids"]["B"]
    login(page, url, "sched-a")
    assert {"数据", "求解", "方案与版本"} <= set(menu(page))
    assert not {"审计日志", "区级运行"} & set(menu(page))
    mine = data_json(page)
    assert mine["school"]["id"] == "A" and SECRET_B not in json.dumps(mine, ensure_ascii=False)
    ui.shot(page, "access", "01-scheduler-a-data")

    ui.nav(page, "方案与版本")
    expect(page.get_by_text("甲校秋季").first).to_be_visible()
    assert "乙校秋季" not in page.content()
    exported = download(
        page, page.get_by_test_id("stDownloadButton").filter(has_text="导出 JSON").get_by_role("button")
    )
    assert json.loads(exported)["school"]["id"] == "A"
    plan = download(
        page, page.get_by_test_id("stDownloadButton").filter(has_text="导出结果 JSON").get_by_role("button")
    )
    assert json.loads(plan)["instance"]["school"] == "A"

    # URLs naming school B, its scenario or a page not on a scheduler's menu
    for path in (
        "/?school=B",
        f"/versions?scenario={b_scenario}",
        f"/versions?school=B&scenario={b_scenario}",
        f"/?scenario={b_scenario}&version=1",
    ):
        goto(page, url + path)
        body = page.content()
        assert "乙校秋季" not in body and SECRET_B not in body, path
        expect(page.get_by_text(re.compile("无权查看学校 B|没有方案")).first).to_be_visible()
    ui.shot(page, "access", "02-scheduler-a-url-to-b-refused")
    goto(page, url + "/")  # (the default page lives at /: a URL /data says "page not found")
    assert data_json(page)["school"]["id"] == "A"  # still A's data after every attempt
    goto(page, url + "/audit")  # not routed for a scheduler: "page not found", the default page instead
    expect(page.get_by_text("Page not found")).to_be_visible()
    expect(page.get_by_role("heading", name="审计日志")).to_have_count(0)

    # the scheduler writes their own school: a version with a message
    goto(page, url + "/")
    page.get_by_test_id("stPopover").get_by_role("button", name=re.compile("保存")).click()
    page.get_by_role("textbox", name="说明（可选）").fill("甲校：浏览器测试保存")
    page.get_by_role("textbox", name="说明（可选）").press("Enter")
    ui.wait_for_app(page)
    ui.click(page, "保存为新版本")
    expect(page.get_by_text("方案「甲校秋季」· v2").first).to_be_visible()

    repo = district["repo"]
    a_versions = repo.list_versions(LOCAL, "A", district["ids"]["A"][0])
    assert (a_versions[0].number, a_versions[0].created_by, a_versions[0].message) == (
        2,
        "sched-a",
        "甲校：浏览器测试保存",
    )
    assert repo.get_scenario(LOCAL, "B", b_scenario).head == 1  # B untouched
    refused = repo.list_audit(LOCAL, "B", action="denied")
    assert refused and {r.user_id for r in refused} == {"sched-a"}
    assert "sched-a" in {r.user_id for r in repo.list_audit(LOCAL, "A", action="login")}


def test_viewer_cannot_write(browser_page: Page, district):
    page, url = browser_page, district["url"]
    login(page, url, "view-a")
    assert "求解" not in menu(page) and "调整" not in menu(page)
    expect(page.get_by_text("只读：你的角色不能修改数据。")).to_be_visible()
    expect(page.get_by_role("button", name="载入示例学校")).to_be_disabled()
    expect(page.get_by_test_id("stPopover")).to_have_count(0)  # no Save
    expect(page.get_by_test_id("stFileUploaderDropzone").locator("button")).to_be_disabled()
    assert data_json(page)["school"]["id"] == "A"  # reading is allowed
    ui.shot(page, "access", "03-viewer-a-data")
    ui.nav(page, "方案与版本")
    expect(page.get_by_role("button", name="恢复为新版本")).to_be_disabled()
    expect(page.get_by_role("button", name="标为已发布")).to_be_disabled()
    goto(page, url + "/solve")
    expect(page.get_by_role("button", name="开始求解")).to_have_count(0)
    # and the server refuses the viewer's writes whatever the browser sends
    viewer = actor_from_claims({"sub": "view-a", **CLAIMS["view-a"]})
    repo = district["repo"]
    a_scenario = district["ids"]["A"][0]
    with pytest.raises(AccessDenied):
        repo.save_version(
            viewer, "A", a_scenario, example_raw(), based_on=repo.get_scenario(viewer, "A", a_scenario).head
        )
    with pytest.raises(AccessDenied):
        repo.publish_plan(viewer, "A", a_scenario, district["ids"]["A"][1])


def test_scheduler_of_b_sees_b(browser_page: Page, district):
    page, url = browser_page, district["url"]
    login(page, url, "sched-b")
    theirs = data_json(page)
    assert theirs["school"]["id"] == "B" and SECRET_B in json.dumps(theirs, ensure_ascii=False)
    ui.nav(page, "方案与版本")
    expect(page.get_by_text("乙校秋季").first).to_be_visible()
    assert "甲校秋季" not in page.content()
    ui.shot(page, "access", "04-scheduler-b-versions")


def test_role_is_re_read_from_the_provider_each_session(browser_page: Page, district, provider):
    """The login cookie keeps the claims of login time; a role taken away at the provider must not
    last: each new session asks the provider again (userinfo with the login's access token)."""
    page, url = browser_page, district["url"]
    login(page, url, "view-a")
    try:
        assert httpx.put(f"{provider}/users/view-a", json={**CLAIMS["view-a"], "role": "none"}).status_code == 204
        again = page.context.new_page()  # same browser, same cookie: a new session
        goto(again, url)
        expect(again.get_by_text(re.compile("没有分配角色")).first).to_be_visible()
        expect(again.get_by_test_id("stSidebarNav")).to_have_count(0)
        again.close()
    finally:
        assert httpx.put(f"{provider}/users/view-a", json=CLAIMS["view-a"]).status_code == 204
