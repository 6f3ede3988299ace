-- Test files addressed by content: a file is stored once however many versions and problems use it.
CREATE TABLE test_blobs (
    sha256     bytea PRIMARY KEY CHECK (length(sha256) = 32),
    size       bigint NOT NULL CHECK (size >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A blob's bytes in 1 MiB rows (the download chunk cap), so that a chunk read touches at most two
-- rows and each row keeps TOAST compression (test files are mostly text and compress well).
CREATE TABLE test_blob_chunks (
    sha256 bytea NOT NULL REFERENCES test_blobs (sha256) ON DELETE CASCADE,
    seq    integer NOT NULL CHECK (seq >= 0),
    data   bytea NOT NULL,
    PRIMARY KEY (sha256, seq)
);

-- Versions are never changed or removed by the service: rejudges use the version they were judged with.
CREATE TABLE test_data_versions (
    problem_id bigint NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    version    bigint NOT NULL CHECK (version > 0),
    total_size bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (problem_id, version)
);

CREATE TABLE test_data_tests (
    problem_id    bigint NOT NULL,
    version       bigint NOT NULL,
    -- Run order: natural order of names ("2" before "10").
    position      integer NOT NULL,
    name          text NOT NULL,
    group_name    text NOT NULL,
    points        integer NOT NULL,
    input_sha256  bytea NOT NULL REFERENCES test_blobs (sha256),
    answer_sha256 bytea NOT NULL REFERENCES test_blobs (sha256),
    PRIMARY KEY (problem_id, version, position),
    UNIQUE (problem_id, version, name),
    FOREIGN KEY (problem_id, version) REFERENCES test_data_versions (problem_id, version) ON DELETE CASCADE
);
