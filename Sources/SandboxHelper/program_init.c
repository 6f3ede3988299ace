// The run's init, inside our run server (run_server.c) once the run's mounts are in place; root
// with only CAP_SYS_ADMIN, CAP_DAC_OVERRIDE, CAP_SETUID and CAP_SETGID. Forks the program, which
// drops to the slot's uid, takes its rlimits and the seccomp filter, and execs; we stay behind as
// its reaper so the judge learns the program's real wait status (bwrap folds a signal into exit
// code 128+n, which exit(137) imitates). The status goes to fd 3, a pipe only the judge reads.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helper.h"

#define STATUS_FD 3

static int parse_u64(const char *text, unsigned long long *out) {
    char *end;
    errno = 0;
    *out = strtoull(text, &end, 10);
    return errno == 0 && end != text && *end == '\0' ? 0 : -1;
}

static int set_limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit limit = {soft, hard};
    return setrlimit(resource, &limit);
}

void program_init_report(int32_t wait_status, int32_t error, int32_t stage, int32_t max_rss_kb) {
    struct init_status status = {INIT_STATUS_MAGIC, wait_status, error, stage, max_rss_kb};
    while (write(STATUS_FD, &status, sizeof status) < 0 && errno == EINTR) {}
}

struct failure { int32_t error, stage; };

// In the child between fork and exec.
static void start_program(char **program, char **environment, const char *directory, uid_t uid, gid_t gid,
                          unsigned long long cpu_seconds, unsigned long long file_size,
                          unsigned long long open_files, unsigned long long stack, int error_pipe) {
    struct failure failure = {0, INIT_STAGE_CREDENTIALS};
    // No supplementary groups; gid before uid, while we still may.
    if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0) goto fail;
    // As the program: root without CAP_DAC_OVERRIDE could not enter the slot's 0700 box anyway.
    if (chdir(directory) < 0) goto fail;
    failure.stage = INIT_STAGE_LIMITS;
    // Backstops only: the cgroups are the real limits. No RLIMIT_AS (JVM, V8), no RLIMIT_NPROC
    // (per uid, counts earlier runs): the memory and pids cgroups cover those.
    if (set_limit(RLIMIT_CPU, cpu_seconds, cpu_seconds + 1) < 0 ||
        set_limit(RLIMIT_FSIZE, file_size, file_size) < 0 ||
        set_limit(RLIMIT_CORE, 0, 0) < 0 ||
        set_limit(RLIMIT_NOFILE, open_files, open_files) < 0 ||
        set_limit(RLIMIT_STACK, stack, stack) < 0) goto fail;
    failure.stage = INIT_STAGE_SECCOMP;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) goto fail;
    int seccomp_error = seccomp_policy_load();
    if (seccomp_error != 0) { errno = seccomp_error; goto fail; }
    failure.stage = INIT_STAGE_EXEC;
    execve(program[0], program, environment);
fail:
    failure.error = errno;
    while (write(error_pipe, &failure, sizeof failure) < 0 && errno == EINTR) {}
    _exit(127);
}

// argv: UID GID CPU_SECONDS FSIZE NOFILE STACK DIRECTORY [NAME=VALUE ...] -- PROGRAM [ARGS ...]
// The program's environment is exactly the NAME=VALUE list (bwrap adds PWD to its own).
int program_init_main(int argc, char **argv) {
    unsigned long long values[6];
    if (argc < 9) return 2;
    for (int i = 0; i < 6; i++) {
        if (parse_u64(argv[i], &values[i]) < 0) return 2;
    }
    int separator = 7;
    while (separator < argc && strcmp(argv[separator], "--") != 0) separator++;
    if (separator + 1 >= argc) return 2;
    argv[separator] = NULL;  // ends the environment list
    char **environment = argv + 7;
    if (fcntl(STATUS_FD, F_SETFD, FD_CLOEXEC) < 0) return 2;

    int error_pipe[2];
    if (pipe2(error_pipe, O_CLOEXEC) < 0) {
        program_init_report(0, errno, INIT_STAGE_FORK, 0);
        return 1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        program_init_report(0, errno, INIT_STAGE_FORK, 0);
        return 1;
    }
    if (pid == 0) {
        close(error_pipe[0]);
        start_program(argv + separator + 1, environment, argv[6], (uid_t)values[0], (gid_t)values[1],
                      values[2], values[3], values[4], values[5], error_pipe[1]);
    }
    close(error_pipe[1]);
    struct failure failure = {0, INIT_STAGE_EXEC};
    ssize_t n;
    while ((n = read(error_pipe[0], &failure, sizeof failure)) < 0 && errno == EINTR) {}
    close(error_pipe[0]);

    int status = 0;
    struct rusage usage = {0};
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) break;
    }
    program_init_report(status, n > 0 ? failure.error : 0, n > 0 ? failure.stage : INIT_STAGE_EXEC, (int32_t)usage.ru_maxrss);
    return 0;
}
