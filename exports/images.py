"""Charts as PNG or SVG images, drawn by kaleido 1.x in an installed Chromium.

kaleido 1.x no longer ships a browser: it drives one found on the machine (Debian's
`chromium` works offline). Where there is none, `ExportUnavailable` says so in French
and English, and what to do, instead of a traceback. Figures are drawn with the
plotly.js of the installed plotly package and without MathJax, so nothing is fetched
from the internet.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import plotly.graph_objects as go

from charts.presentation import SLIDE_HEIGHT, SLIDE_WIDTH

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
RENDER_TIMEOUT_S = 90
# One Chromium at a time per process: several sessions exporting at once would each
# start a browser on a small server.
_LOCK = threading.Lock()


class ExportUnavailable(Exception):
    """Images cannot be drawn here, explained in French and English."""

    def __init__(self, fr: str, en: str):
        super().__init__(f"{fr}\n{en}")
        self.fr, self.en = fr, en

    def message(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


NO_BROWSER = ExportUnavailable(
    "Les images PNG et SVG ne peuvent pas être produites : aucun navigateur Chromium n'est installé sur le serveur. "
    "Demandez à l'administrateur d'installer Chromium (« apt-get install chromium ») ou d'indiquer son chemin "
    "dans la variable BROWSER_PATH. Les données restent téléchargeables en CSV et XLSX, et le rapport HTML "
    "reste disponible.",
    "PNG and SVG images cannot be made: no Chromium browser is installed on the server. Ask the administrator "
    'to install Chromium ("apt-get install chromium") or to give its path in the BROWSER_PATH variable. '
    "The data can still be downloaded as CSV and XLSX, and the HTML report is still available.",
)


def chromium_path() -> str | None:
    """The browser kaleido will drive: $BROWSER_PATH when set (None if it is not a
    file: an explicit choice that is wrong is not silently replaced), else the first
    Chromium or Chrome on the PATH."""
    chosen = os.environ.get("BROWSER_PATH")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def available() -> bool:
    return chromium_path() is not None


async def _render(figures: list[dict], options: list[dict], browser: str) -> list[bytes]:
    import kaleido

    async with kaleido.Kaleido(n=1, mathjax=False, timeout=RENDER_TIMEOUT_S, path=browser) as renderer:
        return [await renderer.calc_fig(figure, opts=opts) for figure, opts in zip(figures, options, strict=True)]


def render(
    figures: list[go.Figure],
    fmt: str = "png",
    *,
    width: int | None = None,
    height: int | None = None,
    scale: float = 1,
) -> list[bytes]:
    """Each figure as PNG or SVG bytes, all drawn in one browser session: `width`×`height`
    layout pixels, else the figure's own size, else 1280×720 (PNG pixels are times
    `scale`). Raises ExportUnavailable when no Chromium can be started."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format: {fmt!r}")
    browser = chromium_path()
    if browser is None:
        raise NO_BROWSER
    from kaleido.errors import BrowserFailedError, ChromeNotFoundError

    specs = [figure.to_dict() for figure in figures]
    options = [
        {
            "format": fmt,
            "width": width or figure.layout.width or SLIDE_WIDTH,
            "height": height or figure.layout.height or SLIDE_HEIGHT,
            "scale": scale,
        }
        for figure in figures
    ]
    # kaleido is asynchronous: run its event loop on a thread of its own, so that it
    # works the same from a streamlit script thread and from a caller with a loop.
    with _LOCK, ThreadPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(asyncio.run, _render(specs, options, browser)).result()
        except (ChromeNotFoundError, BrowserFailedError) as exc:
            raise NO_BROWSER from exc


def render_one(figure: go.Figure, fmt: str = "png", **size) -> bytes:
    """One figure as PNG or SVG bytes (see `render`)."""
    return render([figure], fmt, **size)[0]
