// Broken Connect Four referee for the harness's tests: lets player 1 move once, logs a line, then
// ends with one rank-score pair for two players (expected: a referee failure, play-match exits 3).
#include <stdio.h>

int main(void)
{
    char line[256];
    if (!fgets(line, sizeof line, stdin)) // START
        return 1;
    printf("SEND 1 6\nFIRST\nRECV 1\n");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin))
        return 1;
    printf("LOG 37\n"
           "about to end with one rank-score pair" // a payload has no terminator
           "END 1 1\n");
    return 0;
}
