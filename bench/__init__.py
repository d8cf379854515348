"""The benchmark suite: scale data (seeding), in-process measurements (run) and load (load)."""
