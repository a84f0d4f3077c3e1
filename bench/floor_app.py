"""The floor of the page benchmark (bench/pages.py): the smallest Streamlit page that
draws one plotly chart, a 10-point line. No data, no cache, no query: what is left is
the cost of Streamlit and Plotly themselves, which no dashboard page can go below."""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Floor", layout="wide")
figure = go.Figure(go.Scatter(x=list(range(10)), y=[3, 1, 4, 1, 5, 9, 2, 6, 5, 3], mode="lines"))
st.plotly_chart(figure, width="stretch", key="floor")
