"""Streamlit widgets that speak the session's language where Streamlit's own do not.

`st.file_uploader` writes "Upload" and "200MB per file • JSON, XLSX" in English whatever the
page's language; `uploader` puts the same widget on the page and, in Chinese
mode, replaces those words with Chinese ones by CSS (the words are drawn by the browser: nothing
changes in how the upload works).
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import lang, t

_CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0 !important; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "%(limit)s"; font-size: 0.8rem; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p::after {
  content: "%(browse)s"; font-size: 0.875rem; }
</style>"""


def uploader(label: str, types: list[str], **kwargs):
    """`st.file_uploader` with its built-in English words in the session's language."""
    if lang() == "zh":
        exts = "、".join(x.upper() for x in types)
        st.html(_CSS % {"limit": t("up_limit", types=exts), "browse": t("up_browse")})
    return st.file_uploader(label, type=types, **kwargs)
