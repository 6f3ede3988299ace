// Misbehaving bot for the harness's tests: spins on the CPU forever on its first turn (timeout).
#include <stdio.h>

int main(void)
{
    char line[256];
    if (!fgets(line, sizeof line, stdin))
        return 0;
    for (volatile unsigned long spins = 0;; spins++) // volatile: the loop really burns CPU
        ;
}
