"""Reading and writing files so that nothing is lost.

Writing goes to a temporary file in the same folder, then a rename. A failed write (disk full, no
permission, a crash half-way) leaves the old file whole; readers never see half a file. Every file
the project writes goes through `write_atomic`; `read_bytes` reads one (a .gz file's content) or
says in an InputRejected why it cannot.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import tempfile
from pathlib import Path

from models.messages import Text
from models.problems import InputRejected, Problem, Report


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write `data` (text is UTF-8) to `path` via a temporary file and `os.replace`; make the folder."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):  # keep the old file's permissions where there is one
            os.chmod(tmp, out.stat().st_mode & 0o7777 if out.exists() else 0o644)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return out


def check_writable(path: str | Path, what: str = "output") -> None:
    """Fail early (InputRejected, exit 2) when `path` cannot be written: before any long work.

    Checks what can be checked without touching the file itself: not a folder, and a file can be
    made in the nearest existing parent folder.
    """
    out = Path(path)
    zh = en = None
    if str(path).strip() == "":
        zh, en = "输出路径为空。", "the output path is empty."
    elif out.is_dir():
        zh, en = "输出路径是一个文件夹。", "the output path is a folder."
    else:
        parent = out.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            zh, en = f"{parent} 不是文件夹。", f"{parent} is not a folder."
        else:
            try:  # the real test: can a file be made there (permissions, read-only disks, ...)
                fd, tmp = tempfile.mkstemp(prefix=".afterschool-probe.", dir=parent)
                os.close(fd)
                os.unlink(tmp)
            except OSError as exc:
                zh, en = f"无法在 {parent} 中写文件：{exc.strerror}。", f"cannot write in {parent}: {exc.strerror}."
    if zh is not None and en is not None:  # set together
        raise InputRejected(
            Report(
                str(path),
                [
                    Problem(
                        "FMT-FILE",
                        what,
                        None,
                        Text(zh, en),
                        Text("换一个可写的输出路径。", "choose a writable output path."),
                    )
                ],
            )
        )


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes (a .gz file's content), or InputRejected saying why it cannot be read."""
    p = Path(path)
    try:
        data = p.read_bytes()
        if p.suffix == ".gz":
            data = gzip.decompress(data)
        return data
    except FileNotFoundError:
        zh, en = "文件不存在。", "file not found."
    except IsADirectoryError:
        zh, en = "这是一个文件夹，不是文件。", "this is a folder, not a file."
    except PermissionError:
        zh, en = "没有读取权限。", "permission denied."
    except OSError as exc:  # also a corrupt .gz (gzip.BadGzipFile is an OSError)
        zh, en = f"无法读取：{exc.strerror or exc}。", f"cannot read: {exc.strerror or exc}."
    except EOFError:
        zh, en = "压缩文件不完整。", "the compressed file is truncated."
    raise InputRejected(Report(str(path), [Problem("FMT-FILE", "file", None, Text(zh, en))]))
