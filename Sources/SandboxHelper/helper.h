// The privileged half of the sandbox, kept small and in C: fork/exec, setuid, rlimits, seccomp and
// reaping must happen between fork and exec, where a Swift runtime cannot safely run.
#ifndef SANDBOX_HELPER_H
#define SANDBOX_HELPER_H

#include <stdint.h>

// Wire format shared with Sources/JudgeCore/Sandbox/SlotHelper.swift.
#define SLOT_REQUEST_MAGIC 0x53425251u  // "SBRQ"
#define SLOT_REPLY_MAGIC 0x53425250u    // "SBRP"
#define INIT_STATUS_MAGIC 0x53425354u   // "SBST"
#define SLOT_REQUEST_FDS 4              // stdin, stdout, stderr, status pipe
#define SLOT_REQUEST_MAX (256 * 1024)

struct slot_request_header {
    uint32_t magic;
    uint32_t argc;  // NUL-terminated strings follow: argv of bwrap
};

struct slot_reply {
    uint32_t magic;
    int32_t error;        // errno of fork/exec of bwrap, 0 when it ran
    int32_t wait_status;  // bwrap's wait status
    int32_t pid;
};

enum init_stage { INIT_STAGE_EXEC = 0, INIT_STAGE_CREDENTIALS = 1, INIT_STAGE_LIMITS = 2, INIT_STAGE_SECCOMP = 3, INIT_STAGE_FORK = 4 };

struct init_status {
    uint32_t magic;
    int32_t wait_status;  // the program's own wait status, from our reaper
    int32_t error;        // errno when the program never started
    int32_t stage;
};

int slot_server_main(int argc, char **argv);
int program_init_main(int argc, char **argv);
int seccomp_policy_load(void);

#endif
