"""`app`: the Streamlit app installed with the package, in the browser."""

from __future__ import annotations

import sys
from pathlib import Path

from cli.common import EXIT_OK, UsageError


def cmd_app(args) -> int:
    """`streamlit run` on the app that is installed with this package (no checkout needed)."""
    import subprocess

    app = Path(__file__).resolve().parents[1] / "ui" / "app.py"
    if not app.is_file():
        raise UsageError(f"找不到应用文件 {app} / the app is not installed with this package")
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--server.headless",
        "true" if args.headless else "false",
    ]
    print(f"应用地址 the app: http://{args.address}:{args.port}（Ctrl-C 退出 to stop）", flush=True)
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return EXIT_OK
