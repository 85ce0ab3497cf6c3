"""Write the notice as a tagged, reproducible PDF/A-3a + PDF/UA-1, fetching only own assets."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import mimetypes
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from notice.errors import NoticeError
from notice.files import write_atomic
from notice.model import RenderedNotice
from notice.publish.autolink import linked_addresses
from notice.publish.brand import Brand
from notice.publish.libsearch import libraries_from_linker_cache
from notice.publish.logcapture import captured_warnings
from notice.publish.pdfconform import PDFUA_PART, conform
from notice.render.doclinks import absolute_doc_links
from notice.render.imageheader import ImageHeaderError, image_size, is_raster
from notice.render.limits import MAX_IMAGE_PIXELS
from notice.render.localise import phrase
from notice.render.rendering import format_date, last_updated_line

try:
    with libraries_from_linker_cache():
        import weasyprint
except OSError:  # a library the linker's cache does not know: ctypes' own, slower search
    import weasyprint
from weasyprint.urls import URLFetcherResponse

ASSETS = Path(__file__).resolve().parent / "assets"
TEMPLATE = "print.html"
PDF_VARIANT = "pdf/a-3a"  # PDF/A-3 keeps embedded sources; "a" adds the structure tree
# What makes an archived PDF's bytes: recorded in each ledger entry, so that `verify --rebuild`
# knows which entries the toolkit of today can reproduce byte for byte.
PDFUA_PIPELINE = f"weasyprint-{weasyprint.__version__}/pdfua-{PDFUA_PART}"
# brand-1: the site's copyright line, logo and primary colour (publish/brand.py). Without a brand
# its bytes are PDFUA_PIPELINE's, which stays for the entries made before brands (cheap: the same
# writer, no brand).
BRAND_PIPELINE = f"{PDFUA_PIPELINE}/brand-1"
# rows-1: a table row is never cut by a page break (unless taller than a page): a row split in
# two read back from the PDF with its cells' halves interleaved, so verify could not recognise
# the text of real notices with long tables (GitHub's cookie and California notices).
PDF_PIPELINE = f"{BRAND_PIPELINE}/rows-1"
WHOLE_ROWS_CSS = "tr { break-inside: avoid; }"
# The entries archived before pipelines were recorded (2022-11-11): WeasyPrint's PDF/A-3a as it
# came, addresses as printed. Kept so that `verify --rebuild` still repeats their bytes.
LEGACY_PIPELINE = ""
PIPELINES = (LEGACY_PIPELINE, PDFUA_PIPELINE, BRAND_PIPELINE, PDF_PIPELINE)
CSS_PAGE_SIZES = {"letter": "letter", "a4": "A4"}
MAX_DATA_URL = 8 * 1024 * 1024
LOGO_HEIGHT_MM, LOGO_MAX_WIDTH_MM = 10, 50  # the logo in the running header
_CSS_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.:-")


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF, e.g. the notice's source (relationship /Source)."""

    name: str
    data: bytes
    description: str = ""
    mime_type: str = "text/plain"


@dataclass(frozen=True)
class PdfArtifact:
    """A PDF written to disk: where, its sha256, its page count, what WeasyPrint complained of."""

    path: Path
    sha256: str
    pages: int
    warnings: tuple[str, ...] = ()


class PdfError(NoticeError):
    """The PDF cannot be produced as asked (bad page size, unwritable target)."""


class AssetsOnlyFetcher(weasyprint.URLFetcher):
    """Serves files inside notice/assets/ and data: URIs; refuses everything else."""

    def __init__(self, assets: Path = ASSETS):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.assets = assets.resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return self._data(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = self._asset_path(parts.path)
            if path is not None:
                mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    path.as_uri(), path.read_bytes(), {"Content-Type": mime_type}
                )
        raise ValueError(f"refused (only the toolkit's assets and data: URIs): {url}")

    def _data(self, url: str, headers: dict | None) -> URLFetcherResponse:
        """A data: URI that is a raster image (PNG, JPEG, GIF, WebP) or text that is no markup
        (the toolkit's attachments), and small: WeasyPrint reads anything else as SVG."""
        if len(url) > MAX_DATA_URL:
            raise ValueError(f"refused: a data: URI over {MAX_DATA_URL:,} characters")
        response = super().fetch(url, headers)
        data = response.read(MAX_DATA_URL + 1)
        mime = response.headers.get_content_type()
        raster = is_raster(data)
        if raster:
            _check_pixels(data)
        markup = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"  # SVG, XML, HTML
        if not raster and (mime.startswith("image/") or markup):
            raise ValueError("refused: a data: URI is only a PNG, JPEG, GIF or WebP image")
        return URLFetcherResponse(url, data, {"Content-Type": mime})

    def _asset_path(self, url_path: str) -> Path | None:
        # resolve() follows symlinks and '..', so a link out of assets/ is caught here.
        path = Path(url2pathname(unquote(url_path))).resolve()
        if path.is_relative_to(self.assets) and path.is_file():
            return path
        return None


def _check_pixels(data: bytes) -> None:
    # Read from the header before Pillow decodes anything: check refuses these already, this
    # keeps any other caller of the writer inside the same budget.
    try:
        size = image_size(data)
    except ImageHeaderError as exc:
        raise ValueError(f"refused: {exc}") from None
    if size.pixels > MAX_IMAGE_PIXELS:
        raise ValueError(f"refused: an image of {size.width} x {size.height} pixels")


def css_string(value: str) -> str:
    """A CSS string literal; anything but plain characters is escaped as \\HEX and a space."""
    escaped = "".join(char if char in _CSS_PLAIN else f"\\{ord(char):x} " for char in value)
    return f'"{escaped}"'


def _footer(rendered: RenderedNotice, copyright_line: str = "") -> str:
    notice = rendered.notice
    # one line ending in "· Page n of m", which archive/pdftext.py leaves out of the text
    lead = f"{copyright_line} · " if copyright_line else ""
    if notice.lang:  # a translation: its own words around the page counters
        words = f"{last_updated_line(notice)} · {phrase(notice.lang, 'page', page='|', pages='|')}"
        before, middle, after = words.split("|")
        pieces = (css_string(lead + before), "counter(page)", css_string(middle), "counter(pages)")
        return " ".join((*pieces, css_string(after)))
    updated = format_date(notice.last_updated, notice.date_format)
    page = css_string(f"{lead}Last updated {updated} · Page ")
    return f'{page} counter(page) " of " counter(pages)'


def brand_css(brand: Brand | None) -> str:
    """The print style a brand adds: its colour on the title, headings and rules, its logo in
    the running header (a margin box: pdfconform marks it an artifact, as the footer)."""
    if brand is None:
        return ""
    rules = []
    if brand.colour:
        rules.append(
            f".notice-title, .notice-heading {{ color: {brand.colour}; }}\n"
            f".notice-title {{ border-bottom: 1.5pt solid {brand.colour}; padding-bottom: 4pt; }}\n"
            f"hr {{ border: 0; border-top: 0.75pt solid {brand.colour}; }}"
        )
    if brand.copyright:  # one footer line, or pdftext would read its first half as the notice's
        rules.append("@page { @bottom-center { white-space: nowrap; } }")
    if brand.logo:
        rules.append(_logo_rule(brand.logo))
    return "\n".join(rules)


def _logo_rule(logo: bytes) -> str:
    # image-resolution scales the image: LOGO_HEIGHT_MM high, at most LOGO_MAX_WIDTH_MM wide;
    # crisp-edges writes /Interpolate false, which PDF/A requires
    size = image_size(logo)
    dpi = max(size.height / (LOGO_HEIGHT_MM / 25.4), size.width / (LOGO_MAX_WIDTH_MM / 25.4))
    mime = f"image/{size.format.lower()}"
    uri = f"data:{mime};base64,{base64.b64encode(logo).decode('ascii')}"
    return (
        f'@page {{ @top-left {{ content: url("{uri}"); image-resolution: {dpi:.3f}dpi; '
        "vertical-align: bottom; image-rendering: crisp-edges; } }"
    )


def _page_size(rendered: RenderedNotice) -> str:
    size = rendered.notice.page_size
    if size not in CSS_PAGE_SIZES:
        raise PdfError(f"page_size {size!r} is not one of {', '.join(CSS_PAGE_SIZES)}")
    return CSS_PAGE_SIZES[size]


def keywords(rendered: RenderedNotice) -> list[str]:
    """The PDF's keywords: what the document is, whose, and which version."""
    notice = rendered.notice
    return ["privacy notice", notice.company, f"last updated {notice.last_updated.isoformat()}"]


def custom_metadata(rendered: RenderedNotice, source_commit: str | None) -> dict[str, str]:
    """The PDF's own info keys: the version (its last-updated date) and the source commit."""
    custom = {"NoticeVersion": rendered.notice.last_updated.isoformat()}
    if source_commit:
        custom["SourceCommit"] = source_commit
    return custom


def _template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(ASSETS),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )


def print_html(
    rendered: RenderedNotice,
    *,
    source_commit: str | None = None,
    link_addresses: bool = True,
    brand: Brand | None = None,
    site_url: str = "",
) -> str:
    """The print HTML: title, then rendered.html as it is (never rendered again); printed e-mail
    and web addresses made links unless link_addresses is False (the legacy pipeline); the
    brand's copyright line in the footer, its colour and logo in the style. A link to another
    document (doc:) leads to its page under site_url (mkdocs.yml's), else it is plain text."""
    notice = rendered.notice
    body = absolute_doc_links(rendered.html, site_url, notice)
    template = _template_environment().get_template(TEMPLATE)
    return template.render(
        lang=notice.language,
        title=notice.title,
        company=notice.company,
        summary=notice.summary,
        keywords=", ".join(keywords(rendered)),
        timestamp=_midnight(notice.last_updated).strftime("%Y-%m-%dT%H:%M:%SZ"),
        custom=custom_metadata(rendered, source_commit),
        page_size=Markup(_page_size(rendered)),
        footer=Markup(_footer(rendered, brand.copyright if brand else "")),
        brand_css=Markup(brand_css(brand)),
        levels=sorted({section.level for section in rendered.sections if section.show_heading}),
        body=Markup(linked_addresses(body) if link_addresses else body),
    )


@contextlib.contextmanager
def _source_date_epoch(day: date) -> Iterator[None]:
    # fontTools (WeasyPrint's fallback subsetter) stamps fonts with SOURCE_DATE_EPOCH or the
    # time; pinning it to the notice's date makes the PDF depend on the notice alone.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(_midnight(day).timestamp()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _weasy_attachment(
    attachment: Attachment, day: date, fetcher: AssetsOnlyFetcher
) -> weasyprint.Attachment:
    # A data: URI carries the MIME type; fixed dates keep the PDF repeatable.
    payload = base64.b64encode(attachment.data).decode("ascii")
    return weasyprint.Attachment(
        url=f"data:{attachment.mime_type};base64,{payload}",
        url_fetcher=fetcher,
        name=attachment.name,
        description=attachment.description or None,
        created=_midnight(day),
        modified=_midnight(day),
        relationship="Source",
    )


def _single_af_entries(document: weasyprint.Document, pdf) -> None:  # pdf: a pydyf.PDF
    # WeasyPrint 70 lists each attachment twice in the catalog's /AF array.
    files = pdf.catalog.get("AF")
    if files:
        files[:] = list(dict.fromkeys(files))


def _render_pdf(
    rendered: RenderedNotice,
    source_commit: str | None,
    attachments: Sequence[Attachment],
    pipeline: str = PDF_PIPELINE,
    brand: Brand | None = None,
    site_url: str = "",
) -> tuple[bytes, int, tuple[str, ...]]:
    if pipeline not in PIPELINES:
        raise PdfError(f"unknown PDF pipeline {pipeline!r}: this toolkit makes {list(PIPELINES)}")
    if pipeline == LEGACY_PIPELINE:
        return weasyprint_pdf(rendered, source_commit, attachments, link_addresses=False)
    branded = pipeline in (BRAND_PIPELINE, PDF_PIPELINE)
    used = brand if branded and brand is not None and brand.is_set else None
    data, pages, warnings = weasyprint_pdf(
        rendered,
        source_commit,
        attachments,
        brand=used,
        site_url=site_url,
        whole_rows=pipeline == PDF_PIPELINE,
    )
    return conform(data), pages, warnings


def weasyprint_pdf(
    rendered: RenderedNotice,
    source_commit: str | None,
    attachments: Sequence[Attachment],
    link_addresses: bool = True,
    brand: Brand | None = None,
    site_url: str = "",
    whole_rows: bool = False,
) -> tuple[bytes, int, tuple[str, ...]]:
    """WeasyPrint's PDF/A-3a as it comes, before conform() finishes it (the tests compare)."""
    day = rendered.notice.last_updated
    fetcher = AssetsOnlyFetcher()
    with captured_warnings(weasyprint.LOGGER) as collected, _source_date_epoch(day):
        extra = [weasyprint.CSS(string=WHOLE_ROWS_CSS)] if whole_rows else []
        document = weasyprint.HTML(
            string=print_html(
                rendered,
                source_commit=source_commit,
                link_addresses=link_addresses,
                brand=brand,
                site_url=site_url,
            ),
            base_url=ASSETS.as_uri() + "/",
            url_fetcher=fetcher,
        ).render(
            presentational_hints=True,  # <ol start="3"> numbers as the text says
            stylesheets=extra,
        )
        document.metadata.custom = custom_metadata(rendered, source_commit)
        data = document.write_pdf(
            finisher=_single_af_entries,
            pdf_variant=PDF_VARIANT,
            custom_metadata=True,
            attachments=[_weasy_attachment(a, day, fetcher) for a in attachments],
        )
    return data, len(document.pages), tuple(collected.messages)


def pdf_bytes(
    rendered: RenderedNotice,
    *,
    source_commit: str | None = None,
    attachments: Sequence[Attachment] = (),
    pipeline: str = PDF_PIPELINE,
    brand: Brand | None = None,
    site_url: str = "",
) -> bytes:
    """The notice as PDF bytes; the same rendering and arguments always give the same bytes
    (pipeline: one of PIPELINES, the one a ledger entry records; BRAND_PIPELINE and
    PDF_PIPELINE take the brand, the older ones are made as they were)."""
    return _render_pdf(rendered, source_commit, attachments, pipeline, brand, site_url)[0]


def write_pdf(
    rendered: RenderedNotice,
    target: Path,
    *,
    source_commit: str | None = None,
    attachments: Sequence[Attachment] = (),
    brand: Brand | None = None,
    site_url: str = "",
) -> PdfArtifact:
    """Render and write the PDF atomically: a temporary file beside target, then a rename."""
    data, pages, warnings = _render_pdf(
        rendered, source_commit, attachments, brand=brand, site_url=site_url
    )
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    except OSError as exc:
        raise PdfError(f"{target}: cannot write the PDF: {exc.strerror or exc}") from exc
    return PdfArtifact(target, hashlib.sha256(data).hexdigest(), pages, warnings)
