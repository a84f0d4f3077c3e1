"""The Present page's look: the high-contrast slide, and full screen when presenting."""

from __future__ import annotations

import streamlit as st

from charts.presentation import THEME


def style(full_screen: bool, demo: bool = False) -> None:
    """The high-contrast slide (dark text on white, large type); in presentation mode
    also no sidebar and no header, and with `demo` no demo banner (the footer says it)."""
    css = f"""
    .st-key-present_stage {{ background: {THEME["background"]}; color: {THEME["text"]}; }}
    .st-key-present_stage h2 {{ font-size: 32px; line-height: 1.3; color: {THEME["text"]}; padding: 0; }}
    .st-key-present_stage .present-note, .st-key-present_stage .present-footer {{
        font-size: 18px; color: {THEME["muted"]}; margin: 0 !important; }}
    .st-key-present_stage .present-takeaway {{ font-size: 22px; color: {THEME["text"]}; margin: 0 !important; }}
    /* The slide stays dark on white in the dark theme too: its buttons with it. */
    .st-key-present_stage {{ color-scheme: light; }}
    .st-key-present_stage button {{ background: {THEME["background"]} !important; color: {THEME["text"]} !important;
        border-color: {THEME["outline"]} !important; }}
    .st-key-present_stage button:hover:not(:disabled) {{ color: {THEME["accent"]} !important;
        border-color: {THEME["accent"]} !important; }}
    .st-key-present_stage button:disabled {{ color: {THEME["muted"]} !important; }}
    .st-key-present_stage button p, .st-key-present_stage kbd {{ font-size: 18px; }}
    .st-key-present_stage button [data-testid="stIconMaterial"] {{ font-size: 22px; }}
    .st-key-present_page_up, .st-key-present_page_down {{ display: none; }}
    """
    if full_screen:
        css += f"""
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
        [data-testid="stHeader"] {{ display: none !important; }}
        [data-testid="stApp"], [data-testid="stMain"] {{ background: {THEME["background"]}; }}
        [data-testid="stMainBlockContainer"] {{ padding: 0.75rem 1.5rem 0 1.5rem; max-width: 100%; }}
        :has(> .st-key-present_stage) {{ flex: 0 0 calc(100dvh - 0.75rem) !important; height: calc(100dvh - 0.75rem) !important; }}
        .st-key-present_stage [data-testid="stMarkdownContainer"] {{ margin-bottom: 0 !important; }}
        .st-key-present_stage, .st-key-present_stage [data-testid="stVerticalBlock"] {{ gap: 0.4rem; }}
        .st-key-present_stage > * {{ flex-shrink: 0; }}
        /* A slide never scrolls (the browser tests check that nothing is cut off): while the
           chart settles to the screen's height, the stage is not a scroll region either,
           which keyboard users could not reach (axe: scrollable-region-focusable). */
        .st-key-present_stage {{ overflow: hidden !important; }}
        .st-key-present_stage > [data-testid="stElementContainer"]:has(.js-plotly-plot) {{ flex: 1 1 0; min-height: 0; }}
        """
    if full_screen and demo:  # the frame's demo banner is the first element of the page
        css += """
        [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
          > [data-testid="stElementContainer"]:first-child:has([data-testid="stAlertContentWarning"]) { display: none; }
        """
    st.html(f"<style>{css}</style>")
