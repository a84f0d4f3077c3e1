"""Streamlit helpers shared by the pages: language, formatting, banners."""
