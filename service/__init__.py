"""The service's own state, beside the engagement data: accounts and sign-in
(accounts.py), saved presentations (decks.py), backups of the whole database (backup.py).

No streamlit here. This package may import etl/ (the database, the schema, the roles and
checks of etl/access.py); etl/ never imports it, except the command line (etl/cli*.py),
an entry point like dashboard.py. The pages reach it through ui/.
"""
