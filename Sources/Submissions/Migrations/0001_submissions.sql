-- Submissions of classic problems. Status and verdict are short words so that SQL reads plainly;
-- Swift maps them to the proto enums (StoredCodes.swift).
CREATE TABLE submissions (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           bigint NOT NULL CHECK (user_id > 0),
    problem_id        bigint NOT NULL CHECK (problem_id > 0),
    -- Copied from the problem at creation, so lists need no call to Problems.
    problem_slug      text NOT NULL,
    language          text NOT NULL,
    source_code       text NOT NULL CHECK (octet_length(source_code) BETWEEN 1 AND 65536),
    status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'compiling', 'running', 'done')),
    -- '' until status is done.
    verdict           text NOT NULL DEFAULT '',
    score             double precision NOT NULL DEFAULT 0,
    max_score         double precision NOT NULL DEFAULT 0,
    current_test      integer NOT NULL DEFAULT 0,
    total_tests       integer NOT NULL DEFAULT 0,
    max_cpu_time_ms   integer NOT NULL DEFAULT 0,
    max_memory_kb     bigint NOT NULL DEFAULT 0,
    compile_output    text NOT NULL DEFAULT '',
    test_data_version bigint NOT NULL,
    -- Judging attempt of the current job (1-based); system errors retried so far = attempt - 1.
    attempt           integer NOT NULL DEFAULT 1,
    -- Only this job may report progress or a result; every other job is stale.
    current_job_id    uuid NOT NULL,
    judge_worker      text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    judged_at         timestamptz
);

CREATE INDEX submissions_user_idx ON submissions (user_id, id DESC);
CREATE INDEX submissions_problem_idx ON submissions (problem_id, id DESC);
-- The sweeper's scan: only submissions still being judged.
CREATE INDEX submissions_pending_idx ON submissions (id) WHERE status <> 'done';

-- One row per judging attempt (a JudgeJob on the Redis stream "judge:jobs").
CREATE TABLE judge_jobs (
    id                uuid PRIMARY KEY,
    submission_id     bigint NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    attempt           integer NOT NULL,
    test_data_version bigint NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    -- Last XADD attempt; stream_entry_id is set once one succeeded.
    enqueued_at       timestamptz NOT NULL DEFAULT now(),
    stream_entry_id   text,
    -- Last sign of life: a successful enqueue or a progress report. The sweeper looks at it.
    last_seen_at      timestamptz NOT NULL DEFAULT now(),
    -- Set by the first accepted CompleteJudging; a repeated completion finds it and changes nothing.
    completed_at      timestamptz,
    verdict           text,
    judge_worker      text
);

CREATE INDEX judge_jobs_submission_idx ON judge_jobs (submission_id);

-- Per-test results of the last completed judging.
CREATE TABLE test_results (
    submission_id   bigint NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    test_index      integer NOT NULL,
    test_name       text NOT NULL,
    group_name      text NOT NULL,
    verdict         text NOT NULL,
    cpu_time_ms     integer NOT NULL,
    wall_time_ms    integer NOT NULL,
    memory_kb       bigint NOT NULL,
    checker_message text NOT NULL,
    points          double precision NOT NULL,
    exit_code       integer NOT NULL,
    PRIMARY KEY (submission_id, test_index)
);
