// Misbehaving bot for the harness's tests: segfaults on its first turn (expected status: crash).
#include <stdio.h>

int main(void)
{
    char line[256];
    if (!fgets(line, sizeof line, stdin))
        return 0;
    volatile int *volatile nowhere = NULL; // volatile: the compiler must really do the store
    *nowhere = 1;
    return 0;
}
