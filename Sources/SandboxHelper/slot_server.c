// One slot's long-lived helper. The judge places this process in the slot's cgroups once (moving a
// process into a v1 cgroup costs milliseconds). It starts the slot's one bubblewrap, born in those
// cgroups (on v2 cloned straight into the run cgroup with CLONE_INTO_CGROUP), whose command is our
// run server (run_server.c); namespaces and the fixed mounts are thus set up once per slot.
//
// Control socket to the judge: fd 3, SOCK_SEQPACKET. Per run the judge sends TMP_BYTES BOX N
// (HOST SANDBOX)*N INIT-ARGS with 4 descriptors (stdin, stdout, stderr, status pipe). We turn the
// box and the binds into detached mount trees here, in the host's mount namespace where the paths
// mean what the judge meant, and pass them on to the run server, whose reply we forward.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helper.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

#define CONTROL_FD 3

// The fields of struct clone_args up to `cgroup` (CLONE_ARGS_SIZE_VER2).
struct clone_args_v2 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static pid_t fork_into(int cgroup_fd) {
    if (cgroup_fd < 0) return fork();
    struct clone_args_v2 args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = (uint64_t)cgroup_fd;
    return (pid_t)syscall(SYS_clone3, &args, sizeof args);
}

static void send_reply(int32_t error, int32_t wait_status, int32_t pid) {
    struct slot_reply reply = {SLOT_REPLY_MAGIC, error, wait_status, pid};
    while (send(CONTROL_FD, &reply, sizeof reply, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
}

// In the child between fork and exec: bwrap gets the server's socket as fd 3, an empty environment.
static void exec_bwrap(char **argv, int server_socket) {
    static char *const empty_environment[] = {NULL};
    if (dup2(server_socket, 3) < 0) _exit(127);
    close_range(4, ~0U, 0);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGPIPE, SIG_DFL);
    // bwrap must not outlive this slot (bwrap's own --die-with-parent covers its pid 1).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execve(argv[0], argv, empty_environment);
    _exit(127);
}

// A detached copy of `path`'s mount tree, nosuid and nodev; the box (`writable`) alone, never
// through a link; a bind with what is mounted below it, read-only.
static int detached_tree(const char *path, int writable) {
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (writable ? AT_SYMLINK_NOFOLLOW : AT_RECURSIVE);
    int fd = (int)syscall(SYS_open_tree, AT_FDCWD, path, flags);
    if (fd < 0) return fd;
    struct mount_attr attr = {0};
    attr.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (writable ? 0 : MOUNT_ATTR_RDONLY);
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) {
        int error = errno;
        close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

// Forwards one run; returns an errno when it could not be started (the reply is then ours).
static int forward_run(char *message, size_t length, const int *stdio, int server) {
    uint32_t count = 0;
    char **strings = request_strings(message, length, &count);
    if (strings == NULL) return EPROTO;
    unsigned long binds = count >= 3 ? strtoul(strings[2], NULL, 10) : 0;
    if (count < 4 || binds > SLOT_BINDS_MAX || 3 + 2 * binds >= count) { free(strings); return EPROTO; }

    int fds[SLOT_REQUEST_FDS + 1 + SLOT_BINDS_MAX];
    int nfds = 0, error = 0;
    for (int i = 0; i < SLOT_REQUEST_FDS; i++) fds[nfds++] = stdio[i];
    int box = detached_tree(strings[1], 1);
    if (box < 0) error = errno; else fds[nfds++] = box;
    // The server's strings: TMP_BYTES N SANDBOX*N INIT-ARGS.
    char **forwarded = calloc(count, sizeof(char *));
    int nstrings = 0;
    if (forwarded == NULL && error == 0) error = ENOMEM;
    if (error == 0) {
        forwarded[nstrings++] = strings[0];
        forwarded[nstrings++] = strings[2];
        for (unsigned long i = 0; i < binds && error == 0; i++) {
            int tree = detached_tree(strings[3 + 2 * i], 0);
            if (tree < 0) { error = errno; break; }
            fds[nfds++] = tree;
            forwarded[nstrings++] = strings[4 + 2 * i];
        }
        for (uint32_t i = 3 + 2 * (uint32_t)binds; i < count; i++) forwarded[nstrings++] = strings[i];
    }
    if (error == 0) error = send_request(server, forwarded, nstrings, fds, nfds);
    for (int i = SLOT_REQUEST_FDS; i < nfds; i++) close(fds[i]);
    free(forwarded);
    free(strings);
    return error;
}

int slot_server_main(int argc, char **argv) {
    // We die with the judge by watching our control socket, not with PR_SET_PDEATHSIG: that
    // fires when the *thread* that spawned us exits, and the judge's threads come and go (a
    // Swift concurrency thread idles out after seconds).
    if (getppid() == 1) return 1;
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) return 2;

    // The judge first places us in the slot's cgroups, then says go: bwrap is born there.
    char go;
    ssize_t n;
    while ((n = recv(CONTROL_FD, &go, sizeof go, 0)) < 0 && errno == EINTR) {}
    if (n <= 0) return 0;

    int cgroup_fd = -1;
    if (argv[0][0] != '\0') {
        cgroup_fd = open(argv[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cgroup_fd < 0) return 3;
    }
    int sockets[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) < 0) return 4;
    pid_t bwrap = fork_into(cgroup_fd);
    if (bwrap < 0) return 5;
    if (bwrap == 0) exec_bwrap(argv + 1, sockets[1]);
    close(sockets[1]);
    int server = sockets[0];

    // The run server says it is ready; EOF means bwrap failed (its stderr is ours, the judge's).
    struct slot_reply ready;
    while ((n = recv(server, &ready, sizeof ready, 0)) < 0 && errno == EINTR) {}
    if (n != sizeof ready || ready.magic != SLOT_REPLY_MAGIC) {
        int status = 0;
        waitpid(bwrap, &status, 0);
        send_reply(ECHILD, status, bwrap);
        return 6;
    }
    send_reply(0, 0, bwrap);

    char *message = malloc(SLOT_REQUEST_MAX);
    if (message == NULL) return 4;
    for (;;) {
        int fds[SLOT_REQUEST_FDS];
        int received = 0;
        n = receive_request(CONTROL_FD, message, SLOT_REQUEST_MAX, fds, SLOT_REQUEST_FDS, &received);
        if (n < 0) return 0;  // the judge closed the socket: this slot is shut down (bwrap dies with us)
        int error = received == SLOT_REQUEST_FDS && n > 0 ? forward_run(message, (size_t)n, fds, server) : EPROTO;
        for (int i = 0; i < received; i++) close(fds[i]);
        if (error != 0) {
            send_reply(error, 0, 0);
            continue;
        }
        // Wait for the run's end, or for the judge to go away (then bwrap, and the run, die with us).
        struct pollfd watched[2] = {{.fd = server, .events = POLLIN}, {.fd = CONTROL_FD, .events = POLLIN}};
        while (poll(watched, 2, -1) < 0 && errno == EINTR) {}
        if (watched[0].revents == 0 && watched[1].revents != 0) {
            char probe;
            if (recv(CONTROL_FD, &probe, 1, MSG_PEEK | MSG_DONTWAIT) == 0) return 0;
        }
        struct slot_reply reply;
        while ((n = recv(server, &reply, sizeof reply, 0)) < 0 && errno == EINTR) {}
        if (n != sizeof reply) return 7;  // the run server is gone: the judge restarts the slot
        while (send(CONTROL_FD, &reply, sizeof reply, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
    }
}
