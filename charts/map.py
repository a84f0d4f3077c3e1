"""The offline map of the cities: size = participations per 10,000 inhabitants,
colour = depth index. An SVG map (`scattergeo`, Mercator) with the country shapes drawn
from the GeoJSON file as one filled trace, so nothing is fetched from the internet: not
the tiles, nor the fonts of the city names, nor plotly's topojson (no base layer is on).

Three layers: the mission cities with activities (the mission layer), those without
activity in the selection, and the cities outside the mission that hold data (shown,
never in the mission layer). A city without a known population is drawn at the smallest
size and its hover text says why it has no figure per 10,000 inhabitants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.format import NUMBER_TICKS, SEPARATORS, fmt_metric, fmt_number, names_beside, plot_names
from charts.labels import place_labels, spread
from charts.levels import depth_colorscale
from etl.schema import Framework

TEXT = {
    "fr": {
        "title": "Carte de l'intensité et de la profondeur de la participation",
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
        "title": "Map of participation intensity and depth",
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


SMALLEST, LARGEST = 7, 32  # marker diameters (px) of 0 and of the largest value


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


HEIGHT, PLOT_HEIGHT, PLOT_WIDTH = 520, 430, 950  # px: the figure, and the map area it is laid out for
SEA = "#F2F6FA"  # the map area behind the countries: a sea, not an empty page
LABEL_PX = 18  # the labels' size on a slide (the app draws them smaller): room is checked at this size
MAX_LABELS = 30
DOMAIN = (0.0, 0.85)  # the map's share of the width; the colour bar and the size key take the rest


def _mercator(lat: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -85, 85)) / 2))


def _latitude(y: float) -> float:
    return float(np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2))


def view(lat: np.ndarray, lon: np.ndarray, padding: float = 0.08) -> tuple[list[float], list[float], dict]:
    """The longitude and latitude ranges of a Mercator map that fits every city (Reykjavík
    to Eilat for the whole mission) with `padding` around, widened to the map area's
    PLOT_WIDTH × PLOT_HEIGHT shape so that the map fills it (no empty side)."""
    keep = ~np.isnan(lat) & ~np.isnan(lon)
    lat, lon = lat[keep], lon[keep]
    if not len(lat):
        lat, lon = np.array([35.0, 65.0]), np.array([-10.0, 30.0])
    y = _mercator(lat)
    x_mid, y_mid = (lon.min() + lon.max()) / 2, (y.min() + y.max()) / 2
    width = np.radians(max(float(lon.max() - lon.min()), 14.0)) * (1 + 2 * padding)  # a lone city shows its region
    height = max(float(y.max() - y.min()), 0.08) * (1 + 2 * padding)
    aspect = PLOT_WIDTH / PLOT_HEIGHT
    width, height = max(width, height * aspect), max(height, width / aspect)
    lon_range = [float(x_mid - np.degrees(width) / 2), float(x_mid + np.degrees(width) / 2)]
    centre = {"lon": float(x_mid), "lat": _latitude(y_mid)}  # plotly would take the middle in degrees
    return lon_range, [_latitude(y_mid - height / 2), _latitude(y_mid + height / 2)], centre


def _pixels(lat: np.ndarray, lon: np.ndarray, lon_range: list[float], lat_range: list[float]) -> np.ndarray:
    """Where the points fall in the PLOT_WIDTH × PLOT_HEIGHT map area (y downwards)."""
    y0, y1 = _mercator(np.array(lat_range))
    x = (lon - lon_range[0]) / (lon_range[1] - lon_range[0]) * PLOT_WIDTH
    y = (y1 - _mercator(lat)) / (y1 - y0) * PLOT_HEIGHT
    return np.column_stack([x, y])


def _longitude(x: np.ndarray, lon_range: list[float]) -> np.ndarray:
    return lon_range[0] + x / PLOT_WIDTH * (lon_range[1] - lon_range[0])


def _latitude_of(y: np.ndarray, lat_range: list[float]) -> np.ndarray:
    """The latitude at `y` px down the map area (the inverse of `_pixels`)."""
    y0, y1 = _mercator(np.array(lat_range))
    return np.degrees(2 * np.arctan(np.exp(y1 - y / PLOT_HEIGHT * (y1 - y0))) - np.pi / 2)


def _outline(geojson: dict) -> tuple[list, list]:
    """Every outer ring of the countries, as one line broken by None (one trace draws all)."""
    lons, lats = [], []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        polygons = [geometry["coordinates"]] if geometry.get("type") == "Polygon" else geometry.get("coordinates", [])
        for polygon in polygons:
            ring = polygon[0]
            lons += [p[0] for p in ring] + [None]
            lats += [p[1] for p in ring] + [None]
    return lons, lats


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


def _points(frame: pd.DataFrame, name: str, marker: dict, hover: list[str], extra: str = "") -> dict:
    return {
        "type": "scattergeo",
        "lat": frame["latitude"].to_numpy(dtype=float),
        "lon": frame["longitude"].to_numpy(dtype=float),
        "mode": "markers",
        "name": name,
        "marker": marker,
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra>" + extra + "</extra>",
    }


def city_map(frame: pd.DataFrame, geojson: dict, framework: Framework, lang: str = "fr") -> go.Figure:
    """`frame`: city, city_local, member, latitude, longitude, activities, per_10k, depth_index.

    Drawn as SVG (plotly's `scattergeo`, Mercator) over the country shapes of `geojson`
    written into the figure: no tile, no font, no topojson is fetched, so the map draws
    from a file opened offline, in kaleido's pictures and in print. The largest bubbles
    are named where their name fits."""
    text = TEXT[lang]
    frame = plot_names(frame)  # names from the database, drawn as text
    member = frame["member"].astype(bool) if "member" in frame else pd.Series(True, index=frame.index)
    active = frame[(frame["activities"] > 0) & member]
    # Small bubbles drawn last, over the large ones they would otherwise hide.
    active = active.assign(_size=marker_sizes(active["per_10k"])).sort_values("_size", ascending=False, kind="stable")
    idle = frame[(frame["activities"] == 0) & member]
    outside = frame[~member]
    lon_range, lat_range, centre = view(
        frame["latitude"].to_numpy(dtype=float), frame["longitude"].to_numpy(dtype=float)
    )
    lons, lats = _outline(geojson)
    points = [
        {
            "type": "scattergeo",
            "lon": lons,
            "lat": lats,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": "#E9EDF2",
            "line": {"color": "#A7B1BC", "width": 0.7},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "",
        }
    ]
    if len(idle):
        points.append(_points(idle, text["none"], {"size": 8, "color": "#9AA5B1"}, names_beside(idle), text["none"]))
    sizes = active["_size"].to_numpy(dtype=float)
    xy = _pixels(
        active["latitude"].to_numpy(dtype=float), active["longitude"].to_numpy(dtype=float), lon_range, lat_range
    )
    # Bubbles of close cities (Nantes and Angers, the Ruhr) moved apart just enough not to
    # overlap: drawn where the map area's pixels put them, back in degrees.
    moved = spread(xy, sizes)
    active = active.assign(longitude=_longitude(moved[:, 0], lon_range), latitude=_latitude_of(moved[:, 1], lat_range))
    xy = moved
    names = active["city"].astype(str).tolist()
    positions = place_labels(names, xy, sizes, (PLOT_WIDTH, PLOT_HEIGHT), LABEL_PX, MAX_LABELS)
    marker = {
        "size": sizes,
        "color": active["depth_index"].to_numpy(dtype=float),
        "cmin": 1,
        "cmax": 5,
        "colorscale": depth_colorscale(framework),
        "opacity": 0.9,
        "line": {"color": "#FFFFFF", "width": 1},  # overlapping bubbles stay apart
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
    }
    mission = _points(active, text["with"], marker, _hover(active, text, lang))
    mission |= {
        "mode": "markers+text",
        "text": [n if p else "" for n, p in zip(names, positions, strict=True)],
        "textposition": [p or "middle right" for p in positions],
        "textfont": {"size": 13, "color": "#111111"},
    }
    points.append(mission)
    if len(outside):
        marker = {"size": 10, "color": "#4B5563", "opacity": 0.8, "symbol": "diamond"}
        points.append(_points(outside, text["outside"], marker, _hover(outside, text, lang), text["outside"]))
    blank = {f"show{layer}": False for layer in ("coastlines", "land", "ocean", "lakes", "rivers", "countries")}
    layout = {
        "separators": SEPARATORS[lang],
        "title": {"text": text["title"]},
        "geo": {
            **blank,
            "showframe": False,
            "showsubunits": False,
            "bgcolor": SEA,
            "projection": {"type": "mercator"},
            "lonaxis": {"range": lon_range},
            "lataxis": {"range": lat_range},
            "center": centre,
            "domain": {"x": list(DOMAIN), "y": [0, 1]},
        },
        "showlegend": len(points) > 2,
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
