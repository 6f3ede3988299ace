// Misbehaving bot for the harness's tests: allocates and touches 1 GiB on its first turn, so the
// memory limit kills it (crash). Under a limit that refuses the allocation it aborts instead, which
// is a crash too. Without any limit it then plays column 1 every turn.
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    char line[256];
    if (!fgets(line, sizeof line, stdin))
        return 0;
    size_t size = (size_t)1 << 30;
    volatile char *memory = malloc(size);
    if (!memory)
        abort();
    for (size_t i = 0; i < size; i += 4096) // one write per page makes the kernel back it
        memory[i] = 1;
    do {
        puts("1");
        fflush(stdout);
    } while (fgets(line, sizeof line, stdin));
    return 0;
}
