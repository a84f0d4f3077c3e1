"""The engagement scale's colours, shared by every chart: one colour per level."""

from __future__ import annotations

from etl.schema import Framework


def depth_colorscale(framework: Framework) -> list[list]:
    """A continuous colour scale from level 1 to level 5, through the level colours."""
    colours = [lv.colour for lv in framework.levels]
    step = 1 / (len(colours) - 1)
    return [[round(i * step, 4), c] for i, c in enumerate(colours)]
