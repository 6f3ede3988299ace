#!/usr/bin/env python3
"""Light Cycles bot that takes a uniformly random move among those that do not crash at once.
Seeded from ALGOSPORTS_SEED, so a match played again with the same seed plays out the same way.

No `import random`: this file's own name would shadow the module. It uses splitmix64, the same
generator as bots/c/random.c."""
import os
import sys

MOVES = {"U": (0, -1), "D": (0, 1), "L": (-1, 0), "R": (1, 0)}
MASK = (1 << 64) - 1
state = int(os.environ.get("ALGOSPORTS_SEED", "0"))


def next_random():
    global state
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


while header := sys.stdin.readline():
    w, h, players, me, turn = map(int, header.split())
    heads = [tuple(map(int, sys.stdin.readline().split())) for _ in range(players)]
    grid = [sys.stdin.readline().strip() for _ in range(h)]
    x, y = heads[me - 1]
    safe = [name for name, (dx, dy) in MOVES.items()
            if 0 <= x + dx < w and 0 <= y + dy < h and grid[y + dy][x + dx] == "."]
    print(safe[next_random() % len(safe)] if safe else "U", flush=True)  # boxed in: every move dies
