"""The scheduler's app: `streamlit run ui/app.py`. A router: session set-up, the sidebar (language,
data and plan status, a running solve), and the pages in `ui/app_pages/`."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run ui/app.py` puts ui/ on the path, not the project
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import state  # noqa: E402
from ui.i18n import LANGS, t  # noqa: E402

log = logging.getLogger("afterschool.ui")

st.set_page_config(page_title="课后服务排课 · After-school planner", layout="wide")
state.init()
state.harvest()

# Page icons are emoji: the active page's icon becomes the tab's favicon, and a :material/…: one is
# fetched from fonts.gstatic.com (the app must work offline); an emoji favicon is drawn locally.
PAGES = [
    ("app_pages/data.py", "page_data", "📋", "data"),
    ("app_pages/policy.py", "page_policy", "📜", "policy"),
    ("app_pages/solve.py", "page_solve", "⚙️", "solve"),
    ("app_pages/timetable.py", "page_timetable", "🗓️", "timetable"),
    ("app_pages/adjust.py", "page_adjust", "✏️", "adjust"),
    ("app_pages/compliance.py", "page_compliance", "✅", "compliance"),
    ("app_pages/export.py", "page_export", "📤", "export"),
    ("app_pages/district.py", "page_district", "🏫", "district"),
]
pages = [st.Page(path, title=t(key), icon=icon, url_path=url, default=(url == "data")) for path, key, icon, url in PAGES]

with st.sidebar:
    st.markdown(f"### :material/calendar_month: {t('app_title')}")
    st.caption(t("app_caption"))
    st.segmented_control(t("language"), list(LANGS), format_func=LANGS.__getitem__, key="lang", required=True,
                         on_change=state.restart_editors)
    status = st.container()  # filled after the page: it then includes the edit this run made

page = st.navigation(pages)
try:
    page.run()
except Exception as exc:  # bad data must never end in a traceback; Streamlit's own control flow is BaseException
    log.exception("page %s failed", page.url_path)
    st.error(t("page_error", err=f"{type(exc).__name__}: {exc}"))
finally:  # also after a page's st.stop()
    with status:
        state.sidebar_status()
