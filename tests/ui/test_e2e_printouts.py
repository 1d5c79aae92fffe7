"""In a real browser (Playwright + Debian's chromium): a class teacher's printouts from the app —
the demo roster, the parents' notices and the class picture downloaded and read back; the
uploader speaks Chinese. Screenshots under test-artifacts/printouts/."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from playwright.sync_api import Page, expect

from tests.ui import selectors as ui
from tests.ui.test_e2e import app  # noqa: F401 (the fixture: the app on the demo school, offline)

pytestmark = pytest.mark.e2e


def _download(page: Page, label: str):
    with page.expect_download() as download:
        page.get_by_role("button", name=label, exact=True).first.click()
    path = ui.ARTIFACTS / "printouts" / download.value.suggested_filename
    path.parent.mkdir(parents=True, exist_ok=True)
    download.value.save_as(path)
    return path


def test_named_notices_and_pictures_from_the_app(app: Page):  # noqa: F811
    page = app
    drop = page.get_by_test_id("stFileUploaderDropzoneInstructions").first
    expect(drop).to_be_visible()
    # the words come from a style element the page writes next to the uploader: wait until it applies
    page.wait_for_function(
        """() => { const e = document.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
                   return e && getComputedStyle(e, '::after').content.includes('拖入文件或点击上传'); }""",
        timeout=15_000,
    )
    after = drop.locator("span").first.evaluate("e => getComputedStyle(e, '::after').content")
    assert "拖入文件或点击上传" in after and "JSON、XLSX" in after
    button = page.get_by_test_id("stFileUploaderDropzone").first.locator("button p").first
    assert "上传" in button.evaluate("e => getComputedStyle(e, '::after').content")
    ui.shot(page, "printouts", "01-data-uploader")

    ui.nav(page, "求解")
    ui.number(page, "时间限制（秒）", 10)
    ui.click(page, "开始求解")
    expect(page.get_by_text("求解完成")).to_be_visible(timeout=90_000)

    ui.nav(page, "导出")
    ui.click(page, "用示例花名册")
    expect(page.get_by_text("已载入花名册 example-roster.csv：40 名学生")).to_be_visible()
    ui.shot(page, "printouts", "02-export-roster")
    notices = _download(page, "家长告知书 PDF")
    pdf = pdfium.PdfDocument(notices.read_bytes())
    first = pdf[0].get_textpage().get_text_range()
    assert "家长告知书" in first and "韩子涵" in first and "接孩子时间" in first and "第 1 页 / 共" in first
    picture = _download(page, "班级课表图片")
    assert picture.read_bytes().startswith(b"\x89PNG")
