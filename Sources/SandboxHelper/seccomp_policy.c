// The seccomp policy of every sandboxed program. Dangerous calls kill the whole process (SIGSYS ->
// the judge's securityViolation); calls that runtimes merely probe fail with EPERM/ENOSYS instead,
// so innocent programs live. Threads are allowed (the JVM and V8 need them); the pids cgroup
// counts them.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <seccomp.h>
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

int seccomp_policy_load(void) {
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
    if (rc == 0) rc = seccomp_load(ctx);
    seccomp_release(ctx);
    return rc < 0 ? -rc : rc;
}
