"""The CJK font every PDF and PNG is set in, found once.

The first of: `AFTERSCHOOL_CJK_FONT` (a .ttf/.ttc file with TrueType outlines), the WenQuanYi
Micro Hei font installed with the project (the `paperang-p2-fonts-cjk` package ships Debian's
`wqy-microhei.ttc`, Apache-2.0), then the system's (Debian/Ubuntu `fonts-wqy-microhei`, Noto/Droid
fallbacks, Windows' Microsoft YaHei / SimHei, macOS' Arial Unicode). PDFs embed it as a subset
(reportlab `TTFont`: only the glyphs used), so they print the same on any computer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONT_NAME = "AfterschoolCJK"  # the name PDFs register the font under

SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)


class FontMissing(RuntimeError):
    """No CJK font could be found: the message says how to install one."""


@dataclass(frozen=True)
class CJKFont:
    path: Path
    index: int = 0  # the face inside a .ttc collection


def _packaged() -> Path | None:
    try:
        import paperang_p2_fonts_cjk  # the WenQuanYi Micro Hei font, installed with the project
    except ImportError:
        return None
    path = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
    return path if path.is_file() else None


def candidates() -> list[Path]:
    out = []
    env = os.environ.get("AFTERSCHOOL_CJK_FONT")
    if env:
        out.append(Path(env))
    packaged = _packaged()
    if packaged:
        out.append(packaged)
    out += [Path(p) for p in SYSTEM_FONTS]
    return out


@cache
def cjk_font() -> CJKFont:
    """The CJK font to use; `FontMissing` (with how to fix it) when there is none."""
    env = os.environ.get("AFTERSCHOOL_CJK_FONT")
    if env and not Path(env).is_file():
        raise FontMissing(f"AFTERSCHOOL_CJK_FONT={env}: 文件不存在 / no such file")
    for path in candidates():
        if path.is_file():
            return CJKFont(path)
    raise FontMissing(
        "找不到中文字体：请重新安装本软件（pip install afterschool 会安装文泉驿微米黑字体），"
        "或安装 fonts-wqy-microhei，或设置 AFTERSCHOOL_CJK_FONT=字体文件.ttf / no CJK font found: "
        "reinstall the project (it installs WenQuanYi Micro Hei), install fonts-wqy-microhei, or set "
        "AFTERSCHOOL_CJK_FONT to a .ttf/.ttc file"
    )


def register_pdf_font() -> str:
    """Register the CJK font with reportlab (embedded as a subset) and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        f = cjk_font()
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(f.path), subfontIndex=f.index))
    return FONT_NAME


@cache
def pil_font(size: int):
    """The CJK font for Pillow at `size` pixels."""
    from PIL import ImageFont

    f = cjk_font()
    return ImageFont.truetype(str(f.path), size=size, index=f.index)
