// The privileged half of the sandbox, kept small and in C: fork/exec, setuid, rlimits, seccomp and
// reaping must happen between fork and exec, where a Swift runtime cannot safely run.
#ifndef SANDBOX_HELPER_H
#define SANDBOX_HELPER_H

#include <stdint.h>
#include <sys/types.h>

// Wire format shared with Sources/JudgeCore/Sandbox/SlotHelper.swift.
#define SLOT_REQUEST_MAGIC 0x53425251u  // "SBRQ"
#define SLOT_REPLY_MAGIC 0x53425250u    // "SBRP"
#define INIT_STATUS_MAGIC 0x53425354u   // "SBST"
#define SLOT_REQUEST_FDS 4              // stdin, stdout, stderr, status pipe
#define SLOT_REQUEST_MAX (256 * 1024)
#define SLOT_BINDS_MAX 64               // read-only binds of one run (each is a descriptor)

// Judge -> helper: TMP_BYTES BOX N (HOST SANDBOX)*N UID GID ... -- PROGRAM ARGS, 4 descriptors.
// Helper -> run server: TMP_BYTES N SANDBOX*N UID GID ... -- PROGRAM ARGS, the 4 descriptors
// plus the box and every bind as detached mount trees (open_tree).
struct slot_request_header {
    uint32_t magic;
    uint32_t argc;  // NUL-terminated strings follow
};

// Also the "ready" message once the slot's bwrap and run server are up (wait_status 0, pid = bwrap).
struct slot_reply {
    uint32_t magic;
    int32_t error;        // errno when the run could not be started, 0 when it ran
    int32_t wait_status;  // wait status of the run's pid 1 (our init)
    int32_t pid;
};

enum init_stage {
    INIT_STAGE_EXEC = 0, INIT_STAGE_CREDENTIALS = 1, INIT_STAGE_LIMITS = 2, INIT_STAGE_SECCOMP = 3, INIT_STAGE_FORK = 4,
    INIT_STAGE_MOUNTS = 5,
};

struct init_status {
    uint32_t magic;
    int32_t wait_status;  // the program's own wait status, from our reaper
    int32_t error;        // errno when the program never started
    int32_t stage;
    int32_t max_rss_kb;   // the program's peak resident set (its own and its reaped children's)
};

int slot_server_main(int argc, char **argv);
int run_server_main(void);
int program_init_main(int argc, char **argv);
void program_init_report(int32_t wait_status, int32_t error, int32_t stage, int32_t max_rss_kb);
int seccomp_policy_prepare(void);
int seccomp_policy_load(void);
// recvmsg of one request with up to `max_fds` descriptors (close-on-exec); -1 on EOF or error.
ssize_t receive_request(int socket, char *message, size_t size, int *fds, int max_fds, int *received);
char **request_strings(char *message, size_t length, uint32_t *count);
int send_request(int socket, char *const *strings, int count, const int *fds, int nfds);

#endif
