"""`python -m benchmarks.peers.fet FILE [--time-limit 120] [--workers 2] [--seed 1]`: one file solved
(`solve.main`)."""

from benchmarks.peers.fet.solve import main

if __name__ == "__main__":
    main()
