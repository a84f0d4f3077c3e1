"""The offline map of the cities: size = participations per 10,000 inhabitants,
colour = depth index. A `scatter_map` on a white background with the country shapes
as a GeoJSON layer, so nothing is fetched from the internet."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.format import NUMBER_TICKS, SEPARATORS
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
    },
    "en": {
        "title": "Participation intensity and depth",
        "colour": "Depth<br>index",
        "per_10k": "participations per 10,000 inhabitants",
        "depth": "depth index",
        "none": "No activity in the selection",
        "with": "Cities",
    },
}


def marker_sizes(values: pd.Series, smallest: float = 9, largest: float = 42) -> np.ndarray:
    """Marker diameters with area proportional to the value."""
    v = values.fillna(0).clip(lower=0).to_numpy(dtype=float)
    top = v.max() if len(v) and v.max() > 0 else 1.0
    return smallest + (largest - smallest) * np.sqrt(v / top)


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
                "colorbar": {"title": {"text": text["colour"]}, "tickvals": [1, 2, 3, 4, 5], **NUMBER_TICKS},
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
        },
        "showlegend": len(idle) > 0,
        "legend": {"orientation": "h", "y": -0.02},
        "height": 520,
        "margin": {"l": 0, "r": 0, "t": 50, "b": 0},
    }
    return go.Figure(data=points, layout=layout)
