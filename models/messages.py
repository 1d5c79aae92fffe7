"""One bilingual message: the Chinese and the English of what a problem, a violation, an
explanation or a compliance line says.

`str(text)` is the mixed form the files and the command line have always shown, Chinese first:
`"中文 / English"`. A few messages were joined differently (no space before the slash, or an
English word inside the Chinese half); they give that form as `sep` or, when the two halves are
not simply put side by side, as `joined`, so files and printed output stay byte-identical while
`in_lang` still gives one clean language (the Chinese app shows Chinese only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Text:
    zh: str
    en: str
    sep: str = " / "
    joined: str | None = None  # the mixed form, when it is not `zh + sep + en`

    def __str__(self) -> str:
        return self.joined if self.joined is not None else f"{self.zh}{self.sep}{self.en}"

    def in_lang(self, lang: str) -> str:
        """One language: English for "en", Chinese for anything else (the app's default)."""
        return self.en if lang == "en" else self.zh

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)


EMPTY = Text("", "")


def same(word: str) -> Text:
    """A word that reads the same in both languages (a name, an id); mixed, it is shown once."""
    return Text(word, word, joined=word)
