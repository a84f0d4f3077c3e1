"""Presentation styling: any chart of the app restyled for a screen shared at 1280×720
to people far from it. Titles of at least 28 px, every other text at least 18 px, dark
text on white (contrast checked with the WCAG formula), bars outlined, and the levels of
the scale labelled directly on the bars (their rank), not by colour alone.

Pure: a Figure in, a new Figure out. No I/O, no streamlit.
"""

from __future__ import annotations

import plotly.graph_objects as go

from etl.schema import Framework

SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
TITLE_SIZE = 30  # px; at least 28 at 1280×720
LABEL_SIZE = 18  # px; the smallest text of a slide
AXIS_TITLE_SIZE = 20
MIN_CONTRAST = 4.5  # WCAG AA for normal text

# The high-contrast theme: every text colour is checked against the background
# (tests/test_palette.py) and must reach MIN_CONTRAST.
THEME = {
    "background": "#FFFFFF",
    "text": "#111111",
    "muted": "#3D3D3D",  # footer, notes: discreet but still 11:1 on white
    "accent": "#0B4F9C",
    "grid": "#D0D0D0",
    "outline": "#333333",
}
TEXT_COLOURS = ("text", "muted", "accent")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio between two #RRGGBB colours, from 1 to 21."""
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(background: str) -> str:
    """The theme's text colour or white, whichever contrasts more with `background`."""
    dark, light = THEME["text"], "#FFFFFF"
    return dark if contrast_ratio(dark, background) >= contrast_ratio(light, background) else light


def _font(size: int, colour: str | None = None) -> dict:
    return {"size": size, "color": colour or THEME["text"]}


def _style_axes(fig: go.Figure) -> None:
    axis = {
        "tickfont": _font(LABEL_SIZE),
        "title_font": _font(AXIS_TITLE_SIZE),
        "automargin": True,  # long tick labels push the plot in rather than being cut
        "gridcolor": THEME["grid"],
        "linecolor": THEME["outline"],
        "zerolinecolor": THEME["grid"],
    }
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)


def _style_traces(fig: go.Figure) -> None:
    for trace in fig.data:
        kind = trace.type
        if kind in ("bar", "funnel"):
            trace.update(marker_line={"color": THEME["outline"], "width": 1}, textfont_size=LABEL_SIZE)
            if kind == "bar" and trace.textposition in ("outside", None) and trace.text is not None:
                trace.update(outsidetextfont=_font(LABEL_SIZE))
        elif kind in ("scatter", "scattergeo", "heatmap"):
            trace.update(textfont_size=LABEL_SIZE)
        if kind in ("scatter", "scattergeo", "heatmap") and getattr(trace, "marker", None) is not None:
            colorbar = getattr(trace.marker, "colorbar", None)
            if colorbar is not None and trace.marker.showscale is not False and trace.marker.colorscale:
                trace.update(marker_colorbar={"tickfont": _font(LABEL_SIZE), "title_font": _font(LABEL_SIZE)})


def level_keys(framework: Framework, lang: str) -> list[tuple[str, str]]:
    """(label, colour) of each level of the scale, in rank order: what `label_levels` reads."""
    return [(lv.label(lang), lv.colour) for lv in framework.levels]


def label_levels(fig: go.Figure, keys: list[tuple[str, str]]) -> go.Figure:
    """Label the bars of each level (`keys`: (label, colour) in rank order, see
    `level_keys`; a lens's categories work too) with its rank, and name the legend
    entries "1 · Information", so a level reads without telling colours apart. The rank
    is written in black or white, whichever contrasts more with the level's colour;
    segments too thin for it stay unlabelled (plotly hides text that does not fit)."""
    rank = {label: (position, colour) for position, (label, colour) in enumerate(keys, start=1)}
    for trace in fig.data:
        if trace.type != "bar" or trace.name not in rank:
            continue
        position, colour = rank[trace.name]
        trace.update(
            name=f"{position} · {trace.name}",
            texttemplate=str(position),
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,  # plotly turns text in horizontal bars sideways otherwise
            textfont={"size": LABEL_SIZE, "color": readable_on(colour)},
        )
    # Thin gaps: the bars keep the height their 18-px rank needs (plotly hides a text that does not fit).
    fig.update_layout(uniformtext={"minsize": LABEL_SIZE, "mode": "hide"}, bargap=0.08)
    return fig


def present(
    fig: go.Figure,
    *,
    levels: list[tuple[str, str]] | None = None,
    title: bool = True,
    width: int | None = None,
    height: int | None = SLIDE_HEIGHT,
) -> go.Figure:
    """A copy of `fig` in the presentation theme, `height` px high (None: as high as its
    container) and `width` px wide (None: as wide as its container). `title=False` drops the chart's own title
    (the slide shows it above the chart). With `levels` (see `level_keys`), the bars of
    each level are labelled directly."""
    out = go.Figure(fig)
    has_title = bool(out.layout.title.text) and title
    out.update_layout(
        paper_bgcolor=THEME["background"],
        plot_bgcolor=THEME["background"],
        font=_font(LABEL_SIZE),
        title={"text": out.layout.title.text if has_title else None, "font": _font(TITLE_SIZE), "x": 0.01},
        legend={"font": _font(LABEL_SIZE), "title_font": _font(LABEL_SIZE)},
        hoverlabel={"font_size": LABEL_SIZE},
        height=height,
        width=width,
        margin={"l": 20, "r": 30, "t": (TITLE_SIZE * 3 if has_title else 20) + _legend_room(out), "b": 20},
    )
    has_subtitle = bool(out.layout.title.subtitle and out.layout.title.subtitle.text)
    if has_subtitle:
        out.update_layout(title_subtitle_font=_font(LABEL_SIZE, THEME["muted"]))
        if not has_title:  # a subtitle alone would float: drop it with the title
            out.update_layout(title_subtitle_text=None)
    if has_title and height and height >= 400 and (width or SLIDE_WIDTH) >= 800:  # a picture of a slide's size
        _stack_title_and_legend(out, height, has_subtitle)
    for annotation in out.layout.annotations:
        annotation.font = _font(max(LABEL_SIZE, annotation.font.size or 0), annotation.font.color or THEME["text"])
    _style_axes(out)
    _style_traces(out)
    if out.layout.coloraxis and out.layout.coloraxis.colorbar:
        out.update_layout(coloraxis_colorbar={"tickfont": _font(LABEL_SIZE)})
    if levels:
        label_levels(out, levels)
    return out


def _stack_title_and_legend(fig: go.Figure, height: int, subtitle: bool) -> None:
    """Title (and subtitle) at the top of the picture, the legend under them, then the
    plot, each in pixels of its own: a legend placed in the plot's units (above the
    panels' names of small multiples) otherwise rose into the title."""
    top = 12 + TITLE_SIZE * 1.3 + (LABEL_SIZE * 1.8 if subtitle else 0)
    fig.update_layout(title={"yref": "container", "y": 1 - 12 / height, "yanchor": "top"})
    room = _legend_room(fig)
    if room:
        fig.update_layout(legend={"yref": "container", "y": 1 - (top + 8) / height, "yanchor": "top"})
    # Names of panels (small multiples) sit just above the plot, under the legend.
    panels = any(a.yref == "paper" and (a.y or 0) >= 1 and a.yanchor == "bottom" for a in fig.layout.annotations)
    fig.update_layout(margin_t=round(top + 8 + room + (30 if panels else 0) + 10))


def _legend_room(fig: go.Figure) -> int:
    """Top margin for a horizontal legend placed above the plot (as the app's charts do)."""
    legend = fig.layout.legend
    above = legend.orientation == "h" and (legend.y or 0) >= 1
    return 40 if above and fig.layout.showlegend is not False and len(fig.data) > 1 else 0
