"""Accounts and sign-in: the `accounts` table, passwords, failed attempts, and the
coordinators' management of accounts (`python -m etl users`, the Administration page).

Local passwords are hashed with argon2id (argon2-cffi). An account without a hash
signs in only through the OpenID Connect provider: its login is the identifying claim.
Roles, `Principal` and the access checks are etl/access.py (the write side enforces
them); a `Principal` of None everywhere means the command-line operator, who is trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from etl.access import ROLES, AccessDenied, Principal, check_can_manage, check_demo_database
from etl.db import DatabaseError, retrying_conflicts
from etl.settings import settings
from etl.validate import Cities

MIN_PASSWORD_LENGTH = 12
LOGIN_PATTERN = re.compile(r"[^\s\x00-\x1f\x7f]{1,254}")  # e-mail addresses and plain names, no blanks

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_dummy_hash: str | None = None


# --- sign-in ---------------------------------------------------------------------------


def normalize_login(login: str) -> str:
    return str(login).strip().lower()


def _bad_credentials() -> AccessDenied:
    """The one answer to every failed sign-in (unknown login, wrong password, an account
    that signs in through SSO only): nothing tells whether a login exists."""
    return AccessDenied(
        "Identifiant ou mot de passe incorrect. Vérifiez-les (majuscules, clavier) et réessayez ; "
        "un compte de l'authentification unique de votre organisation se connecte par le bouton SSO.",
        "Wrong login or password. Check them (caps lock, keyboard layout) and try again; "
        "an account of your organisation's single sign-on signs in with the SSO button.",
    )


def _slowed(until: datetime) -> AccessDenied:
    """Too many failures from this client, or for this login: wait. Said the same way
    whether the login exists or not; the account itself is never locked."""
    return AccessDenied(
        f"Trop d'essais manqués : attendez {until:%H:%M} avant de réessayer. Mot de passe oublié ? "
        "La coordination peut le changer (python -m etl users passwd).",
        f"Too many failed attempts: wait until {until:%H:%M} before trying again. Forgotten password? "
        "A coordinator can change it (python -m etl users passwd).",
    )


def _spend_verification(password: str) -> None:
    """Verify against a throw-away hash, so that an unknown login takes as long as a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not the password of any account")
    try:
        _hasher.verify(_dummy_hash, password)
    except VerificationError:
        pass


def _verified(stored: str | None, password: str) -> bool:
    """One argon2 verification whatever the case: against the account's hash, or against a
    throw-away one when there is no hash (unknown login, SSO-only account)."""
    if stored is None:
        _spend_verification(password)
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _execute(con, sql: str, params) -> list[tuple]:
    """Run one write, retrying while another session updates the same account row."""
    return retrying_conflicts(
        lambda: con.execute(sql, params).fetchall(),
        "Le compte est modifié au même moment par une autre session : réessayez.",
        "The account is being changed by another session at the same moment: try again.",
        pause=0.02,
    )


def _accounts_query(con, sql: str, params) -> list[tuple]:
    try:
        return con.execute(sql, params).fetchall()
    except (duckdb.CatalogException, duckdb.BinderException) as exc:  # before migration 003 or 012, read-only
        raise DatabaseError(
            "Cette base n'a pas encore de table des comptes : mettez-la à jour avec « python -m etl migrate ».",
            'This database has no accounts table yet: upgrade it with "python -m etl migrate".',
        ) from exc


# Failures counted over the window (ENGAGEMENT_LOCKOUT_MINUTES) before a client must wait:
# for one login from one client, ENGAGEMENT_MAX_FAILED_LOGINS; for one client over any
# logins, CLIENT_FACTOR times that; for one login from every client, LOGIN_FACTOR times
# that, and then only clients that have failed on it wait (its owner, signing in from a
# client that has not failed, still gets in: nobody locks an account by naming it).
CLIENT_FACTOR = 4
LOGIN_FACTOR = 10


def _wait_until(con, login: str, client: str, now: datetime) -> datetime | None:
    """Until when this client must wait before trying `login` again, or None."""
    s = settings()
    window = timedelta(minutes=s.lockout_minutes)
    rows = con.execute(
        """SELECT login = $login, client = $client, failed_at FROM sign_in_failures
           WHERE failed_at > $since AND (login = $login OR client = $client) ORDER BY failed_at DESC""",
        {"login": login, "client": client, "since": now - window},
    ).fetchall()
    pair = [at for same_login, same_client, at in rows if same_login and same_client]
    by_client = [at for _, same_client, at in rows if same_client]
    by_login = [at for same_login, _, at in rows if same_login]
    waits = []
    for times, limit in ((pair, s.max_failed_logins), (by_client, CLIENT_FACTOR * s.max_failed_logins)):
        if len(times) >= limit:
            waits.append(times[limit - 1] + window)  # when the limit-th latest failure leaves the window
    limit = LOGIN_FACTOR * s.max_failed_logins
    if len(by_login) >= limit and pair:
        waits.append(by_login[limit - 1] + window)
    return max(waits) if waits else None


def _count_failure(con, login: str, client: str, now: datetime) -> None:
    """Remember a failure (and forget those out of every window)."""
    since = now - timedelta(minutes=settings().lockout_minutes)
    _execute(con, "DELETE FROM sign_in_failures WHERE failed_at <= ?", [since])
    _execute(con, "INSERT INTO sign_in_failures VALUES (?, ?, ?)", [login, client, now])


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxy: str | None) -> str:
    """The address failed sign-ins are counted under: the connection's `peer` (None means
    loopback, as Streamlit reports it), or, only when the peer is the configured reverse
    proxy, the address that proxy appended last to X-Forwarded-For (the ones before it
    are whatever the client sent, so they are never believed)."""
    peer = peer or "127.0.0.1"
    trusted = trusted_proxy == peer or (trusted_proxy in LOOPBACK and peer in LOOPBACK)
    if trusted_proxy and trusted and forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return peer


def authenticate(
    con, login: str, password: str, *, client: str | None = None, now: datetime | None = None
) -> Principal:
    """The principal of a local account whose password matches; raises AccessDenied.

    Every failure answers the same message after the same work (one argon2 verification,
    against a throw-away hash when the login is unknown or signs in through SSO only).
    Failures are counted by login and by `client` (its address; `con` must be writable),
    and past the limits (see _wait_until) the client waits; no account is ever locked."""
    now = now or datetime.now()
    key, client = normalize_login(login), client or "unknown"
    rows = _accounts_query(
        con, "SELECT login, role, cities, display_name, password_hash, version FROM accounts WHERE login = ?", [key]
    )
    stored = rows[0][4] if rows else None
    matches = _verified(stored, password)  # the same work before any answer
    wait = _wait_until(con, key, client, now)
    if wait is not None:
        raise _slowed(wait)
    if not matches:
        _count_failure(con, key, client, now)
        raise _bad_credentials()
    key, role, cities, display_name, stored, version = rows[0]
    fresh = _hasher.hash(password) if _hasher.check_needs_rehash(stored) else stored
    _execute(
        con,
        "UPDATE accounts SET failed_logins = 0, locked_until = NULL, last_login_at = ?, password_hash = ? WHERE login = ?",
        [now, fresh, key],
    )
    _execute(con, "DELETE FROM sign_in_failures WHERE login = ? AND client = ?", [key, client])
    return Principal(key, role, frozenset(cities), display_name=display_name, version=version)


def principal_for(con, login: str) -> Principal | None:
    """The account of `login` (any case), e.g. an OIDC email claim; None if unknown."""
    rows = _accounts_query(
        con, "SELECT login, role, cities, display_name, version FROM accounts WHERE login = ?", [normalize_login(login)]
    )
    if not rows:
        return None
    key, role, cities, display_name, version = rows[0]
    return Principal(key, role, frozenset(cities), display_name=display_name, version=version)


# --- managing accounts -----------------------------------------------------------------


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DatabaseError(
            f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères. "
            "Choisissez une phrase de passe plus longue, par exemple quatre mots sans rapport.",
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long. "
            "Choose a longer passphrase, for example four unrelated words.",
        )
    return _hasher.hash(password)


def _check_login(login: str) -> str:
    key = normalize_login(login)
    if not LOGIN_PATTERN.fullmatch(key):
        raise DatabaseError(
            f"Identifiant invalide : « {login} ». Utilisez une adresse e-mail ou un nom sans espace (254 caractères au plus).",
            f'Invalid login: "{login}". Use an e-mail address or a name without spaces (at most 254 characters).',
        )
    return key


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise DatabaseError(
            f"Rôle inconnu : « {role} ». Rôles possibles : {', '.join(ROLES)}.",
            f'Unknown role: "{role}". Possible roles: {", ".join(ROLES)}.',
        )


def _resolve_cities(con, role: str, cities: Iterable[str]) -> list[str]:
    """City codes (a reference name or alias is accepted too); unknown ones are listed."""
    known = Cities.from_db(con)
    codes, unknown = [], []
    for city in cities:
        code = city if city in known.names else known.resolve(city)
        (codes if code else unknown).append(code or city)
    if unknown:
        raise DatabaseError(
            f"Ville(s) inconnue(s) : {', '.join(unknown)}. Donnez le code d'une ville de la liste de référence "
            "(python -m etl cities list), ou faites d'abord ajouter la ville.",
            f"Unknown city or cities: {', '.join(unknown)}. Give the code of a city of the reference list "
            "(python -m etl cities list), or have the city added first.",
        )
    if role == "editor" and not codes:
        raise DatabaseError(
            "Un éditeur de ville doit avoir au moins une ville : choisissez-en une (--city CODE en ligne de commande).",
            "A city editor needs at least one city: choose one (--city CODE on the command line).",
        )
    return sorted(set(codes))


def _existing(con, login: str) -> tuple[str, str]:
    """(login, role) of an account that must exist."""
    key = normalize_login(login)
    rows = _accounts_query(con, "SELECT login, role FROM accounts WHERE login = ?", [key])
    if not rows:
        raise DatabaseError(
            f"Aucun compte « {key} ». Les comptes existants : python -m etl users list.",
            f'No account "{key}". Existing accounts: python -m etl users list.',
        )
    return rows[0]


def add_account(
    con,
    login: str,
    role: str,
    cities: Iterable[str] = (),
    password: str | None = None,
    *,
    display_name: str | None = None,
    by: Principal | None = None,
) -> None:
    """Create an account; without a password it signs in only through OIDC."""
    key = _check_login(login)
    _check_role(role)
    check_can_manage(by, target_role=role)
    check_demo_database(con, by)
    codes = _resolve_cities(con, role, cities)
    digest = hash_password(password) if password is not None else None
    if _accounts_query(con, "SELECT 1 FROM accounts WHERE login = ?", [key]):
        raise DatabaseError(
            f"Le compte « {key} » existe déjà. Changez son mot de passe (users passwd) ou supprimez-le d'abord (users remove).",
            f'The account "{key}" already exists. Change its password (users passwd) or remove it first (users remove).',
        )
    con.execute(
        """INSERT INTO accounts (login, display_name, role, cities, password_hash, created_at, created_by, version)
           VALUES (?, ?, ?, ?, ?, ?, ?, nextval('account_version_seq'))""",
        [key, display_name, role, codes, digest, datetime.now(), by.login if by else "cli"],
    )


def update_account(
    con,
    login: str,
    *,
    role: str | None = None,
    cities: Iterable[str] | None = None,
    display_name: str | None = None,
    by: Principal | None = None,
) -> None:
    """Change the role, the cities or the display name of an account (None keeps it)."""
    key, current_role = _existing(con, login)
    new_role = role or current_role
    _check_role(new_role)
    check_can_manage(by, target_role="admin" if "admin" in (current_role, new_role) else new_role)
    check_demo_database(con, by)
    current_cities = con.execute("SELECT cities FROM accounts WHERE login = ?", [key]).fetchone()[0]
    codes = _resolve_cities(con, new_role, current_cities if cities is None else cities)
    changed = new_role != current_role or codes != sorted(current_cities)  # open sessions must sign in again
    _execute(
        con,
        """UPDATE accounts SET role = ?, cities = ?, display_name = coalesce(?, display_name),
               version = CASE WHEN ? THEN nextval('account_version_seq') ELSE version END
           WHERE login = ?""",
        [new_role, codes, display_name, changed, key],
    )


def set_password(con, login: str, password: str | None, *, by: Principal | None = None) -> None:
    """Set a new password (None makes the account OIDC-only); also unlocks the account.
    Anyone may change their own password."""
    key, role = _existing(con, login)
    if by is None or by.login != key:
        check_can_manage(by, target_role=role)
    check_demo_database(con, by)
    digest = hash_password(password) if password is not None else None
    _execute(
        con,
        """UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL,
               version = nextval('account_version_seq') WHERE login = ?""",
        [digest, key],
    )
    _execute(con, "DELETE FROM sign_in_failures WHERE login = ?", [key])


def remove_account(con, login: str, *, by: Principal | None = None) -> None:
    key, role = _existing(con, login)
    check_can_manage(by, target_role=role)
    check_demo_database(con, by)
    if by is not None and by.login == key:
        raise AccessDenied(
            "Vous ne pouvez pas supprimer votre propre compte : demandez-le à un autre coordinateur.",
            "You may not remove your own account: ask another coordinator.",
        )
    _execute(con, "DELETE FROM accounts WHERE login = ?", [key])


def unlock(con, login: str, *, by: Principal | None = None) -> None:
    """Forget the failed sign-ins on `login` (every client may try it again at once)."""
    key, role = _existing(con, login)
    check_can_manage(by, target_role=role)
    check_demo_database(con, by)
    _execute(con, "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE login = ?", [key])
    _execute(con, "DELETE FROM sign_in_failures WHERE login = ?", [key])


def list_accounts(con, *, now: datetime | None = None) -> list[dict]:
    """Every account, by login; `oidc_only` instead of the hash, which never leaves this module;
    `recent_failures`, the failed sign-ins on it still counted (ENGAGEMENT_LOCKOUT_MINUTES),
    which `unlock` forgets."""
    since = (now or datetime.now()) - timedelta(minutes=settings().lockout_minutes)
    rows = con.execute(
        """SELECT a.login, a.display_name, a.role, a.cities, a.password_hash IS NULL AS oidc_only,
                  (SELECT count(*) FROM sign_in_failures f WHERE f.login = a.login AND f.failed_at > ?)
                      AS recent_failures,
                  a.created_at, a.created_by, a.last_login_at
           FROM accounts a ORDER BY a.login""",
        [since],
    )
    names = [d[0] for d in rows.description]
    return [dict(zip(names, r, strict=True)) for r in rows.fetchall()]


__all__ = [
    "add_account",
    "authenticate",
    "list_accounts",
    "principal_for",
    "remove_account",
    "set_password",
    "unlock",
    "update_account",
]
