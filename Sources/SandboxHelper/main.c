// SandboxHelper: `slot` is the long-lived process of one sandbox slot (it sits in the slot's cgroups
// so every run is born there); `init` runs inside bubblewrap and starts the program.
#include <stdio.h>
#include <string.h>
#include "helper.h"

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "slot") == 0) return slot_server_main(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "init") == 0) return program_init_main(argc - 2, argv + 2);
    fprintf(stderr, "usage: SandboxHelper slot [cgroup-dir] | init UID GID CPU_S FSIZE NOFILE STACK DIRECTORY [NAME=VALUE...] -- PROGRAM ARGS...\n");
    return 2;
}
