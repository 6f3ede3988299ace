-- Refresh tokens, stored as SHA-256 digests. A login starts a family; each refresh rotates the
-- token within it. Presenting a rotated token again means it was stolen: the family is revoked.
CREATE TABLE refresh_tokens (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    family      bytea NOT NULL,
    user_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    rotated_at  timestamptz,
    revoked_at  timestamptz
);

CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL;
