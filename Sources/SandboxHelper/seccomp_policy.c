// The seccomp policy of every sandboxed program. Dangerous calls kill the whole process (SIGSYS ->
// the judge's securityViolation); calls that runtimes merely probe fail with EPERM/ENOSYS instead,
// so innocent programs live. Threads are allowed (the JVM and V8 need them); the pids cgroup
// counts them.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "helper.h"

static const char *const killed[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp",
    "mount", "umount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsconfig",
    "fsmount", "fspick", "mount_setattr", "unshare", "setns",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "bpf", "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key",
    "reboot", "swapon", "swapoff", "acct", "quotactl", "syslog", "iopl", "ioperm",
    "settimeofday", "clock_settime", "clock_adjtime", "adjtimex",
    "open_by_handle_at", "name_to_handle_at", "fanotify_init", "lookup_dcookie", "vhangup", "nfsservctl",
};

static const char *const refused[] = {
    "set_mempolicy", "mbind", "migrate_pages", "move_pages", "set_mempolicy_home_node",
    "io_uring_setup", "io_uring_enter", "io_uring_register",  // node's libuv falls back to threads
};

// Namespaces through clone(2) are as dangerous as unshare(2).
static const unsigned long namespace_flags[] = {
    CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP,
};

static struct sock_fprog prepared;

// Builds the filter once and keeps its BPF program: each run then only installs it.
int seccomp_policy_prepare(void) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == NULL) return ENOMEM;
    int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    for (size_t i = 0; rc == 0 && i < sizeof killed / sizeof *killed; i++) {
        int nr = seccomp_syscall_resolve_name(killed[i]);
        if (nr != __NR_SCMP_ERROR) rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, nr, 0);
    }
    for (size_t i = 0; rc == 0 && i < sizeof refused / sizeof *refused; i++) {
        int nr = seccomp_syscall_resolve_name(refused[i]);
        if (nr != __NR_SCMP_ERROR) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
    }
    for (size_t i = 0; rc == 0 && i < sizeof namespace_flags / sizeof *namespace_flags; i++) {
        unsigned long flag = namespace_flags[i];
        rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
    }
    // clone3 passes its flags in memory a filter cannot read: ENOSYS makes glibc fall back to clone.
    if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    int fd = rc == 0 ? memfd_create("seccomp", MFD_CLOEXEC) : -1;
    if (rc == 0 && fd < 0) rc = -errno;
    if (rc == 0) rc = seccomp_export_bpf(ctx, fd);
    seccomp_release(ctx);
    if (rc == 0) {
        off_t size = lseek(fd, 0, SEEK_END);
        struct sock_filter *filter = size > 0 ? malloc((size_t)size) : NULL;
        if (filter == NULL || pread(fd, filter, (size_t)size, 0) != size) {
            rc = -EIO;
            free(filter);
        } else {
            prepared.len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
            prepared.filter = filter;
        }
    }
    if (fd >= 0) close(fd);
    return rc < 0 ? -rc : rc;
}

// In the program's process, after no_new_privs, just before execve.
int seccomp_policy_load(void) {
    if (prepared.filter == NULL) {
        int rc = seccomp_policy_prepare();
        if (rc != 0) return rc;
    }
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prepared) < 0 ? errno : 0;
}
