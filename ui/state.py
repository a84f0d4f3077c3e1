"""The URL as the state of a view: read query parameters, write them back."""

from __future__ import annotations

import streamlit as st


def query() -> dict[str, list[str]]:
    """Every query parameter with all its values."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def set_query(key: str, values: list[str] | str | None) -> None:
    """Set (or remove, when empty) one query parameter."""
    if values in (None, "", []):
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = values


def url_switch(container, label: str, options: list[str], *, param: str, default: str, key: str, **kwargs) -> str:
    """A segmented control kept in the URL parameter `param`: read from it, written back
    (left out when it is the default); clicking the active option keeps the default."""
    value = (
        container.segmented_control(label, options, default=url_choice(param, options, default), key=key, **kwargs)
        or default
    )
    set_query(param, None if value == default else value)
    return value


def url_choice(key: str, options: list[str], default: str) -> str:
    """The value of a single-choice parameter, or `default` when absent or unknown."""
    value = st.query_params.get(key)
    return value if value in options else default
