"""The write side: schema, readers, validation, load into DuckDB, command line.

Nothing in this package imports streamlit.
"""
