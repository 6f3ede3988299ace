// Connect Four bot that drops its disc in a uniformly random column that is not full. Seeded from
// ALGOSPORTS_SEED, so a match played again with the same seed plays out the same way.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { COLS = 7, ROWS = 6 };

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
    int height[COLS] = {0};
    char line[32];
    while (fgets(line, sizeof line, stdin)) {
        if (strncmp(line, "FIRST", 5) != 0)
            height[atoi(line) - 1]++;
        int open[COLS], n = 0;
        for (int c = 0; c < COLS; c++)
            if (height[c] < ROWS)
                open[n++] = c;
        int c = open[next_random() % n];
        height[c]++;
        printf("%d\n", c + 1);
        fflush(stdout);
    }
    return 0;
}
