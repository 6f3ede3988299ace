-- Bots, matches and ratings. A bot is a submission to a game room; a user's newest bot in a room
-- is the active one (the one that plays), older ones stay readable. Ratings live on the bot;
-- each rated match records every player's rating before and after, which is the rating history.
CREATE TABLE bots (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id             bigint NOT NULL CHECK (user_id > 0),
    room_id             bigint NOT NULL CHECK (room_id > 0),
    -- Copied from the room at creation (Submissions never reads the problems schema).
    game_id             bigint NOT NULL,
    game_slug           text NOT NULL,
    room_kind           text NOT NULL CHECK (room_kind IN ('general', 'practice', 'ranking')),
    version             integer NOT NULL,
    language            text NOT NULL,
    source_code         text NOT NULL CHECK (octet_length(source_code) BETWEEN 1 AND 65536),
    active              boolean NOT NULL DEFAULT true,
    games               integer NOT NULL DEFAULT 0,
    wins                integer NOT NULL DEFAULT 0,
    placement_remaining integer NOT NULL DEFAULT 0,
    mu                  double precision NOT NULL,
    sigma               double precision NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, room_id, version)
);

CREATE UNIQUE INDEX bots_active_idx ON bots (room_id, user_id) WHERE active;
CREATE INDEX bots_room_idx ON bots (room_id, id DESC);
CREATE INDEX bots_user_idx ON bots (user_id, id DESC);

CREATE TABLE matches (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id         bigint NOT NULL,
    game_id         bigint NOT NULL,
    game_slug       text NOT NULL,
    game_version_id bigint NOT NULL,
    game_version    text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('challenge', 'placement', 'ranked')),
    rated           boolean NOT NULL,
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    -- A uint64 stored by its bit pattern.
    seed            bigint NOT NULL,
    attempt         integer NOT NULL DEFAULT 1,
    -- Only this job may start or complete the match; every other job is stale.
    current_job_id  uuid NOT NULL,
    -- Like judge_jobs: the last XADD try, the entry once added, the last sign of life.
    enqueued_at     timestamptz NOT NULL DEFAULT now(),
    stream_entry_id text,
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    turns           integer NOT NULL DEFAULT 0,
    error           text NOT NULL DEFAULT '',
    -- gzip-compressed JSON (docs/game-protocol.md).
    replay          bytea,
    created_by      bigint NOT NULL DEFAULT 0,
    judge_worker    text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    -- Set in the transaction that applied the ratings: a match is rated at most once.
    rated_at        timestamptz
);

CREATE INDEX matches_room_idx ON matches (room_id, id DESC);
CREATE INDEX matches_pending_idx ON matches (room_id, id) WHERE status IN ('queued', 'running');

CREATE TABLE match_players (
    match_id     bigint NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    player       integer NOT NULL,
    bot_id       bigint NOT NULL REFERENCES bots (id),
    user_id      bigint NOT NULL,
    bot_version  integer NOT NULL,
    rank         integer NOT NULL DEFAULT 0,
    score        double precision NOT NULL DEFAULT 0,
    status       text NOT NULL DEFAULT '',
    reason       text NOT NULL DEFAULT '',
    cpu_time_ms  integer NOT NULL DEFAULT 0,
    memory_kb    bigint NOT NULL DEFAULT 0,
    log          text NOT NULL DEFAULT '',
    mu_before    double precision,
    sigma_before double precision,
    mu_after     double precision,
    sigma_after  double precision,
    PRIMARY KEY (match_id, player)
);

CREATE INDEX match_players_bot_idx ON match_players (bot_id, match_id DESC);
CREATE INDEX match_players_user_idx ON match_players (user_id, match_id DESC);

-- One row per attempt; a repeated completion of the same job finds completed_at and changes nothing.
CREATE TABLE match_jobs (
    id           uuid PRIMARY KEY,
    match_id     bigint NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    outcome      text,
    -- The referee's failure, when outcome is referee_failed: what operators look at first.
    error        text,
    judge_worker text
);

CREATE INDEX match_jobs_match_idx ON match_jobs (match_id);
