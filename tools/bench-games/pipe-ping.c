// make bench-games: the baseline, a raw pipe round trip. Forks the echo bot (argv[1]) with pipes
// and does what ping-referee does through the harness, directly: write a line, read it back.
#define _POSIX_C_SOURCE 200809L  // clock_gettime under -std=c17
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    int rounds = argc > 2 ? atoi(argv[2]) : 20000;
    int to_bot[2], from_bot[2];
    if (pipe(to_bot) < 0 || pipe(from_bot) < 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(to_bot[0], 0);
        dup2(from_bot[1], 1);
        close(to_bot[1]);
        close(from_bot[0]);
        execl(argv[1], argv[1], (char *)NULL);
        _exit(127);
    }
    close(to_bot[0]);
    close(from_bot[1]);
    char buffer[2];
    long long start = 0;
    for (int i = -100; i < rounds; i++) {
        if (i == 0) start = now_ns();
        if (write(to_bot[1], "x\n", 2) != 2) return 3;
        for (int got = 0; got < 2;) {
            ssize_t n = read(from_bot[0], buffer + got, 2 - got);
            if (n <= 0) return 4;
            got += (int)n;
        }
    }
    printf("%lld\n", (now_ns() - start) / rounds);
    close(to_bot[1]);
    return 0;
}
