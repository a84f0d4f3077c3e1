"""Is the level palette readable with a colour-vision deficiency?

Each palette (the scale's levels, and every lens's categories) is simulated for
protanopia, deuteranopia and tritanopia (Machado et al. 2009 at full severity, through
`colorspacious`), and the smallest perceptual distance between two of its colours is
measured in CAM02-UCS (ΔE ≈ 1 is a just-noticeable difference between large patches;
MIN_DISTANCE asks for a wide margin, since bars are small and sit side by side). The
lightness must also fall with the rank, so the order reads even in greys.

Pure; `colorspacious` is imported on use (it is a check, not a runtime need).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

CVD_TYPES = {"protanopia": "protanomaly", "deuteranopia": "deuteranomaly", "tritanopia": "tritanomaly"}
MIN_DISTANCE = 15.0


def _rgb1(colours: list[str]) -> np.ndarray:
    return np.array([[int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)] for c in colours])


def simulate(colours: list[str], deficiency: str | None) -> np.ndarray:
    """The colours (sRGB, 0-1) as seen with `deficiency` (a key of CVD_TYPES), or as they
    are when None."""
    from colorspacious import cspace_convert

    rgb = _rgb1(colours)
    if deficiency is None:
        return rgb
    space = {"name": "sRGB1+CVD", "cvd_type": CVD_TYPES[deficiency], "severity": 100}
    return np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)


def min_distance(colours: list[str], deficiency: str | None = None) -> tuple[float, tuple[str, str]]:
    """The smallest CAM02-UCS distance between two colours of the palette as seen with
    `deficiency`, and the pair that has it."""
    from colorspacious import deltaE

    seen = simulate(colours, deficiency)
    pairs = [
        (float(deltaE(seen[i], seen[j], input_space="sRGB1")), (colours[i], colours[j]))
        for i, j in combinations(range(len(colours)), 2)
    ]
    return min(pairs)


def report(colours: list[str]) -> dict[str, float]:
    """Minimum distance per vision (normal, protanopia, deuteranopia, tritanopia)."""
    return {"normal": min_distance(colours)[0]} | {name: min_distance(colours, name)[0] for name in CVD_TYPES}


def lightness(colours: list[str]) -> list[float]:
    """CAM02-UCS lightness J' of each colour (0 black to 100 white)."""
    from colorspacious import cspace_convert

    return [float(j) for j in cspace_convert(_rgb1(colours), "sRGB1", "CAM02-UCS")[:, 0]]
