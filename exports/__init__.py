"""Exports of charts and decks: PNG and SVG images (kaleido and an installed Chromium),
a PowerPoint deck (python-pptx), a self-contained HTML report that opens offline, and a
printable one-page city report. No streamlit: the pages call these on click."""
