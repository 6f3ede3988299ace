// One slot's long-lived server. The judge places this process in the slot's cgroups once (moving a
// process into a v1 cgroup costs milliseconds); every bwrap it forks is then born in them. On
// cgroup v2 it instead clones each run straight into the run cgroup (CLONE_INTO_CGROUP).
//
// Control socket: fd 3, SOCK_SEQPACKET. Request: header + bwrap argv, with 4 descriptors attached
// (stdin, stdout, stderr, status pipe). Reply: struct slot_reply once bwrap has exited.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

// In the child between fork and exec: only async-signal-safe calls.
static void exec_bwrap(char **argv, const int *fds, int error_pipe) {
    static char *const empty_environment[] = {NULL};
    // Move the descriptors out of 0..3 first so the dup2s below cannot clobber each other.
    int moved[SLOT_REQUEST_FDS];
    for (int i = 0; i < SLOT_REQUEST_FDS; i++) {
        moved[i] = fcntl(fds[i], F_DUPFD, 10);
        if (moved[i] < 0) goto fail;
    }
    int error_fd = fcntl(error_pipe, F_DUPFD_CLOEXEC, 10);
    if (error_fd < 0) goto fail;
    error_pipe = error_fd;
    for (int i = 0; i < SLOT_REQUEST_FDS; i++) {
        if (dup2(moved[i], i) < 0) goto fail;
    }
    if (dup3(error_fd, SLOT_REQUEST_FDS, O_CLOEXEC) < 0) goto fail;
    error_pipe = SLOT_REQUEST_FDS;
    // Nothing of the judge leaks past 0..3; the error pipe (4) is close-on-exec.
    close_range(SLOT_REQUEST_FDS + 1, ~0U, 0);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGPIPE, SIG_DFL);
    // bwrap must not outlive this slot (bwrap's own --die-with-parent covers the program).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // bwrap starts with an empty environment: its pid 1 keeps it, readable at /proc/1/environ.
    execve(argv[0], argv, empty_environment);
fail:;
    int error = errno;
    while (write(error_pipe, &error, sizeof error) < 0 && errno == EINTR) {}
    _exit(127);
}

static int run_one(char *message, size_t length, const int *fds, int cgroup_fd) {
    struct slot_request_header header;
    if (length < sizeof header) return EPROTO;
    memcpy(&header, message, sizeof header);
    if (header.magic != SLOT_REQUEST_MAGIC || header.argc == 0 || header.argc > 65536) return EPROTO;

    char **argv = calloc(header.argc + 1, sizeof(char *));
    if (argv == NULL) return ENOMEM;
    char *cursor = message + sizeof header, *end = message + length;
    for (uint32_t i = 0; i < header.argc; i++) {
        char *nul = memchr(cursor, 0, (size_t)(end - cursor));
        if (nul == NULL) { free(argv); return EPROTO; }
        argv[i] = cursor;
        cursor = nul + 1;
    }

    int error_pipe[2];
    if (pipe2(error_pipe, O_CLOEXEC) < 0) { free(argv); return errno; }
    pid_t pid = fork_into(cgroup_fd);
    if (pid < 0) {
        int error = errno;
        close(error_pipe[0]); close(error_pipe[1]); free(argv);
        return error;
    }
    if (pid == 0) {
        close(error_pipe[0]);
        exec_bwrap(argv, fds, error_pipe[1]);
    }
    free(argv);
    close(error_pipe[1]);
    for (int i = 0; i < SLOT_REQUEST_FDS; i++) close(fds[i]);

    int exec_error = 0;
    ssize_t n;
    while ((n = read(error_pipe[0], &exec_error, sizeof exec_error)) < 0 && errno == EINTR) {}
    close(error_pipe[0]);

    // We are a subreaper: reap whatever was reparented to us until bwrap itself is gone.
    int status = 0;
    for (;;) {
        int s;
        pid_t w = waitpid(-1, &s, __WALL);
        if (w == pid) { status = s; break; }
        if (w < 0 && errno != EINTR) break;
    }
    send_reply(n > 0 ? exec_error : 0, status, pid);
    return 0;
}

int slot_server_main(int argc, char **argv) {
    // Die with the judge; run nothing after it is gone.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) return 1;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);

    int cgroup_fd = -1;
    if (argc >= 1 && argv[0][0] != '\0') {
        cgroup_fd = open(argv[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cgroup_fd < 0) return 3;
    }

    char *message = malloc(SLOT_REQUEST_MAX);
    if (message == NULL) return 4;
    for (;;) {
        union {
            struct cmsghdr align;
            char buffer[CMSG_SPACE(sizeof(int) * SLOT_REQUEST_FDS)];
        } control;
        struct iovec iov = {message, SLOT_REQUEST_MAX};
        struct msghdr msg = {0};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.buffer;
        msg.msg_controllen = sizeof control.buffer;
        ssize_t n = recvmsg(CONTROL_FD, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;  // the judge closed the socket: this slot is shut down

        int fds[SLOT_REQUEST_FDS];
        int received = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                for (int i = 0; i < count; i++) {
                    int fd;
                    memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
                    if (received < SLOT_REQUEST_FDS) fds[received++] = fd; else close(fd);
                }
            }
        }
        if (received != SLOT_REQUEST_FDS || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
            for (int i = 0; i < received; i++) close(fds[i]);
            send_reply(EPROTO, 0, 0);
            continue;
        }
        int error = run_one(message, (size_t)n, fds, cgroup_fd);
        if (error != 0) {
            for (int i = 0; i < SLOT_REQUEST_FDS; i++) close(fds[i]);
            send_reply(error, 0, 0);
        }
    }
}
