"""The write side: schema, readers, validation, load into DuckDB, who may do it (access.py),
command line. The service's own state (accounts, saved decks, backups) is service/.

Nothing in this package imports streamlit. One command reads through the read side:
`python -m etl figures` (etl/cli_figures.py) imports `queries` (which caches with
streamlit) when it runs, so that its figures come from the pages' own SQL and registry.
"""
