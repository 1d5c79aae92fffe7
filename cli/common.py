"""What every command shares: the exit codes, the usage error, warnings printed, files written safely."""

from __future__ import annotations

EXIT_OK, EXIT_INVALID, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_NO_PLAN_IN_TIME = 4  # `solve`: no plan within the time limit (not a bug: give it more time)
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, the shells' convention)


class UsageError(Exception):
    pass


def print_warnings(loaded, quiet: bool = False) -> None:
    if loaded.warnings and not quiet:
        print(f"{len(loaded.warnings)} 个警告 warnings（不影响加载 / loading continues）:")
        for w in loaded.warnings:
            print(w.render())


def write(path: str, text: str | bytes) -> None:
    from models.files import write_atomic  # temp file + rename: a failed write leaves the old file whole

    write_atomic(path, text)


def writable(path: str) -> None:
    """A bad output path fails now, with exit 2, not after the whole solve."""
    from models.files import check_writable

    check_writable(path)


def positive_finite(value: float) -> bool:
    import math

    return math.isfinite(value) and value > 0
