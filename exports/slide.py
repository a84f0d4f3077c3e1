"""A slide: one chart with what is said about it. What every exporter takes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go


@dataclass(frozen=True)
class Slide:
    """One chart of a deck: its title, the figure as the chart builder made it, the
    one-sentence takeaway (charts/summaries.py), its data as shown in the table, and the
    footer's source and data date. `levels` ((label, colour) in rank order) labels the
    bars of each level directly (charts.presentation.label_levels)."""

    key: str
    title: str
    figure: go.Figure
    summary: str
    table: pd.DataFrame
    source: str
    data_date: str
    note: str = ""
    levels: list[tuple[str, str]] = field(default_factory=list)
