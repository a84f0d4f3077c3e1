"""The offline map of the cities: size = participations per 10,000 inhabitants,
colour = depth index. A `scatter_map` on a white background with the country shapes
as a GeoJSON layer, so nothing is fetched from the internet.

Three layers: the mission cities with activities (the mission layer), those without
activity in the selection, and the cities outside the mission that hold data (shown,
never in the mission layer). A city without a known population is drawn at the smallest
size and its hover text says why it has no figure per 10,000 inhabitants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.format import NUMBER_TICKS, SEPARATORS, fmt_metric, fmt_number, names_beside, plot_names
from charts.levels import depth_colorscale
from etl.schema import Framework

TEXT = {
    "fr": {
        "title": "Intensité et profondeur de la participation",
        "colour": "Indice de<br>profondeur",
        "per_10k": "participations pour 10 000 hab.",
        "depth": "indice de profondeur : ",
        "none": "Sans activité sur la sélection",
        "with": "Villes de la mission",
        "outside": "Hors mission",
        "no_population": "pas de population de référence",
        "size": "Participations<br>pour 10 000 hab.",
    },
    "en": {
        "title": "Participation intensity and depth",
        "colour": "Depth<br>index",
        "per_10k": "participations per 10,000 inhabitants",
        "depth": "depth index: ",
        "none": "No activity in the selection",
        "with": "Mission cities",
        "outside": "Outside the mission",
        "no_population": "no reference population",
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


HEIGHT, PLOT_HEIGHT, PLOT_WIDTH = 520, 450, 760  # px: the figure, and the map area it leaves at the least


def _mercator(lat: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -85, 85)) / 2))


def view(lat: np.ndarray, lon: np.ndarray, padding: float = 0.12) -> tuple[dict, float]:
    """The centre and zoom that fit every city (Reykjavík to Eilat for the whole mission)
    in a map area of PLOT_WIDTH × PLOT_HEIGHT px, with `padding` around: the middle of
    their extent (in Web Mercator for the latitude) and the largest zoom that holds it
    (a 512-px world at zoom 0, as plotly's maps draw it)."""
    lat, lon = lat[~np.isnan(lat) & ~np.isnan(lon)], lon[~np.isnan(lat) & ~np.isnan(lon)]
    if not len(lat):
        return {"lat": 50.0, "lon": 10.0}, 2.5
    y = _mercator(lat)
    middle = (y.min() + y.max()) / 2
    center = {
        "lat": float(np.degrees(2 * np.arctan(np.exp(middle)) - np.pi / 2)),
        "lon": float((lon.min() + lon.max()) / 2),
    }
    width = max(float(lon.max() - lon.min()), 8.0) * (1 + 2 * padding)  # degrees: a lone city shows its region
    height = max(float(y.max() - y.min()), 0.15) * (1 + 2 * padding)  # mercator units
    zoom = min(np.log2(PLOT_WIDTH * 360 / (512 * width)), np.log2(PLOT_HEIGHT * 2 * np.pi / (512 * height)))
    return center, float(np.clip(zoom, 1.0, 7.0))


def _hover(frame: pd.DataFrame, text: dict, lang: str) -> list[str]:
    """Each city's hover text: its names, its participations per 10,000 inhabitants (or why
    there is none) and its depth index, numbers in the language's format."""
    lines = []
    for name, per_10k, depth in zip(names_beside(frame), frame["per_10k"], frame["depth_index"], strict=True):
        intensity = (
            text["no_population"] if pd.isna(per_10k) else f"{fmt_metric(per_10k, 'per10k', lang)} {text['per_10k']}"
        )
        lines.append(f"<b>{name}</b><br>{intensity}<br>{text['depth']}{fmt_metric(depth, 'index', lang)}")
    return lines


def city_map(frame: pd.DataFrame, geojson: dict, framework: Framework, lang: str = "fr") -> go.Figure:
    """`frame`: city, city_local, member, latitude, longitude, activities, per_10k, depth_index."""
    text = TEXT[lang]
    frame = plot_names(frame)  # names from the database, drawn as text
    member = frame["member"].astype(bool) if "member" in frame else pd.Series(True, index=frame.index)
    active = frame[(frame["activities"] > 0) & member]
    idle = frame[(frame["activities"] == 0) & member]
    outside = frame[~member]
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
                "text": names_beside(idle),
                "hovertemplate": "%{text}<extra>" + text["none"] + "</extra>",
            }
        )
    depth = active["depth_index"].to_numpy(dtype=float)
    points.append(
        {
            "type": "scattermap",
            "lat": active["latitude"].to_numpy(dtype=float),
            "lon": active["longitude"].to_numpy(dtype=float),
            "mode": "markers",
            "name": text["with"],
            "text": _hover(active, text, lang),
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
            "hovertemplate": "%{text}<extra></extra>",
        }
    )
    if len(outside):
        points.append(
            {
                "type": "scattermap",
                "lat": outside["latitude"].to_numpy(dtype=float),
                "lon": outside["longitude"].to_numpy(dtype=float),
                "mode": "markers",
                "name": text["outside"],
                "marker": {"size": 10, "color": "#4B5563", "opacity": 0.8},
                "text": _hover(outside, text, lang),
                "hovertemplate": "%{text}<extra>" + text["outside"] + "</extra>",
            }
        )
    center, zoom = view(frame["latitude"].to_numpy(dtype=float), frame["longitude"].to_numpy(dtype=float))
    # One fill layer with its outline: the shapes travel to the browser once, not twice.
    countries = {"source": geojson, "type": "fill", "color": "#E9EDF2", "fill": {"outlinecolor": "#A7B1BC"}}
    layout = {
        "separators": SEPARATORS[lang],
        "title": {"text": text["title"]},
        "map": {
            "style": "white-bg",
            "center": center,
            "zoom": zoom,
            "layers": [countries | {"below": "traces"}],
            "domain": {"x": [0, 0.85], "y": [0, 1]},
        },
        "showlegend": len(points) > 1,
        "legend": {"orientation": "h", "y": -0.02},
        "height": HEIGHT,
        "margin": {"l": 0, "r": 0, "t": 50, "b": 0},
    }
    key = size_key(active["per_10k"], lang)
    if key is not None:  # how big a bubble is: the colour bar above it says what its colour is
        trace, layout["xaxis"], layout["yaxis"], title = key
        points.append(trace)
        layout["annotations"] = [title]
    return go.Figure(data=points, layout=layout)
