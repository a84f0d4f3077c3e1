"""Pure chart builders: DataFrame in, plotly Figure out. No I/O, no streamlit."""
