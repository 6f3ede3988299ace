// Broken Connect Four referee for the harness's tests: relays three moves without checking them,
// then segfaults (expected: a referee failure, play-match exits 3).
#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[256];
    if (!fgets(line, sizeof line, stdin)) // START
        return 1;
    char last[256] = "FIRST";
    for (int move = 0; move < 3; move++) {
        int p = 1 + move % 2;
        printf("SEND %d %zu\n%s\n", p, strlen(last) + 1, last);
        printf("RECV %d\n", p);
        fflush(stdout);
        size_t n;
        if (!fgets(line, sizeof line, stdin) || sscanf(line, "OK %zu", &n) != 1 || n >= sizeof last)
            return 1;
        last[fread(last, 1, n, stdin)] = '\0';
    }
    volatile int *volatile nowhere = NULL; // volatile: the compiler must really do the store
    *nowhere = 1;
    return 0;
}
