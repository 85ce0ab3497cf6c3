"""The mkdocs plugin `notice`: render the notice once per build and serve it as generated pages,
with its versions from git history (read once) and the archived PDFs of released versions."""

from __future__ import annotations

import copy
import html
import json
import logging
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url, yaml_load

from notice.errors import NoticeError, SourceError, UsageError
from notice.layout import (
    ARCHIVE_DIR,
    BUILD_RECORD,
    CACHE_DIR,
    DOCUMENTS_DIR,
    MACROS_DIR,
    NOTICE_FILE,
    ROOT_DOCUMENT,
    SECTIONS_DIR,
)
from notice.model import RenderedNotice
from notice.publish.brand import Brand, folder_brand
from notice.publish.ownfolders import OwnFolderRefused, cache_refusal
from notice.render.doclinks import rehomed_doc_links
from notice.render.rendering import render
from notice.render.texthash import known_text_hashes, learn_text_hashes
from notice.source.documents import Document, documents_of
from notice.source.load import load_notice
from notice.versions.history import snapshot
from notice.versions.redline import redline
from notice.versions.redline_format import format_html

from .buildcache import BuildCache, Counters, OutputStore, build_cache, page_key, site_stamp
from .documents import Published, placed_download, placed_specs, placer, policies_page
from .feed import atom_feed
from .inputs import source_commit
from .jsonld import jsonld_bytes, version_documents
from .pages import Download, PageSpec, SiteContext, TocEntry, build_pages, nest
from .pdfcache import cached_pdf
from .spec import FEED_URI, Preview
from .translationpages import (
    Translation,
    alternates,
    page_uri,
    read_translations,
    search_languages,
    translated,
    translation_page,
)
from .versions import SiteHistory, archived, ledger_entries, site_history, whole_ledger
from .versionsjson import VERSIONS_URI, Listing, versions_json

if TYPE_CHECKING:  # only `notice serve` runs one; importing it takes a fiftieth of a cold build
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.notice")
_PRIVATE_CACHES: dict[Path, tempfile.TemporaryDirectory] = {}  # serve: root -> its own cache

ASSETS = Path(__file__).resolve().parent / "assets"
CSS_URI = "assets/notice/notice.css"
CACHED_PAGE = "notice-cached-page.html"  # the template of a page the build cache holds whole
WATCHED = (NOTICE_FILE, SECTIONS_DIR, MACROS_DIR, ARCHIVE_DIR, DOCUMENTS_DIR)
# Fixes to material's markup for axe-core's serious findings; a no-op once material fixes them.
MARKUP_FIXES = (
    (  # the search dialog has no accessible name (aria-dialog-name)
        'class="md-search" data-md-component="search" role="dialog">',
        'class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
    ),
)


class NoticePluginConfig(Config):
    root = c.Type(str, default=".")  # the notice folder, relative to mkdocs.yml
    cache_dir = c.Type(str, default=CACHE_DIR)  # rendered PDFs, relative to mkdocs.yml
    # `notice serve --base REF` sets it: the notice page then shows the redline against REF.
    preview_base = c.Optional(c.Type(str))
    # `notice serve` sets it: a cache that is refused is replaced by a private temporary one.
    preview = c.Type(bool, default=False)
    # `notice build --today DATE` sets it: the site shows what applies that day (default: today).
    today = c.Optional(c.Type(str))


class NoticePluginError(PluginError):
    """A notice problem stopped the build; carries the toolkit's own error for `notice build`."""

    def __init__(self, error: NoticeError):
        problems = error.problems if isinstance(error, SourceError) else None
        super().__init__("\n".join(map(str, problems)) if problems else str(error))
        self.error = error


class GeneratedPage(Page):
    """A page whose body the plugin makes: mkdocs converts no Markdown for it (Python-Markdown
    would set up every configured extension for each of a thousand empty pages)."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # what converting the empty Markdown gives; on_page_content sets the body and the TOC
        self.content = ""
        self.toc = TableOfContents([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class NoticePlugin(BasePlugin[NoticePluginConfig]):
    """Loads and renders the notice once, writes its PDF (cached), and generates the pages."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.root = Path(".")
        self.cache_dir = Path(".cache/notice")
        self.rendered: RenderedNotice | None = None
        self.pdf: Download | None = None
        self.history: SiteHistory | None = None
        self.pages: dict[str, PageSpec] = {}
        self.feed: File | None = None
        self.translations: list[Translation] = []
        self.cache = BuildCache(None, None, Counters())  # on_files opens the one under cache_dir
        self.outputs: OutputStore | None = None
        self.unsaved: dict[str, str] = {}  # src_uri -> key of pages the theme is making afresh
        self.brand = Brand()  # the PDF's, from the same mkdocs.yml as the site's look
        # the project's other documents (documents/<id>/), rendered once, with their translations
        self.others: list[tuple[Document, RenderedNotice, list[Translation]]] = []
        self.site_url = ""
        self.known_texts: dict[str, str] = {}  # canonical text hashes the build cache held
        self.homes: dict[str, str] = {}  # a page's src_uri -> its document's main page's

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.root = (base / self.config.root).resolve()
        self.cache_dir = self._usable_cache(base / self.config.cache_dir)
        try:
            self.rendered = render(load_notice(self.root))
        except NoticeError as exc:
            raise plugin_error(exc) from exc
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        # the company's site, not the theme's advertisement: `extra: generator: true` brings back
        # Material's "Made with" line; copyright:, theme.logo and theme.palette are mkdocs' own
        config.extra.setdefault("generator", False)
        self.brand = folder_brand(base)
        self.site_url = config.site_url or ""  # the site's PDFs link other documents under it
        for warning in self.brand.warnings:
            log.warning("PDF: %s", warning)
        if translated(self.rendered):
            self._languages(config, self.rendered)
        self.others = [self._other(document) for document in documents_of(self.root)[1:]]
        return config

    def _other(self, document: Document) -> tuple[Document, RenderedNotice, list[Translation]]:
        """Another document of the project, rendered once, with its translations."""
        try:
            rendered = render(load_notice(document.folder))
            translations = read_translations(document.folder, rendered)
        except NoticeError as exc:
            raise plugin_error(exc) from exc
        return document, rendered, translations

    def _usable_cache(self, cache: Path) -> Path:
        """The cache folder, never through a link nor one git tracks: build refuses such a one;
        serve warns once and keeps its cache in a private temporary folder instead."""
        why = cache_refusal(self.root, cache)
        if why is None:
            return cache.resolve()
        if not self.config.preview:
            raise plugin_error(OwnFolderRefused(why))
        # mkdocs makes a new plugin for each rebuild: one folder and one warning per process
        if self.root not in _PRIVATE_CACHES:
            log.warning("%s; not using it: this preview caches in a temporary folder", why)
            _PRIVATE_CACHES[self.root] = tempfile.TemporaryDirectory(prefix="notice-cache-")
        return Path(_PRIVATE_CACHES[self.root].name)

    def _languages(self, config: MkDocsConfig, rendered: RenderedNotice) -> None:
        """Each translation rendered once; material's switcher and search told of them."""
        try:
            self.translations = read_translations(self.root, rendered)
        except NoticeError as exc:
            raise plugin_error(exc) from exc
        config.extra.setdefault("alternate", alternates(rendered))
        search = config.plugins.get("search") or config.plugins.get("material/search")
        if search is not None:  # material's search has read its config already: set both
            search.config.lang = search_languages(rendered.notice.languages)
            index = getattr(search, "search_index", None)
            if index is not None:
                index.config["lang"] = search.config.lang

    def _preview(self, rendered: RenderedNotice) -> Preview | None:
        """The redline against the preview_base option, set by `notice serve --base REF`."""
        base = (self.config.preview_base or "").strip()
        if not base:
            return None
        try:
            before = snapshot(self.root, base)
        except NoticeError as exc:
            raise plugin_error(exc) from exc
        changes = redline(before.rendered, rendered, before.label, "working tree")
        return Preview(base, format_html(changes, full=True))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.rendered is not None, "on_config renders the notice"
        self.cache = build_cache(self.root, self.cache_dir)
        if self.cache.renders is not None:  # each version's hash, asked by its page, JSON-LD...
            self.known_texts = self.cache.renders.load_rendered_texts()
            learn_text_hashes(self.known_texts)
        root = Document(ROOT_DOCUMENT, self.root)
        main = self._published(root, self.rendered, self.translations, config)
        self.history, self.pdf = main.history, main.pdf
        published = [main] + [self._published(*other, config) for other in self.others]
        specs = [spec for item in published for spec in item.specs]
        if self.others:
            specs.append(policies_page(published))
        self.pages = {spec.src_uri: spec for spec in specs}
        self.outputs = self.cache.outputs(_site_stamp(config, specs))
        downloads = {d.src_uri: d for spec in specs for d in spec.downloads}  # pages may share one
        for spec in specs:
            inclusion = InclusionLevel.UNDEFINED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, spec.src_uri, content="", inclusion=inclusion)
            _add(files, file)
            if not spec.in_nav:  # mkdocs keeps a file's page (a page in the nav takes its title)
                GeneratedPage(None, file, config)
        for download in downloads.values():
            _add(files, File.generated(config, download.src_uri, abs_src_path=str(download.path)))
        for item in published:
            place = placer(item.document, item.rendered.notice.languages[1:])
            for uri, path in draft_addresses(item.history, downloads, place).items():
                _add(files, File.generated(config, uri, abs_src_path=str(path)))
        _add(files, File.generated(config, CSS_URI, abs_src_path=str(ASSETS / "notice.css")))
        with_history = [item for item in published if item.history is not None]
        if self.history is not None:
            self.feed = File.generated(
                config, FEED_URI, content=self._feed(files, config, published)
            )
            _add(files, self.feed)
            document = versions_json(
                [self._listing(item) for item in with_history],
                whole_ledger(self.root),
                self._href(files, config),
            )
            _add(files, File.generated(config, VERSIONS_URI, content=document))
        for item in with_history:
            assert item.history is not None
            place = placer(item.document, item.rendered.notice.languages[1:])
            for uri, described in version_documents(item.history, config.site_url or "").items():
                _add(files, File.generated(config, place(uri), content=jsonld_bytes(described)))
        return files

    def _published(
        self,
        document: Document,
        rendered: RenderedNotice,
        translations: Sequence[Translation],
        config: MkDocsConfig,
    ) -> Published:
        """One document's pages (under its site folder), its PDF and its versions."""
        root = document.folder
        try:
            entries = ledger_entries(root)
        except NoticeError as exc:
            raise plugin_error(exc) from exc
        current, warning = archived(root, entries.get(rendered.notice.last_updated), rendered)
        history, warnings = site_history(
            root, rendered, entries, current, self._today(), self.cache.renders
        )
        for message in [warning, *warnings] if warning else warnings:
            log.warning(message)
        # A released version is served as the archived file itself, never as a rebuild.
        pdf = current.pdf if current is not None else self._pdf(rendered, root=root)
        if history is not None and history.pending:
            history, pdf = self._in_force(history, pdf, root)
        context = SiteContext(
            rendered,
            pdf,
            history,
            self._preview(rendered) if document.is_root else None,
            self.cache.pages,
            site_url=config.site_url or "",
        )
        specs = build_pages(context)
        for translation in translations:
            specs += translation_page(
                rendered, translation, self._pdf(translation.rendered, root=root)
            )
        place = placer(document, rendered.notice.languages[1:])
        for spec in specs:  # doc: links are written for the main page of their language
            lang = spec.src_uri.split("/", 1)[0]
            main = f"{lang}/index.md" if lang in rendered.notice.languages[1:] else "index.md"
            self.homes[place(spec.src_uri)] = place(main)
        return Published(
            document, rendered, placed_specs(specs, place), placed_download(pdf, place), history
        )

    def _listing(self, item: Published) -> Listing:
        """What versions.json says of one document: its id, versions, entries and paths."""
        assert item.history is not None
        place = placer(item.document, item.rendered.notice.languages[1:])
        return Listing(item.document.id, item.history, place)

    def _today(self) -> date:
        """The day the site is built as of: the today option, else the clock's."""
        value = (self.config.today or "").strip()
        try:
            return date.fromisoformat(value) if value else date.today()
        except ValueError:
            raise plugin_error(UsageError(f"today: {value!r} is not a date (YYYY-MM-DD)")) from None

    def _in_force(
        self, history: SiteHistory, latest: Download, root: Path
    ) -> tuple[SiteHistory, Download]:
        """When the newest version is pending, its PDF goes to its own page and the notice page
        serves the PDF of the version in force (archived, else built from its text)."""
        newest = history.versions[-1]
        versions = (
            *history.versions[:-1],
            replace(newest, built=None if newest.archived else latest),
        )
        history = replace(history, versions=versions)
        current = history.current
        pdf = (
            current.archived.pdf
            if current.archived
            else self._pdf(current.rendered, None, root=root)
        )
        return history, pdf

    def _href(self, files: Files, config: MkDocsConfig) -> Callable[[str], str]:
        """A site file's URL: absolute under site_url when it is set, else from the root."""
        base = (config.site_url or "").rstrip("/")

        def href(src_uri: str) -> str:
            target = files.get_file_from_path(src_uri)
            url = target.url if target else src_uri
            return f"{base}/{url}" if base else url

        return href

    def _feed(self, files: Files, config: MkDocsConfig, published: Sequence[Published]) -> bytes:
        assert self.history is not None

        def url_of(src_uri: str) -> str:
            target = files.get_file_from_path(src_uri)
            return target.url if target else src_uri

        others = [
            (
                item.document.id,
                item.history,
                placer(item.document, item.rendered.notice.languages[1:]),
            )
            for item in published[1:]
            if item.history is not None
        ]
        return atom_feed(
            self.history,
            others=others,
            site_name=config.site_name,
            site_url=config.site_url,
            url_of=url_of,
            language=config.theme.get("language") or "en",
        )

    def _pdf(
        self, rendered: RenderedNotice, commit: str | bool | None = True, *, root: Path
    ) -> Download:
        """The PDF of rendered (cached); commit True: the source commit of the working tree's
        document at root."""
        commit = source_commit(root) if commit is True else commit or None
        try:
            cached = cached_pdf(
                rendered,
                self.cache_dir,
                source_commit=commit,
                brand=self.brand,
                site_url=self.site_url,
            )
        except NoticeError as exc:
            raise plugin_error(exc) from exc
        for warning in cached.warnings:
            log.warning("PDF: %s", warning)
        return Download(
            rendered.notice.pdf_name, cached.path, cached.pages, cached.path.stat().st_size
        )

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is None:
            return markdown
        # material prints titles and descriptions as HTML, unescaped: they come from notice.yml
        page.meta["title"] = html.escape(spec.title)
        if spec.description:
            page.meta["description"] = html.escape(spec.description)
        if not spec.searchable:
            page.meta["search"] = {"exclude": True}
        return ""  # the body comes from the rendering, never from Python-Markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is None:
            return html
        page.toc = table_of_contents(spec.toc)
        page.present_anchor_ids = {entry.id for entry in spec.toc}

        def link(src_uri: str) -> str:
            target = files.get_file_from_path(src_uri)
            return get_relative_url(target.url if target else src_uri, page.file.url)

        body = spec.body(link)
        home = files.get_file_from_path(self.homes.get(page.file.src_uri, "index.md"))
        if home is not None:  # a version page or a redline shows doc: links too
            body = rehomed_doc_links(body, home.url, page.file.url)
        if spec.in_nav or self.outputs is None:  # pages in the navigation change with each version
            return body
        key = page_key(page.file.src_uri, page.file.url, repr(page.meta), repr(spec.toc), body)
        output = self.outputs.load(key)
        if output is None:
            self.unsaved[page.file.src_uri] = key
            return body
        # the theme made this page before from the same inputs: mkdocs writes it as it was
        page.meta["template"] = CACHED_PAGE
        return output

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        cached = DictLoader({CACHED_PAGE: "{{ page.content }}"})
        env.loader = ChoiceLoader([env.loader, cached] if env.loader else [cached])
        return env

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        key = self.unsaved.pop(page.file.src_uri, None)
        if key is not None and self.outputs is not None:
            self.outputs.save(key, output)  # before the changes below, made again on each build
        output = fix_markup(output)
        output = self._page_language(output, page)
        if self.feed is None:
            return output
        href = html.escape(get_relative_url(self.feed.url, page.file.url))
        title = html.escape(f"{config.site_name}: versions")
        feed = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}">'
        return output.replace("</head>", f"{feed}\n</head>", 1)

    def _page_language(self, output: str, page: Page) -> str:
        """A translation's page says its language on <html> (material sets one for the site)."""
        assert self.rendered is not None
        documents = [(Document(ROOT_DOCUMENT, self.root), self.rendered, self.translations)]
        for document, rendered, translations in documents + self.others:
            source = rendered.notice.source_language
            place = placer(document, rendered.notice.languages[1:])
            for translation in translations:
                if page.file.src_uri == place(page_uri(translation.lang, source)):
                    tag = f'<html lang="{translation.lang}"'
                    return re.sub(r'<html lang="[^"]*"', tag, output, count=1)
        return output

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        return fix_markup(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Record where the notice's PDF is in the site, for `notice build` to report."""
        assert self.pdf is not None, "on_files chose the PDF"
        # what the build cache saved: past versions rendered, entries read, missed, written
        work = {"renders": self.history.renders if self.history else 0, **vars(self.cache.counters)}
        if self.cache.renders is not None:
            known = known_text_hashes()
            if known.keys() - self.known_texts.keys():
                self.cache.renders.save_rendered_texts(known)
        record = Path(config.site_dir) / BUILD_RECORD
        text = json.dumps({"pdf": self.pdf.src_uri, "cache": work}, indent=1)
        record.write_text(text, encoding="utf-8")
        for translation in self.translations:  # material's switcher reads <lang>/sitemap.xml
            folder = Path(config.site_dir) / translation.lang
            loc = html.escape(f"{config.site_url or ''}{translation.lang}/")
            (folder / "sitemap.xml").write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{loc}</loc></url></urlset>\n",
                encoding="utf-8",
            )

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder
    ) -> LiveReloadServer:
        for name in WATCHED:
            path = self.root / name
            if path.exists():
                server.watch(str(path))
        return server


def _site_stamp(config: MkDocsConfig, specs: list[PageSpec]) -> str:
    """What shapes every page besides its content: mkdocs.yml, docs/, theme overrides, plugins,
    and the navigation (the titles of the generated pages in it)."""
    config_file = Path(config.config_file_path or "mkdocs.yml").resolve()
    inputs = [config_file, Path(config.docs_dir).resolve()]
    if config.theme.custom_dir:
        inputs.append(Path(config.theme.custom_dir))
    settings = [f"plugins={list(config.plugins)}"]
    settings += [f"nav {spec.src_uri}={spec.title}" for spec in specs if spec.in_nav]
    return site_stamp(inputs, config_file.parent, settings)


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(
            f"{file.src_uri} in docs_dir is generated by the notice plugin: remove it from docs_dir"
        )
    files.append(file)


def fix_markup(output: str) -> str:
    """A page of the site with MARKUP_FIXES applied."""
    for old, new in MARKUP_FIXES:
        output = output.replace(old, new)
    return output


def draft_addresses(
    history: SiteHistory | None,
    shipped: Mapping[str, Download],
    placed: Callable[[str], str] = lambda uri: uri,
) -> dict[str, Path]:
    """Where each released version's PDF was served as a draft (its document's folder of the
    site, its own name) -> the archived file: links shared before the release keep answering,
    with the same bytes."""
    if history is None:
        return {}
    addresses = {}
    for version in history.versions:
        if version.archived is None:
            continue
        draft = placed(version.archived.pdf.src_uri.rsplit("/", 1)[-1])
        if draft not in shipped:
            addresses[draft] = version.archived.pdf.path
    return addresses


def table_of_contents(entries: Sequence[TocEntry]) -> TableOfContents:
    """material's TOC from the section headings (the notice's level 1 is an <h2>)."""

    def links(nodes: list[tuple[TocEntry, list]]) -> list[AnchorLink]:
        items = []
        for entry, children in nodes:
            item = AnchorLink(html.escape(entry.title, quote=False), entry.id, entry.level + 1)
            item.children = links(children)
            items.append(item)
        return items

    return TableOfContents(links(nest(entries)))


def plugin_error(exc: NoticeError) -> NoticePluginError:
    """mkdocs' error for a notice problem: one line per problem, no traceback."""
    return NoticePluginError(exc)


class _PluginsSetting(list):
    """mkdocs.yml's plugins list, handed out afresh on each read: mkdocs consumes the option
    dicts while validating, and `mkdocs serve` loads the same settings again on every reload."""

    def __iter__(self):
        return iter(copy.deepcopy(list(super().__iter__())))


def with_plugin_options(config_file: Path, **settings: str | bool) -> list:
    """mkdocs.yml's plugins with these notice plugin options set (preview_base, today, preview)."""
    with open(config_file, encoding="utf-8") as stream:
        plugins = (yaml_load(stream) or {}).get("plugins") or []
    result = _PluginsSetting()
    for item in plugins:
        name = item if isinstance(item, str) else next(iter(item), None)
        options = {} if isinstance(item, str) else dict(item[name] or {})
        if name == "notice":
            options.update(settings)
        result.append({name: options} if options or name == "notice" else name)
    return result
