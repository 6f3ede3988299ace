// SandboxHelper: `slot` is the long-lived process of one sandbox slot (it sits in the slot's cgroups
// and starts the slot's bubblewrap there); `server` runs inside that bubblewrap and starts each run.
#include <stdio.h>
#include <string.h>
#include "helper.h"

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "slot") == 0) return slot_server_main(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "server") == 0) return run_server_main();
    fprintf(stderr, "usage: SandboxHelper slot CGROUP-DIR|\"\" BWRAP ARGS... | server\n");
    return 2;
}
