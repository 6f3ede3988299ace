-- Accounts: one row per person. Usernames and emails are unique ignoring case.
CREATE TABLE accounts (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username           text NOT NULL CHECK (username ~ '^[a-z0-9_-]{3,32}$'),
    email              text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    password_hash      text NOT NULL,
    role               text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'staff', 'admin')),
    display_name       text NOT NULL DEFAULT '' CHECK (length(display_name) <= 64),
    bio                text NOT NULL DEFAULT '' CHECK (length(bio) <= 2000),
    preferred_language text NOT NULL DEFAULT '' CHECK (length(preferred_language) <= 32),
    joined_at          timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX accounts_username_key ON accounts (lower(username));
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));
