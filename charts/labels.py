"""Names written beside points without covering one another: a greedy placement, most
important point first, in the pixels of the plot area a chart is laid out for. Pure."""

from __future__ import annotations

import math

import numpy as np

# (plotly textposition, box offset from the point as fractions of the label's width and height)
PLACES = (
    ("middle right", 0.0, -0.5),
    ("middle left", -1.0, -0.5),
    ("top center", -0.5, -1.0),
    ("bottom center", -0.5, 0.0),
)
Box = tuple[float, float, float, float]


def label_box(name: str, point, size: float, position: str, text_px: float) -> Box:
    """The box (left, top, right, bottom, px) of `name` written at `position` beside a
    marker of diameter `size` (text of `text_px`, about 0.56 em a character)."""
    _, dx, dy = next(p for p in PLACES if p[0] == position)
    width, height, gap = 0.56 * text_px * len(name), text_px * 1.2, size / 2 + 3
    x, y = point
    x += gap if position == "middle right" else -gap if position == "middle left" else 0
    y += -gap if position == "top center" else gap if position == "bottom center" else 0
    return (x + dx * width, y + dy * height, x + dx * width + width, y + dy * height + height)


def place_labels(
    names: list[str],
    points: np.ndarray,
    sizes: np.ndarray,
    area: tuple[float, float],
    text_px: float,
    limit: int,
    order: np.ndarray | None = None,
    blocked: list[Box] | None = None,
) -> list[str | None]:
    """A text position for each point whose name fits inside `area` (width, height px)
    without covering another name or another marker, in `order` (default: largest marker
    first), at most `limit` names; None where a name is left out (the hover still has it).
    `blocked`: boxes already taken (the chart's own notes)."""
    placed: list[Box] = list(blocked or [])
    limit += len(placed)
    chosen: list[str | None] = [None] * len(names)
    width, height = area

    def free(box: Box, own: int) -> bool:
        left, top, right, bottom = box
        if left < 0 or top < 0 or right > width or bottom > height:
            return False
        if any(left < r and l < right and top < b and t < bottom for l, t, r, b in placed):  # noqa: E741
            return False
        for i, ((x, y), size) in enumerate(zip(points, sizes, strict=True)):
            radius = size / 2
            if i != own and left - radius < x < right + radius and top - radius < y < bottom + radius:
                return False
        return True

    for i in np.argsort(-sizes, kind="stable") if order is None else order:
        if len(placed) >= limit or np.isnan(points[i]).any():
            continue
        for position, *_ in PLACES:
            box = label_box(names[i], points[i], sizes[i], position, text_px)
            if free(box, i):
                placed.append(box)
                chosen[i] = position
                break
    return chosen


def spread(points: np.ndarray, sizes: np.ndarray, gap: float = 1.0, iterations: int = 60) -> np.ndarray:
    """Marker centres moved apart just enough that no two markers (of diameters `sizes`,
    px) overlap: each overlapping pair is pushed apart along the line between them, a
    little at a time, the larger marker moving less. Close cities stay side by side, at
    most a marker's width from where they are.

    Each pass first finds, with numpy, whether any pair overlaps at all (the usual last
    pass); the pass itself walks the pairs in order on plain floats, each push seen by the
    pairs after it (numpy scalars made it 1.7 s for the 112 cities of the map)."""
    moved = np.array(points, dtype=float)
    if len(moved) < 2:
        return moved
    radii = np.asarray(sizes, dtype=float) / 2
    need_all = radii[:, None] + radii[None, :] + gap
    upper = np.triu(np.ones((len(moved), len(moved)), dtype=bool), 1)
    r = radii.tolist()
    for _ in range(iterations):
        delta = moved[None, :, :] - moved[:, None, :]
        with np.errstate(invalid="ignore"):
            overlapping = upper & (np.hypot(delta[..., 0], delta[..., 1]) < need_all)  # NaN: never
        if not overlapping.any():
            break
        xs, ys = moved[:, 0].tolist(), moved[:, 1].tolist()
        for i in range(len(xs)):
            for j in range(i + 1, len(xs)):
                dx, dy = xs[j] - xs[i], ys[j] - ys[i]
                distance = math.hypot(dx, dy)
                need = r[i] + r[j] + gap
                if not distance < need:  # apart, or a city without coordinates (NaN)
                    continue
                ux, uy = (dx / distance, dy / distance) if distance > 1e-6 else (1.0, 0.0)
                push = (need - distance) / 2 + 0.01
                share = r[i] / (r[i] + r[j])  # the smaller marker moves more
                xs[i] -= ux * push * 2 * (1 - share)
                ys[i] -= uy * push * 2 * (1 - share)
                xs[j] += ux * push * 2 * share
                ys[j] += uy * push * 2 * share
        moved = np.column_stack([xs, ys])
    limit = np.asarray(sizes, dtype=float)[:, None]
    return np.asarray(points, dtype=float) + np.clip(moved - points, -limit, limit)
