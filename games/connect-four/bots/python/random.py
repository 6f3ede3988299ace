#!/usr/bin/env python3
"""Connect Four bot that drops its disc in a uniformly random column that is not full. Seeded from
ALGOSPORTS_SEED, so a match played again with the same seed plays out the same way.

No `import random`: this file's own name would shadow the module. It uses splitmix64, the same
generator as bots/c/random.c."""
import os
import sys

COLS, ROWS = 7, 6
MASK = (1 << 64) - 1
state = int(os.environ.get("ALGOSPORTS_SEED", "0"))


def next_random():
    global state
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


height = [0] * COLS
for line in sys.stdin:
    if not line.startswith("FIRST"):
        height[int(line) - 1] += 1
    open_cols = [c for c in range(COLS) if height[c] < ROWS]
    col = open_cols[next_random() % len(open_cols)]
    height[col] += 1
    print(col + 1, flush=True)
