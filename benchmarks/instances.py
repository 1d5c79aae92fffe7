"""The benchmark instance sets, generated once and stored as files (not seeds), so that runs
compare across versions: `python -m benchmarks.instances` (re)writes instances/bench/.

- `instances/bench/*.json.gz`: the classic set of the default generator (5 families × 3 seeds);
- `instances/bench/profiles/`: schools of the other profiles (instances/profiles.py), seed 1:
  the set tuning may look at;
- `instances/bench/heldout/`: the same profiles with seeds 101 and 102: benchmarks report them,
  tuning never looks at them (issue 13: schools we did not design).
"""

from __future__ import annotations

import gzip
from pathlib import Path

from instances.generator import generate
from instances.profiles import PROFILES, generate_profile
from models.load import dump_instance

BENCH = Path(__file__).resolve().parents[1] / "instances" / "bench"

# family: (kind, students); three seeds each (issue 4)
FAMILIES = {
    "S-primary": ("primary", 300),
    "M-primary": ("primary", 1500),
    "M-junior": ("junior", 1200),
    "L-nine_year": ("nine_year", 3000),
    "XL-nine_year": ("nine_year", 6000),
}
SEEDS = (1, 2, 3)
PROFILE_SEEDS = {"profiles": (1,), "heldout": (101, 102)}


def path(family: str, seed: int) -> Path:
    return BENCH / f"{family}-s{seed}.json.gz"


def profile_path(group: str, profile: str, seed: int) -> Path:
    return BENCH / group / f"{profile}-s{seed}.json.gz"


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # mtime 0: the same instance gives the same bytes, so git sees no change
    target.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(target, len(text))


def main(which: tuple[str, ...] = ("classic", "profiles", "heldout")) -> None:
    if "classic" in which:
        for family, (kind, n) in FAMILIES.items():
            for seed in SEEDS:
                _write(path(family, seed), dump_instance(generate(kind, n, seed)))
    for group, seeds in PROFILE_SEEDS.items():
        if group in which:
            for profile in PROFILES:
                for seed in seeds:
                    _write(profile_path(group, profile, seed), dump_instance(generate_profile(profile, seed)))


if __name__ == "__main__":
    import sys

    main(tuple(sys.argv[1:]) or ("classic", "profiles", "heldout"))
