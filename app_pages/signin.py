"""Sign in: through the organisation's identity provider (OIDC) or a local account."""

import streamlit as st

from ui import auth
from ui.i18n import current_lang
from ui.texts import text
from ui.texts.account import TEXT

lang = current_lang()
st.title(text(TEXT, "title", lang))
st.caption(text(TEXT, "intro_required" if auth.viewers_sign_in() else "intro", lang))
oidc, local = auth.oidc_configured(), auth.local_configured()
if not (oidc or local):
    st.warning(text(TEXT, "none_configured", lang), icon=":material/lock:")
    st.stop()
if oidc and st.button(text(TEXT, "oidc", lang), type="primary", icon=":material/badge:", key="signin_oidc"):
    st.login()
if oidc:
    st.caption(text(TEXT, "oidc_help", lang))
if local:
    with st.form("signin_local"):
        st.subheader(text(TEXT, "local", lang))
        login = st.text_input(text(TEXT, "login", lang), key="signin_login", autocomplete="username")
        password = st.text_input(text(TEXT, "password", lang), type="password", key="signin_password")
        submitted = st.form_submit_button(text(TEXT, "submit", lang), type="primary")
    if submitted:
        auth.local_form_submitted(login, password, lang)
