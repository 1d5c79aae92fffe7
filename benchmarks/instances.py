"""The benchmark instance set, generated once and stored as files (not seeds), so that runs
compare across versions: `python -m benchmarks.instances` (re)writes instances/bench/."""

from __future__ import annotations

import gzip
from pathlib import Path

from instances.generator import generate
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


def path(family: str, seed: int) -> Path:
    return BENCH / f"{family}-s{seed}.json.gz"


def main() -> None:
    BENCH.mkdir(parents=True, exist_ok=True)
    for family, (kind, n) in FAMILIES.items():
        for seed in SEEDS:
            text = dump_instance(generate(kind, n, seed)).encode("utf-8")
            # mtime 0: the same instance gives the same bytes, so git sees no change
            path(family, seed).write_bytes(gzip.compress(text, mtime=0))
            print(path(family, seed), len(text))


if __name__ == "__main__":
    main()
