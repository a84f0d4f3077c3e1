"""The engagement scale's colours, shared by every chart: one colour per level; and the
cross-tabulation the stacked-bar charts are drawn from.

The charts pass numpy arrays and plain dicts to plotly and build each figure in one call:
adding traces one by one and converting pandas columns cost plotly several times the
drawing of the figure itself, on every script run."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.schema import Framework

ROW_PX, DENSE_ROW_PX, DENSE_FROM = 28, 21, 30  # bar rows: roomier for a few cities, tighter for many


def bars_height(rows: int, chrome: int) -> int:
    """The height of a chart of horizontal bars, one row per city: every name stays
    legible (12 px labels on rows of 21 px at least) for the mission's 112 cities."""
    return max(320, (ROW_PX if rows < DENSE_FROM else DENSE_ROW_PX) * rows + chrome)


def depth_colorscale(framework: Framework) -> list[list]:
    """A continuous colour scale from level 1 to level 5, through the level colours."""
    colours = [lv.colour for lv in framework.levels]
    step = 1 / (len(colours) - 1)
    return [[round(i * step, 4), c] for i, c in enumerate(colours)]


def crosstab(frame: pd.DataFrame, row: str, column: str, value: str, columns: list[str]):
    """Sum `value` per (row, column): the row keys in sorted order, the matrix of sums over
    `columns` (in that order, zeros where a pair has no row) and each row's total over all
    its rows (those whose column is not in `columns` too)."""
    keys, inverse = np.unique(frame[row].to_numpy(dtype=object), return_inverse=True)
    values = frame[value].to_numpy(dtype=float, na_value=0.0)
    totals = np.bincount(inverse, weights=values, minlength=len(keys))
    position = {code: i for i, code in enumerate(columns)}
    where = np.array([position.get(code, -1) for code in frame[column]], dtype=int)
    known = where >= 0
    matrix = np.zeros((len(keys), len(columns)))
    np.add.at(matrix, (inverse[known], where[known]), values[known])
    return keys.tolist(), matrix, totals


def shares(matrix: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Each cell as a percentage of its row's total (0 where the total is 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(100 * matrix / totals[:, None])


def keep_in_legend(bars: list[dict]) -> list[dict]:
    """Give every level trace without data one invisible point: plotly leaves traces with
    no data out of the legend, and each chart coloured by level lists all five levels."""
    for bar in bars:
        if len(bar["x"]) == 0:
            bar |= {"x": [None], "y": [None], "hoverinfo": "skip"}
    return bars


def level_legend(framework: Framework, lang: str) -> list[dict]:
    """One legend-only trace per level, in the scale's order and colours, each heading the
    `legendgroup` of its level's bars (a click on it hides them in every panel)."""
    return keep_in_legend(
        [
            {
                "type": "bar",
                "x": [],
                "y": [],
                "name": level.label(lang),
                "legendgroup": level.code,
                "marker": {"color": level.colour},
            }
            for level in framework.levels
        ]
    )
