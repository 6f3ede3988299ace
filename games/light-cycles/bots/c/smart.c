// Light Cycles bot: never drives into a wall or a trail when it can help it, and goes where the
// most cells are still reachable (a flood fill), halving that room when another head could reach
// the same cell this turn (meeting head-on kills both). Ties go to the cell with fewer free
// neighbours: hugging walls and trails wastes less room.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { MAX_SIDE = 64, MAX_PLAYERS = 4 };

static int w, h, players, me;
static int hx[MAX_PLAYERS + 1], hy[MAX_PLAYERS + 1];
static char grid[MAX_SIDE][MAX_SIDE + 1];
static const char names[4] = {'U', 'D', 'L', 'R'};
static const int dx[4] = {0, 0, -1, 1}, dy[4] = {-1, 1, 0, 0};

static bool is_free(int x, int y)
{
    return x >= 0 && x < w && y >= 0 && y < h && grid[y][x] == '.';
}

// Free cells reachable from the free cell (x, y), itself included.
static int room(int x, int y)
{
    static bool seen[MAX_SIDE][MAX_SIDE];
    static int stack[MAX_SIDE * MAX_SIDE][2];
    memset(seen, 0, sizeof seen);
    int top = 0, count = 0;
    seen[y][x] = true;
    stack[top][0] = x;
    stack[top++][1] = y;
    while (top > 0) {
        top--;
        int cx = stack[top][0], cy = stack[top][1];
        count++;
        for (int d = 0; d < 4; d++) {
            int nx = cx + dx[d], ny = cy + dy[d];
            if (is_free(nx, ny) && !seen[ny][nx]) {
                seen[ny][nx] = true;
                stack[top][0] = nx;
                stack[top++][1] = ny;
            }
        }
    }
    return count;
}

// Whether another living cycle's head is next to (x, y).
static bool contested(int x, int y)
{
    for (int q = 1; q <= players; q++)
        if (q != me && hx[q] >= 0 && (x - hx[q]) * (x - hx[q]) + (y - hy[q]) * (y - hy[q]) == 1)
            return true;
    return false;
}

static int free_neighbours(int x, int y)
{
    int n = 0;
    for (int d = 0; d < 4; d++)
        n += is_free(x + dx[d], y + dy[d]);
    return n;
}

static char choose(void)
{
    char best = 'U'; // boxed in: every move dies
    int best_room = 0, best_free = 0;
    for (int d = 0; d < 4; d++) {
        int x = hx[me] + dx[d], y = hy[me] + dy[d];
        if (!is_free(x, y))
            continue;
        int r = contested(x, y) ? room(x, y) / 2 : room(x, y), f = free_neighbours(x, y);
        if (r > best_room || (r == best_room && f < best_free)) {
            best = names[d];
            best_room = r;
            best_free = f;
        }
    }
    return best;
}

int main(void)
{
    int turn;
    while (scanf("%d %d %d %d %d", &w, &h, &players, &me, &turn) == 5) {
        if (w < 1 || w > MAX_SIDE || h < 1 || h > MAX_SIDE || players < 1 || players > MAX_PLAYERS)
            return 1;
        for (int q = 1; q <= players; q++)
            if (scanf("%d %d", &hx[q], &hy[q]) != 2)
                return 1;
        for (int y = 0; y < h; y++)
            if (scanf("%64s", grid[y]) != 1)
                return 1;
        printf("%c\n", choose());
        fflush(stdout);
    }
    return 0;
}
