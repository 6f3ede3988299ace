// make bench-games: a referee that only measures the harness's round trip. Each round sends bot 1
// a two-byte line and waits for it back (SEND + RECV); the time per round goes out as LOG.
#define _POSIX_C_SOURCE 200809L  // clock_gettime under -std=c17
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
    int players;
    unsigned long long seed;
    char start_line[64];
    // fgets, not scanf("...\n"): a trailing \n in a format waits for the next non-blank byte.
    if (!fgets(start_line, sizeof start_line, stdin) || sscanf(start_line, "START %d %llu", &players, &seed) != 2) return 1;
    int rounds = argc > 1 ? atoi(argv[1]) : 20000;
    char reply[64], echoed[2];
    long long start = 0;
    for (int i = -100; i < rounds; i++) {  // 100 rounds of warm-up
        if (i == 0) start = now_ns();
        fputs("SEND 1 2\nx\nRECV 1\n", stdout);
        fflush(stdout);
        if (!fgets(reply, sizeof reply, stdin) || reply[0] != 'O' || fread(echoed, 1, 1, stdin) != 1) return 2;
    }
    long long per_round = (now_ns() - start) / rounds;
    char log[32];
    int n = snprintf(log, sizeof log, "%lld", per_round);
    printf("LOG %d\n%sEND 1 1 2 0\n", n, log);
    return 0;
}
