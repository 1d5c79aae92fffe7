"""Install anywhere: build a wheel, install it into a clean virtual environment outside the
repository, and run what a new user runs there — `afterschool --version`, the demo (validate,
solve, check, the guide, attendance sheets and parents' notices), the district demo's file, and the
app itself (Streamlit's AppTest on the installed `ui/app.py`).

Runs in CI (`make test`); it reuses pip's cache, so after `make setup` it installs without
downloading the dependencies again (about a minute). `AFTERSCHOOL_SKIP_WHEEL=1` skips it locally.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pypdfium2 as pdfium
import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(os.environ.get("AFTERSCHOOL_SKIP_WHEEL") == "1", reason="AFTERSCHOOL_SKIP_WHEEL=1")


def _run(cmd: list, cwd: Path, env: dict, timeout: int = 900) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{cmd}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, a work folder outside the repository, the environment to run in)."""
    tmp = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["HOME"] = str(tmp / "home")  # the app's SQLite file goes here, not into the user's home
    env.pop("AFTERSCHOOL_DB_URL", None)
    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, ROOT], tmp, env)
    wheels = list(dist.glob("afterschool-*.whl"))
    assert len(wheels) == 1
    target = tmp / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    bindir = target / ("Scripts" if os.name == "nt" else "bin")
    _run([bindir / "python", "-m", "pip", "install", "--quiet", "-c", ROOT / "constraints.txt", wheels[0]], tmp, env)
    work = tmp / "work"
    work.mkdir()
    return bindir, work, env


def test_installed_package_lives_outside_the_repository(installed):
    bindir, work, env = installed
    r = _run([bindir / "python", "-c", "import solver, ui, instances; print(solver.__file__)"], work, env)
    assert str(ROOT) not in r.stdout and "site-packages" in r.stdout
    r = _run([bindir / "afterschool", "--version"], work, env)
    assert r.stdout.startswith("afterschool 0.")


def test_demo_solve_and_exports_from_the_wheel(installed):
    bindir, work, env = installed
    r = _run([bindir / "afterschool", "demo", "-o", work / "demo", "--time-limit", "10"], work, env)
    assert "演示完成" in r.stdout
    pdf = pdfium.PdfDocument((work / "demo" / "notices-3-1.pdf").read_bytes())
    text = pdf[0].get_textpage().get_text_range()
    assert "家长告知书" in text and "韩子涵" in text  # the demo roster and the font came with the wheel
    assert (work / "demo" / "guide.pdf").stat().st_size > 10_000


def test_data_files_ship(installed):
    bindir, work, env = installed
    code = textwrap.dedent("""
        import json
        from pathlib import Path
        import ui, instances
        from instances.demo import demo_files
        from solver.district.load import load_district
        from export.fonts import cjk_font
        files = demo_files()
        assert all(p.is_file() for p in files.values()), files
        LD = load_district(files["district"])
        assert len(LD.district.schools) >= 2
        rules = json.loads((Path(ui.__file__).parent / "policy_text.json").read_text(encoding="utf-8"))
        assert rules
        assert "paperang_p2_fonts_cjk" in str(cjk_font().path) or Path(cjk_font().path).is_file()
        print("ok")
    """)
    r = _run([bindir / "python", "-c", code], work, env)
    assert r.stdout.strip().endswith("ok")


def test_the_installed_app_runs(installed):
    bindir, work, env = installed
    code = textwrap.dedent("""
        from pathlib import Path
        import ui
        from streamlit.testing.v1 import AppTest
        app = Path(ui.__file__).parent / "app.py"
        at = AppTest.from_file(str(app), default_timeout=120).run()
        assert not at.exception, [e.message for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        for page in ("app_pages/policy.py", "app_pages/district.py"):
            at.switch_page(page).run()
            assert not at.exception, (page, [e.message for e in at.exception])
            assert not at.error, (page, [e.value for e in at.error])
        print("ok", len(at.markdown))
    """)
    r = _run([bindir / "python", "-c", code], work, env)
    assert r.stdout.strip().startswith("ok")
