"""Local and OIDC accounts: argon2 hashes, lock-out, who may manage whom, the `users` CLI."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import duckdb
import pytest
from argon2 import PasswordHasher

from etl.access import AccessDenied, Principal
from etl.db import DatabaseError, open_database
from service import accounts
from service.accounts import (
    add_account,
    authenticate,
    list_accounts,
    principal_for,
    remove_account,
    set_password,
    unlock,
    update_account,
)
from tests.conftest import run_cli

PASSWORD = "correct horse battery"
LYON, PARIS = "69123", "75056"
COORD = Principal("coord@example.org", "coordinator")
ADMIN = Principal("root@example.org", "admin")
T0 = datetime(2025, 3, 14, 10, 0)


def stored_hash(con, login: str) -> str | None:
    return con.execute("SELECT password_hash FROM accounts WHERE login = ?", [login]).fetchone()[0]


def test_password_is_hashed_with_argon2id_and_signs_in_any_case(con):
    add_account(con, "Alice@Example.org", "editor", ["Lyon", PARIS], PASSWORD, display_name="Alice")
    digest = stored_hash(con, "alice@example.org")
    assert digest.startswith("$argon2id$") and PASSWORD not in digest
    me = authenticate(con, "  ALICE@example.ORG ", PASSWORD, now=T0)
    assert me == Principal("alice@example.org", "editor", frozenset({LYON, PARIS}), display_name="Alice")
    assert con.execute("SELECT last_login_at FROM accounts").fetchone()[0] == T0
    listed = list_accounts(con)
    assert [a["login"] for a in listed] == ["alice@example.org"]
    assert listed[0]["oidc_only"] is False
    assert not any("hash" in key for key in listed[0]) and PASSWORD not in repr(listed)


def test_password_is_rehashed_when_the_parameters_change(con):
    add_account(con, "alice", "viewer", password=PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    con.execute("UPDATE accounts SET password_hash = ? WHERE login = 'alice'", [weak])
    authenticate(con, "alice", PASSWORD)
    fresh = stored_hash(con, "alice")
    assert fresh != weak and not PasswordHasher().check_needs_rehash(fresh)
    assert authenticate(con, "alice", PASSWORD).login == "alice"


def test_short_password_is_refused_in_both_languages(con):
    with pytest.raises(DatabaseError) as refused:
        add_account(con, "alice", "viewer", password="short pass")
    assert "12 caractères" in refused.value.fr and "12 characters" in refused.value.en
    assert list_accounts(con) == []


def test_every_failure_answers_the_same_after_the_same_work(con, monkeypatch):
    """Issue 20: an SSO-only account answered a distinct message in 0.6 ms, a locked one
    "Compte bloqué": both told that the login exists."""
    add_account(con, "alice", "viewer", password=PASSWORD)
    add_account(con, "bob@example.org", "coordinator")  # SSO only: no password here
    verified = []

    class Counting(PasswordHasher):
        def verify(self, hash, password):
            verified.append(password)
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "_hasher", Counting())
    answers = set()
    for login in ("nobody", "alice", "bob@example.org"):
        with pytest.raises(AccessDenied) as refused:
            authenticate(con, login, "whatever it is", client="198.51.100.7")
        answers.add((refused.value.fr, refused.value.en))
    assert len(answers) == 1
    fr, en = answers.pop()
    assert "incorrect" in fr and "SSO" in fr and "Wrong login or password" in en
    assert verified == ["whatever it is"] * 3  # one argon2 verification each: no timing oracle


def test_failures_slow_a_client_down_and_never_lock_the_account(con, monkeypatch):
    """Issue 20: five tries from anywhere locked any login for 15 minutes."""
    monkeypatch.setenv("ENGAGEMENT_MAX_FAILED_LOGINS", "3")
    monkeypatch.setenv("ENGAGEMENT_LOCKOUT_MINUTES", "15")
    add_account(con, "alice", "editor", [LYON], PASSWORD)
    attacker, owner = "203.0.113.9", "198.51.100.20"
    for minute in range(3):
        with pytest.raises(AccessDenied, match="incorrect"):
            authenticate(con, "alice", "wrong password!", client=attacker, now=T0 + timedelta(minutes=minute))
    with pytest.raises(AccessDenied) as slowed:  # even the right password: this client waits
        authenticate(con, "alice", PASSWORD, client=attacker, now=T0 + timedelta(minutes=3))
    assert "10:15" in slowed.value.fr and "10:15" in slowed.value.en  # the first failure leaves the window
    assert "alice" not in slowed.value.fr
    # The owner, from another client, signs in at once: naming a login does not lock it.
    assert authenticate(con, "alice", PASSWORD, client=owner, now=T0 + timedelta(minutes=3)).role == "editor"
    assert authenticate(con, "alice", PASSWORD, client=attacker, now=T0 + timedelta(minutes=15, seconds=1))
    # An unknown login is slowed down exactly the same way.
    for minute in range(3):
        with pytest.raises(AccessDenied, match="incorrect"):
            authenticate(con, "nobody", "wrong password!", client=attacker, now=T0 + timedelta(hours=1, minutes=minute))
    with pytest.raises(AccessDenied, match="10:15|11:15"):
        authenticate(con, "nobody", "wrong password!", client=attacker, now=T0 + timedelta(hours=1, minutes=3))
    # A client spraying many logins waits too (4 x 3 failures over any logins).
    for n in range(12):
        with pytest.raises(AccessDenied, match="incorrect"):
            authenticate(con, f"user{n}", "wrong password!", client="192.0.2.1", now=T0 + timedelta(hours=2))
    with pytest.raises(AccessDenied, match="Trop d'essais"):
        authenticate(con, "someone-else", "wrong password!", client="192.0.2.1", now=T0 + timedelta(hours=2))
    # A coordinator's unlock forgets a login's failures.
    for _ in range(3):
        with pytest.raises(AccessDenied):
            authenticate(con, "alice", "wrong password!", client=attacker, now=T0 + timedelta(hours=3))
    unlock(con, "alice", by=COORD)
    assert authenticate(con, "alice", PASSWORD, client=attacker, now=T0 + timedelta(hours=3)).login == "alice"


def test_many_clients_on_one_login_slow_only_those_that_failed(con, monkeypatch):
    monkeypatch.setenv("ENGAGEMENT_MAX_FAILED_LOGINS", "1")  # login-wide limit: 10 failures
    add_account(con, "alice", "viewer", password=PASSWORD)
    for n in range(10):
        with pytest.raises(AccessDenied, match="incorrect"):
            authenticate(con, "alice", "wrong password!", client=f"203.0.113.{n}", now=T0)
    with pytest.raises(AccessDenied, match="Trop d'essais"):
        authenticate(con, "alice", "wrong password!", client="203.0.113.0", now=T0)
    assert authenticate(con, "alice", PASSWORD, client="198.51.100.20", now=T0).login == "alice"


def test_client_address_believes_x_forwarded_for_only_from_the_proxy():
    from service.accounts import client_address

    assert client_address("203.0.113.9", "10.0.0.1", None) == "203.0.113.9"  # no proxy configured
    assert client_address("203.0.113.9", "10.0.0.1", "127.0.0.1") == "203.0.113.9"  # not from the proxy
    assert client_address(None, "1.2.3.4, 198.51.100.7", "127.0.0.1") == "198.51.100.7"  # loopback proxy
    assert client_address("10.0.0.2", "forged, 198.51.100.7", "10.0.0.2") == "198.51.100.7"  # the last hop only
    assert client_address("10.0.0.2", None, "10.0.0.2") == "10.0.0.2"
    assert client_address(None, None, None) == "127.0.0.1"


def test_account_version_changes_with_password_role_cities_and_re_creation(con):
    add_account(con, "alice", "editor", [LYON], PASSWORD)
    versions = [principal_for(con, "alice").version]
    set_password(con, "alice", "another long passphrase", by=COORD)
    versions.append(principal_for(con, "alice").version)
    update_account(con, "alice", display_name="Alice", by=COORD)  # a name is not a right: same version
    assert principal_for(con, "alice").version == versions[-1]
    update_account(con, "alice", cities=[LYON, "75056"], by=COORD)
    versions.append(principal_for(con, "alice").version)
    update_account(con, "alice", role="coordinator", cities=[], by=COORD)
    versions.append(principal_for(con, "alice").version)
    remove_account(con, "alice", by=COORD)
    assert principal_for(con, "alice") is None
    add_account(con, "alice", "editor", [LYON], PASSWORD)
    versions.append(principal_for(con, "alice").version)
    assert len(set(versions)) == len(versions)
    assert authenticate(con, "alice", PASSWORD).version == versions[-1]


def test_oidc_only_account_refuses_a_password_and_is_found_by_its_claim(con):
    add_account(con, "Bob@Example.org", "coordinator", display_name="Bob")
    assert stored_hash(con, "bob@example.org") is None
    with pytest.raises(AccessDenied) as refused:
        authenticate(con, "bob@example.org", PASSWORD)
    assert "SSO" in refused.value.fr and "SSO" in refused.value.en
    assert principal_for(con, "BOB@example.org") == Principal("bob@example.org", "coordinator", display_name="Bob")
    assert principal_for(con, "nobody@example.org") is None
    assert list_accounts(con)[0]["oidc_only"] is True


@pytest.mark.parametrize("by", [Principal("v", "viewer"), Principal("e", "editor", {LYON})])
def test_viewers_and_editors_cannot_manage_accounts(con, by):
    add_account(con, "alice", "editor", [LYON], PASSWORD)
    for attempt in [
        lambda: add_account(con, "mallory", "editor", [LYON], PASSWORD, by=by),
        lambda: remove_account(con, "alice", by=by),
        lambda: unlock(con, "alice", by=by),
        lambda: set_password(con, "alice", "another long password", by=by),
        lambda: update_account(con, "alice", cities=[PARIS], by=by),
    ]:
        with pytest.raises(AccessDenied, match="coordination"):
            attempt()
    assert [(a["login"], a["cities"]) for a in list_accounts(con)] == [("alice", [LYON])]
    authenticate(con, "alice", PASSWORD)  # the password did not change


def test_only_an_admin_creates_or_changes_an_admin(con):
    add_account(con, "editor1", "editor", ["Lyon"], by=COORD)
    with pytest.raises(AccessDenied, match="administrateur"):
        add_account(con, "boss", "admin", password=PASSWORD, by=COORD)
    add_account(con, "boss", "admin", password=PASSWORD, by=ADMIN)
    for attempt in [
        lambda: set_password(con, "boss", "another long password", by=COORD),
        lambda: remove_account(con, "boss", by=COORD),
        lambda: unlock(con, "boss", by=COORD),
        lambda: update_account(con, "editor1", role="admin", by=COORD),
    ]:
        with pytest.raises(AccessDenied, match="administrateur"):
            attempt()
    update_account(con, "editor1", cities=[LYON, "Paris"], by=COORD)
    assert principal_for(con, "editor1").cities == {LYON, PARIS}
    remove_account(con, "boss", by=ADMIN)
    assert principal_for(con, "boss") is None
    assert list_accounts(con)[0]["created_by"] == COORD.login


def test_anyone_changes_their_own_password_but_not_removes_themselves(con):
    add_account(con, "alice", "editor", [LYON], PASSWORD)
    alice = authenticate(con, "alice", PASSWORD)
    set_password(con, "alice", "my new long passphrase", by=alice)
    authenticate(con, "alice", "my new long passphrase")
    add_account(con, "coord", "coordinator", password=PASSWORD)
    with pytest.raises(AccessDenied, match="propre compte"):
        remove_account(con, "coord", by=Principal("coord", "coordinator"))


def test_cities_must_exist_and_an_editor_needs_one(con):
    with pytest.raises(DatabaseError) as unknown:
        add_account(con, "alice", "editor", [LYON, "Atlantis", "XX-000"], PASSWORD)
    assert "Atlantis, XX-000" in unknown.value.fr and "Atlantis, XX-000" in unknown.value.en
    with pytest.raises(DatabaseError, match="au moins une ville"):
        add_account(con, "alice", "editor", [], PASSWORD)
    with pytest.raises(DatabaseError, match="Rôle inconnu"):
        add_account(con, "alice", "superuser", [LYON], PASSWORD)
    with pytest.raises(DatabaseError, match="Identifiant invalide"):
        add_account(con, "alice smith", "viewer", password=PASSWORD)
    add_account(con, "alice", "viewer", password=PASSWORD)
    with pytest.raises(DatabaseError, match="existe déjà"):
        add_account(con, "ALICE", "viewer", password=PASSWORD)
    assert len(list_accounts(con)) == 1


def test_existing_database_gains_the_accounts_table(db_path):
    con = open_database(db_path)
    con.execute("DROP TABLE accounts")
    con.execute("DELETE FROM schema_migrations WHERE name IN ('003_accounts.sql', '012_account_versions.sql')")
    con.close()
    with duckdb.connect(str(db_path), read_only=True) as old:  # an older database, opened read-only
        with pytest.raises(DatabaseError, match="python -m etl migrate"):
            principal_for(old, "alice")
    con = open_database(db_path)
    add_account(con, "alice", "viewer", password=PASSWORD)
    assert authenticate(con, "alice", PASSWORD).role == "viewer"
    con.close()


def test_users_command_line(tmp_path):
    db = str(tmp_path / "users.duckdb")
    added = run_cli(
        "users", "add", "Alice@Example.org", "--role", "editor", "--city", "Lyon", "--name", "Alice Martin",
        "--password-stdin", "--db", db, input=PASSWORD + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "alice@example.org" in added.stdout and LYON in added.stdout
    sso = run_cli("--lang", "en", "users", "add", "bob@example.org", "--role", "coordinator", "--oidc-only", "--db", db)
    assert sso.returncode == 0 and "single sign-on" in sso.stdout
    listed = run_cli("users", "list", "--db", db)
    assert listed.returncode == 0
    assert "alice@example.org" in listed.stdout and "Alice Martin" in listed.stdout and "SSO" in listed.stdout
    assert "argon2" not in listed.stdout

    dup = run_cli("users", "add", "alice@example.org", "--role", "viewer", "--oidc-only", "--db", db)
    assert dup.returncode == 1 and "existe déjà" in dup.stderr and "already exists" in dup.stderr
    short = run_cli("users", "passwd", "alice@example.org", "--password-stdin", "--db", db, input="short\n")
    assert short.returncode == 1 and "12" in short.stderr
    unknown_city = run_cli("users", "add", "carol", "--role", "editor", "--city", "Atlantis", "--oidc-only", "--db", db)
    assert unknown_city.returncode == 1 and "Atlantis" in unknown_city.stderr
    usage = run_cli("users", "add", "carol", "--role", "editor", "--oidc-only", "--password-stdin", "--db", db)
    assert usage.returncode == 2
    assert run_cli("users", "add", "carol", "--role", "chief", "--db", db).returncode == 2

    new = "a new long passphrase"
    passwd = run_cli("users", "passwd", "ALICE@example.org", "--password-stdin", "--db", db, input=new + "\r\n")
    assert passwd.returncode == 0, passwd.stderr
    con = open_database(tmp_path / "users.duckdb")
    for _ in range(3):
        with pytest.raises(AccessDenied):
            authenticate(con, "alice@example.org", "not the passphrase", client="192.0.2.7")
    con.close()
    listed = run_cli("--lang", "en", "users", "list", "--db", db).stdout
    assert "recent failures" in listed and re.search(r"alice@example\.org .* 3 ", listed), listed
    assert run_cli("users", "unlock", "alice@example.org", "--db", db).returncode == 0
    assert not re.search(r"alice@example\.org .* 3 ", run_cli("--lang", "en", "users", "list", "--db", db).stdout)
    con = open_database(tmp_path / "users.duckdb")
    assert authenticate(con, "alice@example.org", new).display_name == "Alice Martin"
    con.close()
    removed = run_cli("--lang", "en", "users", "remove", "bob@example.org", "--db", db)
    assert removed.returncode == 0 and "removed" in removed.stdout
    gone = run_cli("users", "remove", "bob@example.org", "--db", db)
    assert gone.returncode == 1 and "Aucun compte" in gone.stderr and "No account" in gone.stderr


def test_an_account_changed_by_another_session_meanwhile_is_refused_then_changes(con):
    """The write is tried again while another session holds the account's row; past the
    tries, refused in its own words; once the other session has committed, it goes through."""
    add_account(con, "alice", "viewer", password=PASSWORD)
    other = con.cursor()
    other.execute("BEGIN TRANSACTION")
    other.execute("UPDATE accounts SET failed_logins = 3 WHERE login = 'alice'")
    with pytest.raises(DatabaseError) as raised:
        unlock(con.cursor(), "alice")
    assert raised.value.fr == "Le compte est modifié au même moment par une autre session : réessayez."
    assert raised.value.en == "The account is being changed by another session at the same moment: try again."
    other.execute("COMMIT")
    unlock(con, "alice")
    assert con.execute("SELECT failed_logins FROM accounts WHERE login = 'alice'").fetchone()[0] == 0
