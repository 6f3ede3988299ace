#!/usr/bin/env python3
"""Connect Four bot: wins when it can, blocks the opponent's immediate win, avoids giving the
opponent a win on top of its own disc, and otherwise prefers central columns."""
import sys

COLS, ROWS = 7, 6
ME, THEM = 1, 2
BY_CENTRE = [3, 2, 4, 1, 5, 0, 6]  # central columns lie on more lines

board = [[] for _ in range(COLS)]  # each column's discs, bottom first


def cell(c, r):
    return board[c][r] if 0 <= c < COLS and 0 <= r < len(board[c]) else 0


def wins_at(c, who):
    """Whether dropping a disc of `who` in column c makes four in a row."""
    r = len(board[c])
    if r == ROWS:
        return False
    for dc, dr in ((1, 0), (0, 1), (1, 1), (1, -1)):
        run = 1
        for sign in (1, -1):
            k = 1
            while cell(c + sign * k * dc, r + sign * k * dr) == who:
                run += 1
                k += 1
        if run >= 4:
            return True
    return False


def choose():
    for who in (ME, THEM):  # win, else block
        for c in BY_CENTRE:
            if wins_at(c, who):
                return c
    open_cols = [c for c in BY_CENTRE if len(board[c]) < ROWS]
    for c in open_cols:
        board[c].append(ME)  # try it: does it open the cell above for the opponent?
        gives = wins_at(c, THEM)
        board[c].pop()
        if not gives:
            return c
    return open_cols[0]  # every move loses: take the most central one


for line in sys.stdin:
    if not line.startswith("FIRST"):
        board[int(line) - 1].append(THEM)  # the opponent's column, 1-7
    col = choose()
    board[col].append(ME)
    print(col + 1, flush=True)
