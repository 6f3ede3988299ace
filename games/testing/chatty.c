// Misbehaving bot for the harness's tests: writes a 1 MiB line without a newline on its first
// turn (overflow), then waits for its input to end.
#include <stdio.h>
#include <string.h>

int main(void)
{
    static char flood[1 << 20];
    char line[256];
    if (!fgets(line, sizeof line, stdin))
        return 0;
    memset(flood, 'x', sizeof flood);
    fwrite(flood, 1, sizeof flood, stdout);
    fflush(stdout);
    while (fgets(line, sizeof line, stdin))
        ;
    return 0;
}
