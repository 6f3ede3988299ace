// The slot's run server: bubblewrap's command, pid 2 of the slot's namespaces, root with only
// CAP_SYS_ADMIN, CAP_DAC_OVERRIDE, CAP_SETUID and CAP_SETGID. Per run it mounts the run's box at /box, its read-only
// binds, and fresh tmpfs at /tmp and /dev/shm, then is the run's init (program_init.c): forks the
// program and reports its wait status. Then it unmounts all that, removes the SysV IPC objects and
// message queues the run left, and replies; the judge kills whatever process of the run is still
// in the slot's cgroup.
//
// fd 3 at start (then SERVER_FD): SOCK_SEQPACKET to the slot helper. Request: TMP_BYTES N
// SANDBOX*N INIT-ARGS with descriptors stdin, stdout, stderr, status pipe, box tree, N bind trees.
// Reply: struct slot_reply once the program has exited.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helper.h"

#define SERVER_FD 100

static void send_reply(int32_t error, int32_t wait_status) {
    struct slot_reply reply = {SLOT_REPLY_MAGIC, error, wait_status, 0};
    while (send(SERVER_FD, &reply, sizeof reply, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
}

// Parents of a bind's mount point outside /box and /tmp become 0755 directories (the slot uid
// must pass through them); parents inside /box and /tmp are the program's own.
static int make_parents(char *path) {
    for (char *slash = strchr(path + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        int inside = strcmp(path, "/box") == 0 || strcmp(path, "/tmp") == 0 || strncmp(path, "/box/", 5) == 0 ||
                     strncmp(path, "/tmp/", 5) == 0;
        int rc = inside ? 0 : mkdir(path, 0755);
        *slash = '/';
        if (rc < 0 && errno != EEXIST) return -1;
    }
    return 0;
}

static int attach(int tree, const char *target) {
    return (int)syscall(SYS_move_mount, tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH);
}

static int mount_tmpfs(const char *target, unsigned long long bytes) {
    char options[64];
    snprintf(options, sizeof options, "mode=1777,size=%llu", bytes);
    return mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, options);
}

// The run's mounts, in the slot's mount namespace (a fresh mount namespace per run costs
// milliseconds of set-up and teardown; mounting and unmounting in this one, microseconds).
#define MOUNTS_MAX (3 + SLOT_BINDS_MAX)
// Each as an O_PATH descriptor of the mount's root: unmounting by path could hit something else
// once the run has replaced a link on the way to a bind's target (inside /box or /tmp).
static int mounted[MOUNTS_MAX];
static int mounted_count;

static int track(const char *target) {
    int fd = open(target, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    mounted[mounted_count++] = fd;
    return 0;
}

static int set_up_mounts(unsigned long long tmp_bytes, int box, char **targets, const int *trees, int binds) {
    if (attach(box, "/box") < 0 || track("/box") < 0) return -1;
    if (mount_tmpfs("/tmp", tmp_bytes) < 0 || track("/tmp") < 0) return -1;
    if (access("/dev/shm", F_OK) == 0 && (mount_tmpfs("/dev/shm", tmp_bytes) < 0 || track("/dev/shm") < 0)) return -1;
    for (int i = 0; i < binds; i++) {
        struct stat info;
        if (fstat(trees[i], &info) < 0 || make_parents(targets[i]) < 0) return -1;
        if (S_ISDIR(info.st_mode)) {
            if (mkdir(targets[i], 0755) < 0 && errno != EEXIST) return -1;
        } else {
            int fd = open(targets[i], O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0444);
            if (fd < 0 && errno != EISDIR) return -1;
            if (fd >= 0) close(fd);
        }
        if (attach(trees[i], targets[i]) < 0 || track(targets[i]) < 0) return -1;
    }
    return 0;
}

// The next run starts from the slot's bare tree again.
static void tear_down_mounts(void) {
    while (mounted_count > 0) {
        int fd = mounted[--mounted_count];
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        umount2(path, MNT_DETACH);
        close(fd);
    }
}

// SysV IPC objects and POSIX message queues outlive their processes: remove what the run left.
static void remove_ipc_objects(void) {
    static const char *const tables[] = {"/proc/sysvipc/shm", "/proc/sysvipc/msg", "/proc/sysvipc/sem"};
    for (int t = 0; t < 3; t++) {
        FILE *file = fopen(tables[t], "re");
        if (file == NULL) continue;
        char line[512];
        if (fgets(line, sizeof line, file) != NULL) {  // the header
            while (fgets(line, sizeof line, file) != NULL) {
                long key, id;
                if (sscanf(line, "%ld %ld", &key, &id) != 2) continue;
                if (t == 0) shmctl((int)id, IPC_RMID, NULL);
                else if (t == 1) msgctl((int)id, IPC_RMID, NULL);
                else semctl((int)id, 0, IPC_RMID);
            }
        }
        fclose(file);
    }
    DIR *queues = opendir("/dev/mqueue");
    if (queues != NULL) {
        struct dirent *entry;
        while ((entry = readdir(queues)) != NULL) {
            if (entry->d_name[0] != '.') unlinkat(dirfd(queues), entry->d_name, 0);
        }
        closedir(queues);
    }
}

// 0-3 are the run's stdin, stdout, stderr and status pipe while it runs (the program inherits
// 0-2, our init writes the status to 3), /dev/null otherwise.
static int swap_in(const int *fds) {
    for (int i = 0; i < SLOT_REQUEST_FDS; i++) {
        if (dup3(fds[i], i, 0) < 0) return -1;
    }
    return 0;
}

static void swap_out(void) {
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int i = 0; i < SLOT_REQUEST_FDS; i++) dup3(null, i, 0);
    close(null);
}

static void serve(char *message, size_t length, int *fds, int nfds) {
    uint32_t count = 0;
    char **strings = request_strings(message, length, &count);
    int binds = strings != NULL && count >= 2 ? (int)strtol(strings[1], NULL, 10) : -1;
    if (strings == NULL || binds < 0 || binds > SLOT_BINDS_MAX || nfds != SLOT_REQUEST_FDS + 1 + binds ||
        (uint32_t)(2 + binds) >= count) {
        free(strings);
        for (int i = 0; i < nfds; i++) close(fds[i]);
        send_reply(EPROTO, 0);
        return;
    }
    int error = swap_in(fds) < 0 ? errno : 0;
    if (error == 0) {
        unsigned long long tmp_bytes = strtoull(strings[0], NULL, 10);
        if (set_up_mounts(tmp_bytes, fds[SLOT_REQUEST_FDS], strings + 2, fds + SLOT_REQUEST_FDS + 1, binds) < 0) {
            program_init_report(0, errno, INIT_STAGE_MOUNTS, 0);
        } else {
            // We are the run's init: fork the program, wait for it, report its status on fd 3.
            program_init_main((int)count - 2 - binds, strings + 2 + binds);
        }
    }
    for (int i = 0; i < nfds; i++) close(fds[i]);
    swap_out();
    free(strings);
    // Before the reply: what the run's tmpfs and IPC objects hold is charged to the slot's memory
    // cgroup, and the judge takes the next run's baseline right after it.
    tear_down_mounts();
    remove_ipc_objects();
    send_reply(error, 0);
}

int run_server_main(void) {
    signal(SIGPIPE, SIG_IGN);
    // Compiled once per slot; each program only loads the finished filter.
    int error = seccomp_policy_prepare();
    if (error != 0) {
        fprintf(stderr, "SandboxHelper: cannot build the seccomp filter: %s\n", strerror(error));
        return 1;
    }
    // The slot helper's socket arrives as fd 3, which each run's status pipe takes over.
    if (dup3(3, SERVER_FD, O_CLOEXEC) < 0) return 1;
    swap_out();
    send_reply(0, 0);  // ready
    char *message = malloc(SLOT_REQUEST_MAX);
    if (message == NULL) return 1;
    for (;;) {
        int fds[SLOT_REQUEST_FDS + 1 + SLOT_BINDS_MAX];
        int received = 0;
        ssize_t n = receive_request(SERVER_FD, message, SLOT_REQUEST_MAX, fds, SLOT_REQUEST_FDS + 1 + SLOT_BINDS_MAX, &received);
        if (n < 0) return 0;  // the slot helper is gone
        if (n == 0) {
            for (int i = 0; i < received; i++) close(fds[i]);
            send_reply(EPROTO, 0);
            continue;
        }
        serve(message, (size_t)n, fds, received);
    }
}
