// Light Cycles bot that takes a uniformly random move among those that do not crash at once.
// Seeded from ALGOSPORTS_SEED, so a match played again with the same seed plays out the same way.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { MAX_SIDE = 64, MAX_PLAYERS = 4 };

static uint64_t state;

// splitmix64: tiny and good enough; bots/python/random.py uses the same generator.
static uint64_t next_random(void)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

int main(void)
{
    const char *seed = getenv("ALGOSPORTS_SEED");
    state = seed ? strtoull(seed, NULL, 10) : 0;
    static const char names[4] = {'U', 'D', 'L', 'R'};
    static const int dx[4] = {0, 0, -1, 1}, dy[4] = {-1, 1, 0, 0};
    int w, h, players, me, turn, hx[MAX_PLAYERS + 1], hy[MAX_PLAYERS + 1];
    char grid[MAX_SIDE][MAX_SIDE + 1];
    while (scanf("%d %d %d %d %d", &w, &h, &players, &me, &turn) == 5) {
        if (w < 1 || w > MAX_SIDE || h < 1 || h > MAX_SIDE || players < 1 || players > MAX_PLAYERS)
            return 1;
        for (int q = 1; q <= players; q++)
            if (scanf("%d %d", &hx[q], &hy[q]) != 2)
                return 1;
        for (int y = 0; y < h; y++)
            if (scanf("%64s", grid[y]) != 1)
                return 1;
        char safe[4];
        int n = 0;
        for (int d = 0; d < 4; d++) {
            int x = hx[me] + dx[d], y = hy[me] + dy[d];
            if (x >= 0 && x < w && y >= 0 && y < h && grid[y][x] == '.')
                safe[n++] = names[d];
        }
        printf("%c\n", n ? safe[next_random() % n] : 'U'); // boxed in: every move dies
        fflush(stdout);
    }
    return 0;
}
