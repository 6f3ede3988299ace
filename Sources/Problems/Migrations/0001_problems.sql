-- Classic problems. Lists and filters use the plain columns; the nested parts of the editor's form
-- (samples, templates, checker, scoring) are jsonb documents read and written whole.
CREATE TABLE problems (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{3,64}$'),
    title               text NOT NULL,
    statement_markdown  text NOT NULL,
    input_format        text NOT NULL,
    output_format       text NOT NULL,
    samples             jsonb NOT NULL,
    tags                text[] NOT NULL,
    difficulty          text NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    time_limit_ms       integer NOT NULL CHECK (time_limit_ms BETWEEN 100 AND 15000),
    memory_limit_mb     integer NOT NULL CHECK (memory_limit_mb BETWEEN 16 AND 1024),
    allowed_languages   text[] NOT NULL,
    templates           jsonb NOT NULL,
    visibility          text NOT NULL CHECK (visibility IN ('draft', 'public')),
    author_ids          bigint[] NOT NULL,
    checker             jsonb NOT NULL,
    interactive         boolean NOT NULL,
    interactor_source   text NOT NULL,
    interactor_language text NOT NULL,
    scoring             jsonb NOT NULL,
    -- Optimistic concurrency: UpdateProblem names the revision it read.
    revision            bigint NOT NULL DEFAULT 1,
    test_data_version   bigint NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX problems_tags_idx ON problems USING gin (tags);
CREATE INDEX problems_author_ids_idx ON problems USING gin (author_ids);
