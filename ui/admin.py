"""The Administration page's forms: accounts and reference cities, for coordinators.

Every action calls the ETL with the signed-in principal (`by=` / `principal=`), which
checks the role again; errors come back as DatabaseError with the fix, in both languages."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from charts.format import escape_markdown
from etl.access import ROLES, Principal
from etl.cities import GROUPS, NewCity, add_city
from etl.db import DatabaseError, reading, writing
from queries import data_version, db_path, fetch
from queries.cities import group_label
from service import accounts
from ui.auth import role_label
from ui.i18n import fmt_date, t
from ui.texts import text
from ui.texts.admin import TEXT

NOTICE_KEY = "admin_notice"


def write(action: Callable, done: str, lang: str) -> None:
    """Run `action(con)` on a writable connection; say what happened, or why not."""
    with writing(db_path()) as con:
        try:
            action(con)
        except DatabaseError as exc:
            st.error(escape_markdown(exc.fr if lang == "fr" else exc.en), icon=":material/block:")
            return
    st.session_state[NOTICE_KEY] = done
    st.rerun()


def notice() -> None:
    if (done := st.session_state.pop(NOTICE_KEY, None)) is not None:
        st.success(done, icon=":material/check_circle:")


def account_table(cities: dict[str, str], lang: str) -> list[dict]:
    with reading(db_path()) as con:
        rows = accounts.list_accounts(con)
    frame = pd.DataFrame(
        {
            text(TEXT, "login", lang).split(" (")[0]: [r["login"] for r in rows],
            text(TEXT, "name", lang): [r["display_name"] or "" for r in rows],
            text(TEXT, "role", lang): [role_label(r["role"], lang) for r in rows],
            text(TEXT, "account_cities", lang): [", ".join(cities.get(c, c) for c in r["cities"]) for r in rows],
            text(TEXT, "sso", lang): [bool(r["oidc_only"]) for r in rows],
            text(TEXT, "recent_failures", lang): [r["recent_failures"] for r in rows],
            text(TEXT, "last_login", lang): [fmt_date(r["last_login_at"], lang, with_time=True) for r in rows],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="—")
    return rows


def add_account_form(who: Principal, cities: dict[str, str], lang: str) -> None:
    with st.form("admin_add_account", clear_on_submit=True):
        left, right = st.columns(2)
        login = left.text_input(text(TEXT, "login", lang), key="admin_login")
        name = right.text_input(text(TEXT, "name", lang), key="admin_name")
        roles = [r for r in ROLES if r != "admin" or who.role == "admin"]
        role = left.selectbox(
            text(TEXT, "role", lang), roles, format_func=lambda r: role_label(r, lang), index=1,
            placeholder=t("choose_one", lang),
        )  # fmt: skip
        chosen = right.multiselect(
            text(TEXT, "account_cities", lang),
            list(cities),
            format_func=lambda c: cities.get(c, str(c)),
            placeholder=t("choose_many", lang),
            select_all=False,
            key="admin_cities",
        )
        sso = left.checkbox(text(TEXT, "sso_only", lang), key="admin_sso")
        password = right.text_input(text(TEXT, "password", lang), type="password", key="admin_password")
        submitted = st.form_submit_button(text(TEXT, "add_account", lang), type="primary")
    if submitted:
        if not login or not (sso or password):
            st.error(text(TEXT, "missing", lang))
            return
        write(
            lambda con: accounts.add_account(
                con, login, role, chosen, None if sso else password, display_name=name or None, by=who
            ),
            text(TEXT, "added", lang, login=escape_markdown(login)),
            lang,
        )


def account_actions(rows: list[dict], who: Principal, lang: str) -> None:
    if not rows:
        return
    login = st.selectbox(
        text(TEXT, "choose", lang), [r["login"] for r in rows], placeholder=t("choose_one", lang), key="admin_account"
    )
    left, right = st.columns(2)
    if left.button(text(TEXT, "unlock", lang), icon=":material/lock_open:", key="admin_unlock"):
        write(lambda con: accounts.unlock(con, login, by=who), text(TEXT, "done", lang), lang)
    sure = right.checkbox(text(TEXT, "confirm_remove", lang, login=escape_markdown(login)), key="admin_confirm_remove")
    if right.button(text(TEXT, "remove", lang), icon=":material/person_remove:", disabled=not sure, key="admin_remove"):
        write(lambda con: accounts.remove_account(con, login, by=who), text(TEXT, "done", lang), lang)


def city_table(lang: str) -> None:
    """The reference cities: name, local name, country, group, membership, population."""
    frame = fetch("cities", {"lang": lang}, version=data_version())
    yes_no = {True: "✔", False: "✘"}
    table = pd.DataFrame(
        {
            "code": frame["code"],
            text(TEXT, "col_city", lang): frame["name"],
            text(TEXT, "city_name", lang): frame["local_name"],
            text(TEXT, "col_country", lang): frame["country"],
            text(TEXT, "group", lang): [
                group_label(g, lang) if isinstance(g, str) else "—" for g in frame["country_group"]
            ],
            text(TEXT, "col_member", lang): frame["member"].map(yes_no),
            text(TEXT, "col_population", lang): frame["population"],
            text(TEXT, "col_year", lang): frame["population_year"],
            text(TEXT, "col_source", lang): frame["population_source"],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="admin_cities", placeholder="—")


def add_city_form(who: Principal, lang: str) -> None:
    with st.form("admin_add_city", clear_on_submit=True):
        a, b, c = st.columns(3)
        code = a.text_input(text(TEXT, "code", lang), key="admin_city_code")
        name = b.text_input(text(TEXT, "city_name", lang), key="admin_city_name")
        country = c.text_input(text(TEXT, "country", lang), max_chars=2, key="admin_city_country")
        name_fr = a.text_input(text(TEXT, "city_name_fr", lang), key="admin_city_name_fr")
        name_en = b.text_input(text(TEXT, "city_name_en", lang), key="admin_city_name_en")
        group = c.selectbox(
            text(TEXT, "group", lang),
            [None, *GROUPS],
            format_func=lambda g: text(TEXT, "no_group", lang) if g is None else group_label(g, lang),
            key="admin_city_group",
        )
        population = a.number_input(
            text(TEXT, "population", lang),
            min_value=1,
            step=1000,
            value=None,
            help=text(TEXT, "population_help", lang),
            key="admin_city_population",
        )
        year = b.number_input(
            text(TEXT, "year", lang), min_value=1990, max_value=2100, step=1, value=None, key="admin_city_year"
        )
        source = c.text_input(text(TEXT, "source", lang), key="admin_city_source")
        lat = a.number_input(text(TEXT, "lat", lang), min_value=-90.0, max_value=90.0, value=None, format="%.4f")
        lon = b.number_input(text(TEXT, "lon", lang), min_value=-180.0, max_value=180.0, value=None, format="%.4f")
        member = c.checkbox(text(TEXT, "member", lang), help=text(TEXT, "member_help", lang), key="admin_city_member")
        remark = st.text_input(text(TEXT, "remark", lang), key="admin_city_remark")
        submitted = st.form_submit_button(text(TEXT, "add_city", lang), type="primary")
    if submitted:
        if any(v in (None, "") for v in [code, name, country, lat, lon]):
            st.error(text(TEXT, "missing_city", lang))
            return
        city = NewCity(
            code.strip(),
            name.strip(),
            country.strip(),
            None if population is None else int(population),
            None if year is None else int(year),
            source.strip() or None,
            lat,
            lon,
            name_fr=name_fr.strip() or None,
            name_en=name_en.strip() or None,
            group=group,
            member=member,
            remark=remark.strip() or None,
        )
        write(
            lambda con: add_city(con, city, principal=who),
            text(TEXT, "city_added", lang, name=escape_markdown(name)),
            lang,
        )
