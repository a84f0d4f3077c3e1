"""`python -m etl users ...`: add, list, remove, unlock accounts and set passwords.

The command-line operator is trusted (no principal), as for the other commands.
Registered by etl/cli.py; exit codes are the CLI's (errors raise DatabaseError: 1).
"""

from __future__ import annotations

import getpass
import sys

from etl.access import ROLE_NAMES, ROLES
from etl.db import DatabaseError, writing
from etl.paths import database_path
from service import accounts

WORDS = {
    "fr": {
        "password": "Mot de passe (12 caractères au moins) : ",
        "again": "Le même, encore une fois : ",
        "added": "✔ compte « {login} » créé ({role}{cities}).",
        "oidc": " Il se connecte par l'authentification unique (SSO) avec l'identifiant « {login} ».",
        "removed": "✔ compte « {login} » supprimé.",
        "unlocked": "✔ compte « {login} » débloqué.",
        "passwd": "✔ mot de passe de « {login} » changé (le compte est débloqué).",
        "none": "Aucun compte. Ajoutez-en un : python -m etl users add LOGIN --role ROLE.",
        "sso": "SSO",
        "local": "mot de passe",
        "columns": ["identifiant", "nom", "rôle", "villes", "connexion", "échecs récents", "dernière connexion"],
    },
    "en": {
        "password": "Password (at least 12 characters): ",
        "again": "The same again: ",
        "added": '✔ account "{login}" created ({role}{cities}).',
        "oidc": ' It signs in through single sign-on (SSO) as "{login}".',
        "removed": '✔ account "{login}" removed.',
        "unlocked": '✔ account "{login}" unlocked.',
        "passwd": '✔ password of "{login}" changed (the account is unlocked).',
        "none": "No account yet. Add one: python -m etl users add LOGIN --role ROLE.",
        "sso": "SSO",
        "local": "password",
        "columns": ["login", "name", "role", "cities", "sign-in", "recent failures", "last sign-in"],
    },
}


def add_users_parser(sub, with_db) -> None:
    """The `users` command and its sub-commands, on the CLI's sub-parsers."""
    s = sub.add_parser("users", help="comptes et rôles / accounts and roles")
    usub = s.add_subparsers(dest="users_command", required=True, parser_class=type(s))
    a = with_db(usub.add_parser("add", help="créer un compte / create an account"))
    a.add_argument("login", help="identifiant, ou la valeur de la revendication OIDC (e-mail) / login or OIDC claim")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--city", action="append", default=[], help="code (ou nom) de ville / city code (or name)")
    a.add_argument("--name", default=None, help="nom affiché / display name")
    how = a.add_mutually_exclusive_group()
    how.add_argument("--oidc-only", action="store_true", help="sans mot de passe : SSO seulement / SSO only")
    how.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur stdin / read it on stdin")
    with_db(usub.add_parser("list", help="lister / list"))
    for name, text in [("remove", "supprimer / remove"), ("unlock", "débloquer / unlock")]:
        with_db(usub.add_parser(name, help=text)).add_argument("login")
    p = with_db(usub.add_parser("passwd", help="changer le mot de passe / set the password"))
    p.add_argument("login")
    p.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur stdin / read it on stdin")


def _read_password(args) -> str:
    """One line of stdin with --password-stdin (scripts), else typed twice, unseen."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n").rstrip("\r")
    w = WORDS[args.lang]
    try:
        first, second = getpass.getpass(w["password"]), getpass.getpass(w["again"])
    except EOFError:
        raise DatabaseError(
            "Aucun mot de passe saisi. Tapez-le au clavier, ou passez-le sur l'entrée standard avec --password-stdin.",
            "No password typed. Type it, or pass it on standard input with --password-stdin.",
        ) from None
    if first != second:
        raise DatabaseError(
            "Les deux saisies du mot de passe diffèrent : rien n'a été changé. Recommencez.",
            "The two passwords typed differ: nothing was changed. Start again.",
        )
    return first


def cmd_users(args) -> int:
    w = WORDS[args.lang]
    # Read the password before opening the database: a long prompt must not hold its lock.
    password = None
    if (args.users_command == "add" and not args.oidc_only) or args.users_command == "passwd":
        password = _read_password(args)
    with writing(database_path(args.db)) as con:
        login = accounts.normalize_login(getattr(args, "login", ""))
        if args.users_command == "add":
            accounts.add_account(con, args.login, args.role, args.city, password, display_name=args.name)
            account = accounts.principal_for(con, login)
            role = ROLE_NAMES[args.role][args.lang == "en"]
            cities = f" : {', '.join(sorted(account.cities))}" if account.cities else ""
            print(
                w["added"].format(login=login, role=role, cities=cities)
                + (w["oidc"].format(login=login) * (password is None))
            )
        elif args.users_command == "list":
            _print_accounts(accounts.list_accounts(con), args.lang)
        elif args.users_command == "remove":
            accounts.remove_account(con, login)
            print(w["removed"].format(login=login))
        elif args.users_command == "unlock":
            accounts.unlock(con, login)
            print(w["unlocked"].format(login=login))
        else:
            accounts.set_password(con, login, password)
            print(w["passwd"].format(login=login))
        return 0


def _print_accounts(rows: list[dict], lang: str) -> None:
    w = WORDS[lang]
    if not rows:
        print(w["none"])
        return
    import pandas as pd  # only for this listing

    def when(value) -> str:
        return "" if value is None else f"{value:%Y-%m-%d %H:%M}"

    table = [
        [
            r["login"],
            r["display_name"] or "",
            ROLE_NAMES[r["role"]][lang == "en"],
            " ".join(r["cities"]),
            w["sso"] if r["oidc_only"] else w["local"],
            r["recent_failures"],
            when(r["last_login_at"]),
        ]
        for r in rows
    ]
    print(pd.DataFrame(table, columns=w["columns"]).to_string(index=False))
