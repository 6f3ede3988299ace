// Connect Four bot: wins when it can, blocks the opponent's immediate win, avoids giving the
// opponent a win on top of its own disc, and otherwise prefers central columns.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COLS = 7, ROWS = 6, ME = 1, THEM = 2 };

static int height[COLS];       // discs in each column
static int board[COLS][ROWS];  // 0 empty, ME or THEM; row 0 is the bottom
static const int by_centre[COLS] = {3, 2, 4, 1, 5, 0, 6}; // central columns lie on more lines

static int count(int c, int r, int dc, int dr, int who)
{
    int n = 0;
    for (c += dc, r += dr; c >= 0 && c < COLS && r >= 0 && r < ROWS && board[c][r] == who; c += dc, r += dr)
        n++;
    return n;
}

// Whether dropping a disc of `who` in column c makes four in a row.
static bool wins_at(int c, int who)
{
    static const int dirs[4][2] = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};
    int r = height[c];
    if (r == ROWS)
        return false;
    for (int d = 0; d < 4; d++)
        if (1 + count(c, r, dirs[d][0], dirs[d][1], who) + count(c, r, -dirs[d][0], -dirs[d][1], who) >= 4)
            return true;
    return false;
}

static int choose(void)
{
    for (int i = 0; i < COLS; i++)
        if (wins_at(by_centre[i], ME))
            return by_centre[i];
    for (int i = 0; i < COLS; i++)
        if (wins_at(by_centre[i], THEM))
            return by_centre[i];
    int fallback = -1;
    for (int i = 0; i < COLS; i++) {
        int c = by_centre[i];
        if (height[c] == ROWS)
            continue;
        if (fallback < 0)
            fallback = c;
        board[c][height[c]++] = ME; // try it: does it open the cell above for the opponent?
        bool gives = wins_at(c, THEM);
        board[c][--height[c]] = 0;
        if (!gives)
            return c;
    }
    return fallback; // every move loses: take the most central one
}

int main(void)
{
    char line[32];
    while (fgets(line, sizeof line, stdin)) {
        if (strncmp(line, "FIRST", 5) != 0) { // the opponent's column, 1-7
            int c = atoi(line) - 1;
            board[c][height[c]++] = THEM;
        }
        int c = choose();
        board[c][height[c]++] = ME;
        printf("%d\n", c + 1);
        fflush(stdout);
    }
    return 0;
}
