-- Games, their semantic versions and rooms. A version's referee and limits never change once
-- created: matches record the version they were played with, so that any match can be replayed.
CREATE TABLE games (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug           text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{3,64}$'),
    title          text NOT NULL,
    rules_markdown text NOT NULL,
    min_players    integer NOT NULL CHECK (min_players BETWEEN 2 AND 8),
    max_players    integer NOT NULL CHECK (max_players BETWEEN min_players AND 8),
    author_id      bigint NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE game_versions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    game_id          bigint NOT NULL REFERENCES games (id),
    major            integer NOT NULL CHECK (major >= 1),
    minor            integer NOT NULL CHECK (minor >= 0),
    micro            integer NOT NULL CHECK (micro >= 0),
    changelog        text NOT NULL,
    referee_language text NOT NULL,
    referee_source   text NOT NULL,
    referee_sha256   text NOT NULL,
    init_time_ms     integer NOT NULL,
    turn_time_ms     integer NOT NULL,
    max_turns        integer NOT NULL,
    memory_mb        integer NOT NULL,
    templates        jsonb NOT NULL,
    author_id        bigint NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (game_id, major, minor, micro)
);

-- One room of each kind per major version.
CREATE TABLE rooms (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    game_id bigint NOT NULL REFERENCES games (id),
    major   integer NOT NULL,
    kind    text NOT NULL CHECK (kind IN ('general', 'practice', 'ranking')),
    UNIQUE (game_id, major, kind)
);
