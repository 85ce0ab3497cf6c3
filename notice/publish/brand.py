"""The company's brand for the PDF, read from the site configuration where Material reads it.

`copyright:` (the footer line), `theme.logo` (a file in docs_dir) and the primary colour of
`theme.palette`. A released PDF takes the brand of its release commit's mkdocs.yml, read like
every other blob of that commit (no link followed, size capped), so `verify --rebuild` repeats it.
"""

from __future__ import annotations

import hashlib
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notice.layout import CONFIG_FILE
from notice.render.imageheader import ImageHeaderError, image_size
from notice.render.limits import MAX_IMAGE_PIXELS
from notice.source.gittree import GitTree
from notice.source.worktree import SourceReadError, decode, read_inside
from notice.source.yamlio import YamlProblem, line_of, load_yaml

# Material for MkDocs' primary colours (--md-primary-fg-color in its palette.css, 9.x). Frozen
# here, not read from the installed theme: an archived PDF must not change with the theme.
MATERIAL_PRIMARY = {
    "red": "#ef5552",
    "pink": "#e92063",
    "purple": "#ab47bd",
    "deep-purple": "#7e56c2",
    "indigo": "#4051b5",
    "blue": "#2094f3",
    "light-blue": "#02a6f2",
    "cyan": "#00bdd6",
    "teal": "#009485",
    "green": "#4cae4f",
    "light-green": "#8bc34b",
    "lime": "#cbdc38",
    "yellow": "#ffec3d",
    "amber": "#ffc105",
    "orange": "#ffa724",
    "deep-orange": "#ff6e42",
    "brown": "#795649",
    "grey": "#757575",
    "blue-grey": "#546d78",
    "black": "#141518",
    "white": "#ffffff",
}
MIN_CONTRAST = 4.5  # WCAG AA for text against the white page: lighter colours are darkened
MAX_CONFIG_BYTES = 256 * 1024  # as siteconfig reads it
MAX_LOGO_BYTES = 1024 * 1024
MAX_COPYRIGHT_CHARS = 64  # one footer line at 8 pt beside the date and page counter, on A4
_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"^\s*([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)

Reader = Callable[[str, int], bytes]  # path under the project, limit -> bytes


@dataclass(frozen=True)
class Brand:
    """What the PDF takes of the site's brand; empty fields are not set (or not usable)."""

    copyright: str = ""
    colour: str = ""  # "#rrggbb", readable on white
    logo: bytes = b""  # a raster image within the pixel budget
    warnings: tuple[str, ...] = ()
    # mkdocs.yml's site_url: where a PDF's links to another document lead (not part of the look)
    site_url: str = ""

    @property
    def is_set(self) -> bool:
        return bool(self.copyright or self.colour or self.logo)

    def digest(self) -> str:
        """What identifies the brand's look (the site's PDF cache keys on it)."""
        parts = (self.copyright, self.colour, hashlib.sha256(self.logo).hexdigest())
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


_WEB = re.compile(r"https?://[^\s\"'<>]+\Z")


def tree_brand(tree: GitTree) -> Brand:
    """The brand of mkdocs.yml in the tree's commit (beside notice.yml)."""
    return brand_from_config(tree.read_bytes, tree.label)


def folder_brand(root: Path) -> Brand:
    """The brand of root/mkdocs.yml on disk (the site build's configuration)."""
    return brand_from_config(lambda path, limit: read_inside(root, path, limit))


def brand_from_config(read: Reader, label: str = "") -> Brand:
    """The brand a mkdocs.yml sets; what cannot be used is left out with a one-line warning."""
    where = f"{label}:{CONFIG_FILE}" if label else CONFIG_FILE
    try:
        config = load_yaml(decode(read(CONFIG_FILE, MAX_CONFIG_BYTES), CONFIG_FILE), CONFIG_FILE)
    except FileNotFoundError:
        return Brand()
    except SourceReadError as exc:
        said = str(exc).removeprefix(f"{exc.path}: ")
        return Brand(warnings=(f"{where}: warning: {said}; the PDF has no brand",))
    except YamlProblem as exc:
        line = f":{exc.problem.line}" if exc.problem.line else ""
        said = exc.problem.message
        return Brand(warnings=(f"{where}{line}: warning: {said}; the PDF has no brand",))
    if not isinstance(config, dict):
        return Brand()
    theme = config.get("theme")
    theme = theme if isinstance(theme, dict) else {}
    warnings: list[str] = []
    copyright_line = _copyright(config, where, warnings)
    colour = _colour(theme, where, warnings)
    logo = _logo(config, theme, read, where, warnings)
    site_url = config.get("site_url")
    site_url = site_url if isinstance(site_url, str) and _WEB.match(site_url) else ""
    return Brand(copyright_line, colour, logo, tuple(warnings), site_url)


def _copyright(config: dict[str, Any], where: str, warnings: list[str]) -> str:
    value = config.get("copyright")
    if not isinstance(value, str):
        return ""
    # Material prints it as HTML: the PDF takes its text
    text = " ".join(
        "".join(c for c in html.unescape(_TAG.sub("", value)) if c.isprintable()).split()
    )
    if len(text) > MAX_COPYRIGHT_CHARS:
        line = line_of(config, "copyright")
        warnings.append(
            f"{where}:{line}: warning: copyright is over {MAX_COPYRIGHT_CHARS} characters, more "
            "than the PDF's footer line holds: shorten it; the PDF has no copyright line"
        )
        return ""
    return text


def _colour(theme: dict[str, Any], where: str, warnings: list[str]) -> str:
    palette = theme.get("palette")
    if isinstance(palette, list):  # light and dark schemes: the page is white, take the light
        schemes = [p for p in palette if isinstance(p, dict)]
        light = [p for p in schemes if p.get("scheme", "default") == "default"]
        palette = next(iter(light or schemes), None)
    if not isinstance(palette, dict) or not isinstance(palette.get("primary"), str):
        return ""
    name = "-".join(palette["primary"].lower().replace("-", " ").split())
    if name not in MATERIAL_PRIMARY:
        line = line_of(palette, "primary")
        warnings.append(
            f"{where}:{line}: warning: theme.palette primary {palette['primary']!r} is not one "
            "of Material's colour names (e.g. indigo, blue grey): the PDF keeps its own colour"
        )
        return ""
    return readable(MATERIAL_PRIMARY[name])


def readable(colour: str) -> str:
    """colour, darkened in steps until its contrast with white is at least MIN_CONTRAST."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    while _contrast_with_white(red, green, blue) < MIN_CONTRAST:
        red, green, blue = (value * 9 // 10 for value in (red, green, blue))
    return f"#{red:02x}{green:02x}{blue:02x}"


def _contrast_with_white(red: int, green: int, blue: int) -> float:
    def linear(value: int) -> float:
        channel = value / 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return 1.05 / (luminance + 0.05)


def _logo(
    config: dict[str, Any], theme: dict[str, Any], read: Reader, where: str, warnings: list[str]
) -> bytes:
    logo = theme.get("logo")
    if not isinstance(logo, str) or not logo.strip():
        return b""
    line = line_of(theme, "logo")

    def skipped(why: str) -> bytes:
        warnings.append(f"{where}:{line}: warning: theme.logo {logo!r} {why}; the PDF has no logo")
        return b""

    docs = posixpath.normpath(str(config.get("docs_dir", "docs")))
    path = posixpath.normpath(posixpath.join(docs, logo.lstrip("/")))
    inside = not posixpath.isabs(docs) and docs.split("/")[0] != ".." and docs != "."
    if _URL.match(logo) or not inside or not path.startswith(f"{docs}/"):
        return skipped("is not a file in the docs folder")
    try:
        data = read(path, MAX_LOGO_BYTES)
    except FileNotFoundError:
        return skipped(f"is not in {docs}/")
    except SourceReadError as exc:
        return skipped(f"cannot be used ({exc})")
    return _raster(data, skipped)


def _raster(data: bytes, skipped: Callable[[str], bytes]) -> bytes:
    try:
        size = image_size(data)
    except ImageHeaderError:
        # SVG is refused by the PDF's fetcher on purpose: markup can hide an image bomb
        return skipped("is not a PNG, JPEG, GIF or WebP image (the PDF takes no SVG): export one")
    if size.pixels > MAX_IMAGE_PIXELS:
        return skipped(f"is {size.width} x {size.height} pixels, over the budget: make it smaller")
    return data
