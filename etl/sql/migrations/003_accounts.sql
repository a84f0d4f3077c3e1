-- Local and OIDC accounts (service/accounts.py). `login` is stored lower-cased: an email
-- claim and a typed login match whatever their case. A NULL password_hash means the
-- account signs in only through the OpenID Connect provider.

CREATE TABLE IF NOT EXISTS accounts (
    login VARCHAR PRIMARY KEY CHECK (login = lower(login) AND length(login) > 0),
    display_name VARCHAR,
    role VARCHAR NOT NULL CHECK (role IN ('viewer', 'editor', 'coordinator', 'admin')),
    cities VARCHAR[] NOT NULL DEFAULT [],
    password_hash VARCHAR,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    created_by VARCHAR,
    last_login_at TIMESTAMP
);
