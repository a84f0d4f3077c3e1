"""Who is using the app: a demo persona, an OpenID Connect account or a local account.

The frame works the principal out once per run, registers only the pages its role may
use, and pages hand it to every write function of the ETL, which checks it again
(etl/access.py, service/accounts.py): hiding a page is a convenience, not the protection.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import streamlit as st

from charts.format import escape_markdown
from etl.access import ROLE_NAMES, ROLES, AccessDenied, Principal
from etl.db import DatabaseError, explain, is_database_fault, reading, writing
from etl.settings import settings
from queries import data_version, db_path, fetch
from queries.cities import beside, sort_key
from service import accounts
from ui.i18n import t
from ui.state import set_query
from ui.texts import text
from ui.texts.account import TEXT

PRINCIPAL_KEY = "auth_principal"  # the principal of this run, for the pages
LOCAL_KEY = "auth_local_login"  # the login of a local account signed in this session
VERSION_KEY = "auth_version"  # (login, account version) this session signed in with (migration 012)
ENDED_KEY = "auth_session_ended"  # the account changed under this session: say why it was signed out
# The demo persona lives in the URL (?demo_role=editor&demo_city=38185): a reload or a page
# change keeps it, and what it does is recorded under the persona chosen.
DEMO_ROLE_KEY = "demo_role"
DEMO_CITY_KEY = "demo_city"
OIDC_CLAIM = "email"


def viewers_sign_in() -> bool:
    """Whether the dashboards themselves need a sign-in (ENGAGEMENT_VIEWERS_SIGN_IN)."""
    return settings().viewers_sign_in


def oidc_configured() -> bool:
    """An OpenID Connect provider is set in `.streamlit/secrets.toml` ([auth])."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def local_configured() -> bool:
    """At least one local account has a password (`python -m etl users add`)."""
    try:
        with reading(db_path()) as con:
            return any(not a["oidc_only"] for a in accounts.list_accounts(con))
    except DatabaseError:  # no database yet, or one that cannot be opened
        return False


def role_label(role: str, lang: str) -> str:
    fr, en = ROLE_NAMES[role]
    return fr if lang == "fr" else en


def _account(login: str) -> Principal | None:
    with reading(db_path()) as con:
        return accounts.principal_for(con, login)


def _oidc_principal() -> Principal | None:
    if not oidc_configured() or not st.user.get("is_logged_in", False):
        return None
    claim = str(st.user.get(OIDC_CLAIM) or st.user.get("sub") or "")
    # A signed-in person with no account row is a viewer: roles are granted, never assumed.
    name = st.user.get("name")
    account = _account(claim)
    if account is None:
        return Principal(claim, "viewer", display_name=name)
    return replace(account, display_name=account.display_name or name)


def city_names(lang: str, *, local: bool = False) -> dict[str, str]:
    """Reference cities, code -> name in `lang` (with the local name beside it when
    `local`), alphabetical; cached by data version; empty without a database."""
    try:
        frame = fetch("cities", {"lang": lang}, version=data_version())
    except DatabaseError:
        return {}
    shown = map(beside, frame["name"], frame["local_name"]) if local else frame["name"]
    pairs = sorted(zip(frame["code"], shown, strict=True), key=lambda pair: sort_key(pair[1]))
    return dict(pairs)


def _demo_principal(lang: str) -> Principal:
    box = st.sidebar.expander(text(TEXT, "demo", lang), icon=":material/science:", expanded=True)
    box.caption(text(TEXT, "demo_help", lang))
    role = _url_choice(box, text(TEXT, "demo_role", lang), list(ROLES), DEMO_ROLE_KEY, "coordinator", lang)
    city = None
    if role == "editor" and (cities := city_names(lang, local=True)):
        codes = list(cities)
        city = _url_choice(box, text(TEXT, "demo_city", lang), codes, DEMO_CITY_KEY, codes[0], lang, cities)
    return Principal(f"demo-{role}", role, frozenset([city] if city else []), demo=True)


def _url_choice(box, label: str, options: list[str], key: str, default: str, lang: str, names=None) -> str:
    """A select box of codes kept in the URL parameter `key` (a reload keeps it) and in the
    session (a page change, which drops the URL's parameters, puts it back there). The
    URL holds the code, so a link works in either language."""
    wanted = st.query_params.get(key)
    if wanted not in options:
        wanted = st.session_state.get(f"{key}_kept", default)
    st.session_state[key] = wanted if wanted in options else default
    label_of = names.get if names else (lambda r: role_label(r, lang))
    value = box.selectbox(
        label,
        options,
        format_func=lambda v: label_of(v) or str(v),
        placeholder=t("choose_one", lang),
        key=key,
        on_change=_write_choice,
        args=(key, default),
    )
    st.session_state[f"{key}_kept"] = value
    set_query(key, None if value == default else value)
    return value


def _write_choice(key: str, default: str) -> None:
    """The new choice into the URL and the session before the run that reads them."""
    value = st.session_state[key]
    st.session_state[f"{key}_kept"] = value
    set_query(key, None if value == default else value)


def principal(lang: str) -> Principal | None:
    """The principal of this run, drawing the account box of the sidebar; None when
    nobody is signed in (outside demo mode)."""
    st.session_state[PRINCIPAL_KEY] = who = _demo_principal(lang) if settings().demo else _signed_in(lang)
    return who


def current() -> Principal:
    """The principal of this run; stops a page no principal may use (defence in depth:
    the frame does not register such pages, and the ETL checks again)."""
    who = st.session_state.get(PRINCIPAL_KEY)
    if who is None or not who.can_upload():
        st.stop()
    return who


def _signed_in(lang: str) -> Principal | None:
    who = None
    try:
        if (who := _oidc_principal()) is not None:
            who = _same_account(who, oidc=True)
        elif LOCAL_KEY in st.session_state:
            who = _same_account(_account(st.session_state[LOCAL_KEY]), oidc=False)
        else:  # nobody signed in (e.g. signed out at the provider): the next sign-in starts afresh
            st.session_state.pop(VERSION_KEY, None)
    except (DatabaseError, duckdb.Error) as exc:
        if not is_database_fault(exc):
            raise
        problem = explain(exc, db_path())
        st.sidebar.error(problem.fr if lang == "fr" else problem.en, icon=":material/database:")
    if st.session_state.pop(ENDED_KEY, False):
        st.warning(text(TEXT, "session_ended", lang), icon=":material/lock_reset:")
    if who is not None:
        _account_box(who, lang)
    return who


def _same_account(who: Principal | None, *, oidc: bool) -> Principal | None:
    """`who` while the account is the one this session signed in with: the same login at
    the same version (a password, role or city change, or a removal, changes it; a login
    removed and created again has a new one). Otherwise the session is signed out."""
    local = st.session_state.get(LOCAL_KEY)
    seen = st.session_state.get(VERSION_KEY)
    now = (who.login, who.version) if who is not None else (local, None)
    if seen is None and oidc and who is not None:  # the identity provider signed this session in
        st.session_state[VERSION_KEY] = seen = now
    if who is not None and seen == now:
        return who
    st.session_state.pop(LOCAL_KEY, None)
    st.session_state.pop(VERSION_KEY, None)
    st.session_state[ENDED_KEY] = True
    if oidc:
        st.logout()  # reruns, signed out
    st.rerun()
    return None


def _account_box(who: Principal, lang: str) -> None:
    box = st.sidebar.container(border=True)
    name = who.display_name or who.login
    box.markdown(text(TEXT, "signed_in", lang, name=escape_markdown(name), role=role_label(who.role, lang)))
    if who.role == "editor":
        cities = city_names(lang)
        box.caption(
            text(TEXT, "cities", lang, cities=", ".join(escape_markdown(cities.get(c, c)) for c in sorted(who.cities)))
        )
    if not who.can_upload():
        box.caption(text(TEXT, "no_role", lang))
    if box.button(text(TEXT, "sign_out", lang), icon=":material/logout:", key="auth_sign_out"):
        sign_out()


def sign_out() -> None:
    st.session_state.pop(LOCAL_KEY, None)
    st.session_state.pop(VERSION_KEY, None)
    if oidc_configured() and st.user.get("is_logged_in", False):
        st.logout()
    st.rerun()


def sign_in_local(login: str, password: str) -> None:
    """Check a local password (counting failures, so it opens the database for writing)
    and remember the login for this session; raises AccessDenied with the reason."""
    with writing(db_path(), upgrade=False) as con:
        who = accounts.authenticate(con, login, password, client=client())
    st.session_state[LOCAL_KEY] = who.login
    st.session_state[VERSION_KEY] = (who.login, who.version)


def client() -> str:
    """This session's client address, failed sign-ins are counted under (service.accounts.client_address)."""
    forwarded, peer = st.context.headers.get("X-Forwarded-For"), st.context.ip_address
    text_or_none = [v if isinstance(v, str) else None for v in (peer, forwarded)]  # None without a browser
    return accounts.client_address(*text_or_none, settings().trusted_proxy)


def demo_banner(who: Principal | None, lang: str) -> None:
    if who is not None and who.demo:
        st.info(text(TEXT, "demo_banner", lang, role=role_label(who.role, lang)), icon=":material/science:")


__all__ = ["AccessDenied", "demo_banner", "local_configured", "oidc_configured", "principal", "sign_in_local"]


def local_form_submitted(login: str, password: str, lang: str) -> None:
    """Handle the local sign-in form: sign in and rerun, or say why not."""
    if not login or not password:
        st.error(text(TEXT, "missing", lang))
        return
    try:
        sign_in_local(login, password)
    except DatabaseError as exc:  # AccessDenied included: wrong password, locked account
        st.error(escape_markdown(exc.fr if lang == "fr" else exc.en), icon=":material/lock:")
        return
    st.rerun()
