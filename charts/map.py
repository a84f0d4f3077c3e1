"""The offline map of the cities: size = participations per 10,000 inhabitants,
colour = depth index. A `scatter_map` on a white background with the country shapes
as a GeoJSON layer, so nothing is fetched from the internet."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.format import NUMBER_TICKS, SEPARATORS, fmt_number
from charts.levels import depth_colorscale
from etl.schema import Framework

TEXT = {
    "fr": {
        "title": "Intensité et profondeur de la participation",
        "colour": "Indice de<br>profondeur",
        "per_10k": "participations pour 10 000 hab.",
        "depth": "indice de profondeur",
        "none": "Sans activité sur la sélection",
        "with": "Villes",
        "size": "Participations<br>pour 10 000 hab.",
    },
    "en": {
        "title": "Participation intensity and depth",
        "colour": "Depth<br>index",
        "per_10k": "participations per 10,000 inhabitants",
        "depth": "depth index",
        "none": "No activity in the selection",
        "with": "Cities",
        "size": "Participations<br>per 10,000 inh.",
    },
}


SMALLEST, LARGEST = 9, 42  # marker diameters (px) of 0 and of the largest value


def marker_sizes(
    values: pd.Series, smallest: float = SMALLEST, largest: float = LARGEST, top: float | None = None
) -> np.ndarray:
    """Marker diameters with area proportional to the value (`top`, by default the largest
    value, gets `largest`)."""
    v = values.fillna(0).clip(lower=0).to_numpy(dtype=float)
    if top is None:
        top = v.max() if len(v) else 0.0
    return smallest + (largest - smallest) * np.sqrt(v / (top if top > 0 else 1.0))


def round_down(value: float) -> float:
    """`value` rounded down to one significant figure: 1 384 -> 1 000, 346 -> 300."""
    if value <= 0:
        return 0.0
    scale = 10 ** np.floor(np.log10(value))
    return float(np.floor(value / scale) * scale)


def size_key(per_10k: pd.Series, lang: str) -> tuple[dict, dict, dict, dict] | None:
    """The key of the bubble sizes: three reference values drawn at the size the map gives
    them (same pixels, same formula), in a small panel beside the map, with their title.
    None without any participation."""
    top = float(per_10k.max()) if len(per_10k) and per_10k.max() == per_10k.max() else 0.0
    if top <= 0:
        return None
    values = sorted({round_down(top), round_down(top / 4), round_down(top / 16)} - {0.0}, reverse=True)
    sizes = marker_sizes(pd.Series(values), top=top)
    trace = {
        "type": "scatter",
        "x": [0] * len(values),
        "y": list(range(len(values), 0, -1)),
        "mode": "markers+text",
        "marker": {"size": sizes, "color": "rgba(154, 165, 177, 0.35)", "line": {"color": "#6B7280", "width": 1}},
        "text": [fmt_number(v, lang, max(0, -int(np.floor(np.log10(v))))) for v in values],  # 0,4 not 0
        "textposition": "middle right",
        "cliponaxis": False,
        "showlegend": False,
        "hoverinfo": "skip",
        "xaxis": "x",
        "yaxis": "y",
    }
    xaxis = {"domain": [0.87, 0.93], "visible": False, "range": [-1, 1], "fixedrange": True}
    yaxis = {"domain": [0.0, 0.34], "visible": False, "range": [0.3, len(values) + 0.7], "fixedrange": True}
    title = {
        "text": TEXT[lang]["size"],
        "xref": "paper",
        "yref": "paper",
        "x": 0.87,
        "y": 0.37,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "align": "left",
        "font": {"size": 12},
    }
    return trace, xaxis, yaxis, title


def city_map(frame: pd.DataFrame, geojson: dict, framework: Framework, lang: str = "fr") -> go.Figure:
    """`frame`: city, latitude, longitude, activities, per_10k, depth_index."""
    text = TEXT[lang]
    active = frame[frame["activities"] > 0]
    idle = frame[frame["activities"] == 0]
    points = []
    if len(idle):
        points.append(
            {
                "type": "scattermap",
                "lat": idle["latitude"].to_numpy(dtype=float),
                "lon": idle["longitude"].to_numpy(dtype=float),
                "mode": "markers",
                "name": text["none"],
                "marker": {"size": 8, "color": "#9AA5B1"},
                "text": idle["city"].tolist(),
                "hovertemplate": "%{text}<extra>" + text["none"] + "</extra>",
            }
        )
    per_10k, depth = active["per_10k"].to_numpy(dtype=float), active["depth_index"].to_numpy(dtype=float)
    points.append(
        {
            "type": "scattermap",
            "lat": active["latitude"].to_numpy(dtype=float),
            "lon": active["longitude"].to_numpy(dtype=float),
            "mode": "markers",
            "name": text["with"],
            "text": active["city"].tolist(),
            "customdata": np.stack([np.nan_to_num(per_10k), np.nan_to_num(depth)], axis=-1) if len(active) else None,
            "marker": {
                "size": marker_sizes(active["per_10k"]),
                "color": depth,
                "cmin": 1,
                "cmax": 5,
                "colorscale": depth_colorscale(framework),
                "opacity": 0.9,
                "colorbar": {
                    "title": {"text": text["colour"]},
                    "tickvals": [1, 2, 3, 4, 5],
                    "x": 0.87,
                    "xanchor": "left",
                    "y": 1.0,
                    "yanchor": "top",
                    "len": 0.5,
                    **NUMBER_TICKS,
                },
            },
            "hovertemplate": (
                f"<b>%{{text}}</b><br>%{{customdata[0]:,.1f}} {text['per_10k']}<br>"
                f"{text['depth']} : %{{customdata[1]:.2f}}<extra></extra>"
            ),
        }
    )
    lat, lon = frame["latitude"], frame["longitude"]
    center = {"lat": float(lat.mean()) if len(frame) else 50.0, "lon": float(lon.mean()) if len(frame) else 10.0}
    span = max(float(lat.max() - lat.min()), float(lon.max() - lon.min()) / 1.5) if len(frame) > 1 else 4.0
    # One fill layer with its outline: the shapes travel to the browser once, not twice.
    countries = {"source": geojson, "type": "fill", "color": "#E9EDF2", "fill": {"outlinecolor": "#A7B1BC"}}
    layout = {
        "separators": SEPARATORS[lang],
        "title": {"text": text["title"]},
        "map": {
            "style": "white-bg",
            "center": center,
            "zoom": float(np.clip(np.log2(360 / max(span, 1)) - 1.3, 1.5, 7)),
            "layers": [countries | {"below": "traces"}],
            "domain": {"x": [0, 0.85], "y": [0, 1]},
        },
        "showlegend": len(idle) > 0,
        "legend": {"orientation": "h", "y": -0.02},
        "height": 520,
        "margin": {"l": 0, "r": 0, "t": 50, "b": 0},
    }
    key = size_key(active["per_10k"], lang)
    if key is not None:  # how big a bubble is: the colour bar above it says what its colour is
        trace, layout["xaxis"], layout["yaxis"], title = key
        points.append(trace)
        layout["annotations"] = [title]
    return go.Figure(data=points, layout=layout)
