"""The Present page's parts: presentation mode, the live slide, decks and exports.

- `url`: the URL state (a link gives the presentation back) and the view it describes;
- `css`: the high-contrast slide and full screen;
- `saved`: saved decks (open, save, list);
- `live`: the slide's fragment and the data poll;
- `prepare`: the preparation controls and the exports.

Widgets here own the `present_` keys.
"""

from ui.presenter.css import style
from ui.presenter.live import FILES_VERSION, slide_files, stage, watch
from ui.presenter.prepare import controls, exports
from ui.presenter.saved import heading, open_deck
from ui.presenter.url import current_view, presenting

__all__ = [
    "FILES_VERSION",
    "controls",
    "current_view",
    "exports",
    "heading",
    "open_deck",
    "presenting",
    "slide_files",
    "stage",
    "style",
    "watch",
]
