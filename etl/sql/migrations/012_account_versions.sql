-- Issue 20. An account's version changes with its password, its role or its cities, and
-- a removed then re-created login gets a new one (the sequence never repeats a value):
-- a signed-in session remembers the version it signed in with and is signed out on its
-- next run when the account's differs (ui/auth.py).
CREATE SEQUENCE IF NOT EXISTS account_version_seq START 1;
ALTER TABLE accounts ADD COLUMN version BIGINT;
UPDATE accounts SET version = nextval('account_version_seq');

-- Failed local sign-ins, by login (as typed, lower-cased, whether an account exists or
-- not) and by client address: attempts are slowed down per login and client, per client
-- and per login, and no account is ever locked by someone who only knows its login.
CREATE TABLE IF NOT EXISTS sign_in_failures (
    login VARCHAR NOT NULL,
    client VARCHAR NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
