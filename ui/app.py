"""The scheduler's app: `streamlit run ui/app.py`. A router: login and roles (server mode), session
set-up (the latest saved scenario), the sidebar (language, who, data, scenario and save, plan status,
a running solve), the pages in `ui/app_pages/` that the user's role may see, and the automatic save
after each run."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run ui/app.py` puts ui/ on the path, not the project
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui import session, solving, storage, widgets  # noqa: E402
from ui.i18n import LANGS, t  # noqa: E402

log = logging.getLogger("afterschool.ui")

st.set_page_config(page_title="课后服务排课 · After-school planner", layout="wide")
st.session_state.setdefault("lang", "zh")
who = storage.gate()  # server mode: the login screen until logged in with a role
try:
    storage.start_session()
    storage.apply_query_params()
except Exception as exc:  # the database cannot be opened: say so, never a traceback
    log.exception("storage failed")
    st.error(t("db_error", err=f"{type(exc).__name__}: {exc}"))
    st.stop()
solving.harvest()

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
    ("app_pages/versions.py", "page_versions", "🗂️", "versions"),
    ("app_pages/district.py", "page_district", "🏫", "district"),
    ("app_pages/audit.py", "page_audit", "🔎", "audit"),
]
# What each role sees (st.navigation routes only to these: a URL to another page shows the default).
# The repository enforces the same scope on every call; this only keeps the menu honest.
READ_PAGES = {"data", "policy", "timetable", "compliance", "export", "versions"}
ALLOWED = {
    "local": {p[3] for p in PAGES},
    "scheduler": {p[3] for p in PAGES} - {"district", "audit"},
    "viewer": READ_PAGES,
    "district_admin": READ_PAGES | {"district", "audit"},
}
allowed = ALLOWED[who.role]
if st.session_state.get("store_no_data"):  # a reader whose school has nothing saved yet
    allowed = allowed & {"versions", "district", "audit"}
default = "data" if "data" in allowed else "versions"
shown = [(path, key, icon, url) for path, key, icon, url in PAGES if url in allowed]
pages = [
    st.Page(path, title=t(key), icon=icon, url_path=url, default=(url == default)) for path, key, icon, url in shown
]

with st.sidebar:
    st.markdown(f"### :material/calendar_month: {t('app_title')}")
    st.caption(t("app_caption"))
    st.segmented_control(
        t("language"),
        list(LANGS),
        format_func=LANGS.__getitem__,
        key="lang",
        required=True,
        on_change=session.restart_editors,
    )
    status = st.container()  # filled after the page: it then includes the edit this run made

page = st.navigation(pages)
# which page this is (the default page's url_path is "": it lives at the root URL)
here = next((s[3] for s, p in zip(shown, pages, strict=True) if p is page), page.url_path)
try:
    if st.session_state.get("store_no_data") and here == "versions":
        st.info(t("no_data_yet"))
    elif not storage.writable() and here in ("data", "policy"):
        st.caption(":material/visibility: " + t("read_only"))
    page.run()
except Exception as exc:  # bad data must never end in a traceback; Streamlit's own control flow is BaseException
    log.exception("page %s failed", here)
    st.error(t("page_error", err=f"{type(exc).__name__}: {exc}"))
finally:  # also after a page's st.stop()
    try:
        changed = st.session_state.get("store_page") != here
        st.session_state["store_page"] = here
        storage.autosave(page_changed=changed)
    except Exception:  # the sidebar says what could not be saved
        log.exception("autosave failed")
    with status:
        widgets.sidebar_status()
        storage.sidebar()
        st.caption(storage.mode_caption())
