"""Streamlit widgets that speak the session's language where Streamlit's own do not.

`st.file_uploader` writes "Drag and drop file here", "Limit 200MB per file" and "Browse files" in
English whatever the page's language; `uploader` puts the same widget on the page and, in Chinese
mode, replaces those words with Chinese ones by CSS (the words are drawn by the browser: nothing
changes in how the upload works).
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import lang, t

_CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] > div > span,
[data-testid="stFileUploaderDropzoneInstructions"] > div > small { font-size: 0 !important; line-height: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > span::after {
  content: "%(drop)s"; font-size: 1rem; line-height: 1.5; }
[data-testid="stFileUploaderDropzoneInstructions"] > div > small::after {
  content: "%(limit)s"; font-size: 0.8rem; line-height: 1.4; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]::after {
  content: "%(browse)s"; font-size: 0.875rem; }
</style>"""


def uploader(label: str, types: list[str], **kwargs):
    """`st.file_uploader` with its built-in English words in the session's language."""
    if lang() == "zh":
        exts = "、".join(x.upper() for x in types)
        st.html(_CSS % {"drop": t("up_drop"), "limit": t("up_limit", types=exts), "browse": t("up_browse")})
    return st.file_uploader(label, type=types, **kwargs)
