"""The views layer: one named definition per chart the product shows.

A view holds everything about its chart: the query it runs (name and parameters), how
the frame is prepared, the figure builder (charts/), its one-sentence summary
(charts/summaries.py, charts/follow_up.py), its downloadable table (views/tables.py),
its file name and its title. The pages (through ui/chart.py `draw`), the slides of the
Present page (ui/slides.py), the PowerPoint deck, the HTML report and the PNG/SVG
exports all draw a view by its name, so nothing about a chart is written twice; adding
a chart is one view here and one line in a page.

Views use queries/ and charts/ (and the text catalogues of ui/texts, which are data),
never streamlit: what they return is drawn by ui/ or by exports/. `batch` (queries) lets
a page's queries share one connection.
"""

from __future__ import annotations

from queries import batch
from views.core import VIEWS, Drawn, Scope, View, draw, register

# Each module registers the views of one page.
from views import city, compare, degrees, followup, overview  # noqa: F401  isort: skip

__all__ = ["VIEWS", "Drawn", "Scope", "View", "batch", "draw", "register"]
