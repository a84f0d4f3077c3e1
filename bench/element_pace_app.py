"""The app of bench/element_pace.py: PACE_TEXTS one-line texts, PACE_GAP_MS milliseconds
of Python work before each (what a page does between two elements: a query, a figure)."""

import os
import time

import streamlit as st

st.set_page_config(page_title="Pace", layout="wide")
gap = float(os.environ.get("PACE_GAP_MS", "0")) / 1000
for line in range(int(os.environ.get("PACE_TEXTS", "0"))):
    started = time.perf_counter()
    while time.perf_counter() - started < gap:  # busy, as a script computing is
        pass
    st.text(f"Ligne {line + 1}")
