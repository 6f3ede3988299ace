#!/usr/bin/env python3
"""Light Cycles bot: never drives into a wall or a trail when it can help it, and goes where the
most cells are still reachable (a flood fill), halving that room when another head could reach the
same cell this turn (meeting head-on kills both). Ties go to the cell with fewer free neighbours:
hugging walls and trails wastes less room."""
import sys

MOVES = {"U": (0, -1), "D": (0, 1), "L": (-1, 0), "R": (1, 0)}


def choose(w, h, me, heads, grid):
    def is_free(x, y):
        return 0 <= x < w and 0 <= y < h and grid[y][x] == "."

    def room(x, y):
        """Free cells reachable from the free cell (x, y), itself included."""
        seen, stack = {(x, y)}, [(x, y)]
        while stack:
            cx, cy = stack.pop()
            for dx, dy in MOVES.values():
                cell = (cx + dx, cy + dy)
                if is_free(*cell) and cell not in seen:
                    seen.add(cell)
                    stack.append(cell)
        return len(seen)

    def contested(x, y):
        """Whether another living cycle's head is next to (x, y)."""
        return any(q != me and hx >= 0 and abs(x - hx) + abs(y - hy) == 1
                   for q, (hx, hy) in enumerate(heads, 1))

    best, best_key = "U", None  # boxed in: every move dies
    mx, my = heads[me - 1]
    for name, (dx, dy) in MOVES.items():
        x, y = mx + dx, my + dy
        if not is_free(x, y):
            continue
        r = room(x, y) // 2 if contested(x, y) else room(x, y)
        free_neighbours = sum(is_free(x + ex, y + ey) for ex, ey in MOVES.values())
        key = (r, -free_neighbours)
        if best_key is None or key > best_key:
            best, best_key = name, key
    return best


def main():
    while header := sys.stdin.readline():
        w, h, players, me, turn = map(int, header.split())
        heads = [tuple(map(int, sys.stdin.readline().split())) for _ in range(players)]
        grid = [sys.stdin.readline().strip() for _ in range(h)]
        print(choose(w, h, me, heads, grid), flush=True)


main()
