"""Release: archive HEAD's committed notice as a frozen PDF/A-3 plus a new, chained ledger entry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from notice.archive.ledger import (
    GENESIS,
    Entry,
    LanguageRelease,
    TranslationEntry,
    chain_problems,
    entries_of,
    released_languages,
    source_entries,
)
from notice.archive.store import Archive
from notice.archive.timestamps import (
    TSA_DIR,
    TimestampError,
    check_token,
    load_chain,
    request_token,
    token_path,
    write_token,
)
from notice.check import check_source
from notice.errors import NoticeError, errors_only
from notice.languages.overlay import render_language, translations_of
from notice.layout import LEDGER, NOTICE_FILE
from notice.lock import held_lock
from notice.model import RenderedNotice
from notice.publish.brand import tree_brand
from notice.publish.pdf import PDF_PIPELINE, Attachment, pdf_bytes
from notice.render.texthash import RECIPE, text_hash, text_sha256
from notice.source.documents import Document, place_of
from notice.source.firstparent import last_change
from notice.source.gittree import GitTree, NoticeRepo, open_repository, resolve_commit
from notice.translate.status import State, incomplete_required, translation_states
from notice.versions.released import same_text

LOCK_TIMEOUT = 600  # seconds to wait for another release of the same repository


class ReleaseRefused(NoticeError):
    """A precondition of a release does not hold; nothing was written."""

    def __init__(self, message: str):
        super().__init__(f"release refused: {message}")


@dataclass(frozen=True)
class Release:
    """What a release did: the entry and its PDF; created is False when nothing changed."""

    entry: Entry
    path: Path
    created: bool
    notes: tuple[str, ...] = ()
    token: Path | None = None  # the entry's RFC 3161 timestamp, when one was asked for


def state_folder(notice_repo: NoticeRepo) -> Path:
    """Lock and staging live in the git folder: never committed, never in the archive."""
    return Path(notice_repo.repo.git_dir) / "notice-release"


def release(
    root: Path,
    now: datetime | None = None,
    today: date | None = None,
    reconstructed_from: str = "",
    tsa: str | None = None,
) -> Release:
    """Archive the notice of HEAD, or say it already is; refuse when a precondition fails
    (among them a last_updated after today: an archived version is forever).
    root: the project (its root document) or a document's folder; see release_documents.
    reconstructed_from: set by `notice import --release`, the version's file or commit.
    tsa: a time-stamping authority's URL; its token over the entry's hash is stored beside it
    (asked before anything is written: an authority that fails leaves the archive as it was)."""
    [done] = release_documents([place_of(root)], now, today, reconstructed_from, tsa)
    return done


def release_documents(
    documents: list[Document],
    now: datetime | None = None,
    today: date | None = None,
    reconstructed_from: str = "",
    tsa: str | None = None,
) -> list[Release]:
    """Archive each document's committed notice whose last_updated has no entry yet, in the
    order given, as one chain in the project's one ledger; say of the others that they are
    released already. All or nothing: any document refused leaves the archive as it was."""
    for document in documents:
        if not document.folder.is_dir():
            raise ReleaseRefused(
                f"{document.prefix}/: {NOTICE_FILE} lists document {document.id!r} under "
                f"documents:, but it has no folder (`notice new-document {document.id}`)"
            )
    prepared = [_committed_notice(document.folder, now, today) for document in documents]
    archive = Archive(documents[0].project)
    state = state_folder(prepared[0][0])
    when = now or datetime.now(UTC)
    with held_lock(state / "lock", LOCK_TIMEOUT, "release"):
        entries = _unbroken_entries(archive)
        chain = list(entries)  # the ledger with the entries this release adds so far
        done: list[Release] = []
        new: list[tuple[Entry, dict[str, bytes]]] = []
        tokens: list[tuple[Entry, bytes]] = []
        for document, committed in zip(documents, prepared, strict=True):
            one, token, files = _document_release(
                document, committed, chain, (when, reconstructed_from), tsa
            )
            if files is not None:
                chain.append(one.entry)
                new.append((one.entry, files))
            tokens += [(one.entry, token)] if token else []
            done.append(one)
        done = _cleared(done, new, entries, prepared, documents)
        try:
            if new:
                archive.save_all(entries, new, state / "staging")
            stored = {entry.digest: write_token(archive, entry, data) for entry, data in tokens}
        except OSError as exc:
            raise ReleaseRefused(f"cannot write the archive: {exc}") from None
    return [replace(r, token=stored.get(r.entry.digest, r.token)) for r in done]


def _document_release(
    document: Document,
    committed: tuple[NoticeRepo, GitTree, RenderedNotice],
    chain: list[Entry],
    made_as: tuple[datetime, str],
    tsa: str | None,
) -> tuple[Release, bytes | None, dict[str, bytes] | None]:
    """One document's part of a release, nothing written: what it does, the token to store,
    and the PDFs by name of its new entry (None: it is released already). made_as: when, and
    the reconstructed_from of `notice import --release`."""
    notice_repo, tree, rendered = committed
    own = Archive(document.folder)
    mine = entries_of(chain, document.id)
    version = rendered.notice.last_updated
    existing = next((e for e in source_entries(mine) if e.version == version), None)
    if existing is not None:
        released = _already_released(own, existing, rendered, notice_repo)
        released, late = _stamped_late(own, released, tsa)
        return released, late, None
    _refuse_going_back(mine, rendered)
    now, reconstructed_from = made_as
    entry, data = _new_entry(chain, tree, rendered, now)
    document_id = "" if document.is_root else document.id
    entry = replace(entry, reconstructed_from=reconstructed_from, document=document_id)
    entry, translated = _with_translations(entry, tree, rendered)
    token, notes = _token(own, entry, tsa)
    notes += tree_brand(tree).warnings
    made = Release(entry, own.pdf_path(entry), True, tuple(notes))
    return made, token, {entry.pdf: data, **translated}


def _cleared(
    done: list[Release],
    new: list[tuple[Entry, dict[str, bytes]]],
    entries: list[Entry],
    prepared: list[tuple[NoticeRepo, GitTree, RenderedNotice]],
    documents: list[Document],
) -> list[Release]:
    """Each new entry's document folder rid of PDFs no entry records (refused first, for every
    document, when git holds one: then nothing is removed); with the notes of its release."""
    by_id = {d.id: (d, repo) for d, (repo, _, _) in zip(documents, prepared, strict=True)}
    found = {}
    for entry, files in new:
        document, notice_repo = by_id[entry.document_id]
        found[entry.digest] = _leftovers(
            Archive(document.folder), entries, notice_repo, entry, files[entry.pdf]
        )
    for _, removed in found.values():
        for path in removed:
            path.unlink()
    return [
        replace(r, notes=(*found[r.entry.digest][0], *r.notes)) if r.entry.digest in found else r
        for r in done
    ]


def _committed_notice(
    root: Path, now: datetime | None, today: date | None
) -> tuple[NoticeRepo, GitTree, RenderedNotice]:
    """HEAD's committed notice, checked as of today; refused outside git, in a shallow clone,
    with uncommitted notice files or a failing check."""
    notice_repo = open_repository(root)
    _refuse_uncommitted(notice_repo)
    tree = source_tree(notice_repo)
    return notice_repo, tree, _checked(tree, today or (now or datetime.now(UTC)).date())


def _unbroken_entries(archive: Archive) -> list[Entry]:
    """The ledger's entries, refused when its hash chain is broken."""
    entries = archive.entries()
    broken = chain_problems(entries)
    if broken:
        raise ReleaseRefused(f"{broken[0]} (run `notice verify`)")
    return entries


def _token(archive: Archive, entry: Entry, tsa: str | None) -> tuple[bytes | None, list[str]]:
    """The authority's token over the entry, checked against archive/tsa/ when it is there."""
    if tsa is None:
        return None, []
    try:
        token = request_token(tsa, entry)
    except TimestampError as exc:
        raise ReleaseRefused(f"{exc}; nothing was written") from None
    try:
        chain = load_chain(archive.base / TSA_DIR)
    except TimestampError as exc:
        return token, [f"{exc}; `notice verify` cannot check the token until then"]
    try:
        check_token(token, entry, chain, "the authority's token")
    except TimestampError as exc:
        raise ReleaseRefused(f"{exc}; nothing was written") from None
    return token, []


def _stamped_late(archive: Archive, done: Release, tsa: str | None) -> tuple[Release, bytes | None]:
    """An already released version without its token gets one when asked (never replaced):
    the token to write, once every document is ready."""
    path = token_path(archive, done.entry)
    if tsa is None or path.exists():
        return replace(done, token=path if path.exists() else None), None
    token, notes = _token(archive, done.entry, tsa)
    return replace(done, notes=(*done.notes, *notes)), token


def source_tree(notice_repo: NoticeRepo) -> GitTree:
    """HEAD's notice at the last commit that changed it: the PDF then depends on the notice
    alone, not on which later commit (code, README) was checked out at release time."""
    head = resolve_commit(notice_repo, "HEAD")
    paths, prefix = notice_repo.notice_paths(), notice_repo.prefix
    commit = last_change(notice_repo.repo, paths, head) or head
    if GitTree(commit, prefix).notice_key() != GitTree(head, prefix).notice_key():
        commit = head  # a merge can hide where the notice last changed: keep HEAD then
    return GitTree(commit, prefix, label=f"commit {commit.hexsha[:10]}")


def source_attachments(tree: GitTree, rendered: RenderedNotice) -> list[Attachment]:
    """What an archived PDF carries as its source: the rendered Markdown and notice.yml."""
    version = rendered.notice.last_updated.isoformat()
    where = f"version {version}, commit {tree.commit.hexsha}"
    return [
        Attachment(
            "notice.md",
            rendered.markdown.encode("utf-8"),
            f"The notice as rendered Markdown ({where})",
            "text/markdown",
        ),
        Attachment(
            NOTICE_FILE,  # the document's own notice.yml, under the one name auditors look for
            tree.read_text(tree.paths.notice_file).encode("utf-8"),
            f"The notice's metadata and variables ({where})",
            "application/yaml",
        ),
    ]


def archived_pdf_bytes(
    tree: GitTree, rendered: RenderedNotice, pipeline: str = PDF_PIPELINE
) -> bytes:
    """The one recipe for an archived PDF: release writes it, `verify --rebuild` repeats it
    with the pipeline its entry records (the brand and the site_url its links to another
    document lead under: the commit's own mkdocs.yml, read by the current pipeline only)."""
    brand = tree_brand(tree)
    return pdf_bytes(
        rendered,
        source_commit=tree.commit.hexsha,
        attachments=source_attachments(tree, rendered),
        pipeline=pipeline,
        brand=brand,
        site_url=brand.site_url if pipeline == PDF_PIPELINE else "",
    )


def translated_renderings(tree: GitTree, rendered: RenderedNotice) -> dict[str, RenderedNotice]:
    """The notice in each translated language at the release's commit."""
    return {
        lang: render_language(tree, rendered, lang) for lang in translations_of(rendered.notice)
    }


def _with_translations(
    entry: Entry, tree: GitTree, rendered: RenderedNotice
) -> tuple[Entry, dict[str, bytes]]:
    """Each language's PDF and hashes in the entry, with what lagged; refused when a language
    that require_complete names is incomplete or stale."""
    states, _ = translation_states(tree, rendered)
    lagging = incomplete_required(states, rendered.notice.require_complete)
    if lagging:
        raise ReleaseRefused("; ".join(lagging))
    by_lang = {state.lang: state for state in states}
    records, files = [], {}
    for lang, in_lang in translated_renderings(tree, rendered).items():
        data = archived_pdf_bytes(tree, in_lang)
        state = by_lang[lang]
        records.append(
            TranslationEntry(
                lang=lang,
                pdf=in_lang.notice.pdf_name,
                pdf_sha256=hashlib.sha256(data).hexdigest(),
                text_sha256=text_sha256(in_lang),
                stale=tuple(s.section_id for s in state.having(State.STALE)),
                untranslated=tuple(s.section_id for s in state.having(State.UNTRANSLATED)),
                text_recipe=RECIPE,
            )
        )
        files[in_lang.notice.pdf_name] = data
    return replace(entry, translations=tuple(records)), files


def _refuse_uncommitted(notice_repo: NoticeRepo) -> None:
    changed = notice_repo.uncommitted()
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if changed[5:] else "")
        paths = ", ".join(notice_repo.document_paths.notice_paths)
        raise ReleaseRefused(
            f"the notice ({paths}) has uncommitted changes: {shown}; "
            "commit them first (a release archives the committed notice of HEAD)"
        )


def _checked(tree: GitTree, today: date) -> RenderedNotice:
    rendered, problems = check_source(tree, today=today)
    errors = errors_only(problems)
    if rendered is None or errors:
        lines = "\n".join(str(problem) for problem in errors)
        raise ReleaseRefused(f"`notice check` fails on {tree.label}:\n{lines}")
    return rendered


def _already_released(
    archive: Archive, entry: Entry, rendered: RenderedNotice, notice_repo: NoticeRepo
) -> Release:
    notice = rendered.notice
    where = f"{archive.relative(archive.pdf_path(entry))}, commit {entry.commit[:10]}"
    if entry.effective != notice.effective:
        raise ReleaseRefused(
            f"version {entry.version} is already released ({where}) effective {entry.effective}, "
            f"not {notice.effective}; a changed notice needs a new last_updated and summary"
        )
    if not same_text(notice_repo, entry, rendered):
        raise ReleaseRefused(
            f"version {entry.version} is already released ({where}) with a different text; "
            "a changed notice needs a new last_updated and summary"
        )
    path = archive.pdf_path(entry)
    notes = []
    if not path.is_file() or hashlib.sha256(archive.read(path)).hexdigest() != entry.pdf_sha256:
        notes.append(f"{archive.relative(path)} is missing or changed: run `notice verify`")
    return Release(entry, path, False, tuple(notes))


def _refuse_going_back(entries: list[Entry], rendered: RenderedNotice) -> None:
    version = rendered.notice.last_updated
    entries = source_entries(entries)
    if entries and version < entries[-1].version:
        raise ReleaseRefused(
            f"version {version} is earlier than the last released version "
            f"{entries[-1].version}; dates only move forward"
        )


def _new_entry(
    entries: list[Entry], tree: GitTree, rendered: RenderedNotice, now: datetime
) -> tuple[Entry, bytes]:
    data = archived_pdf_bytes(tree, rendered)
    notice = rendered.notice
    entry = Entry(
        version=notice.last_updated,
        effective=notice.effective,
        summary=notice.summary,
        commit=tree.commit.hexsha,
        pdf=rendered.notice.pdf_name,
        pdf_sha256=hashlib.sha256(data).hexdigest(),
        text_sha256=text_sha256(rendered),
        released=now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        previous=entries[-1].digest if entries else GENESIS,
        text_recipe=RECIPE,
        pdf_pipeline=PDF_PIPELINE,
    )
    return entry, data


def _leftovers(
    archive: Archive, entries: list[Entry], notice_repo: NoticeRepo, entry: Entry, data: bytes
) -> tuple[list[str], list[Path]]:
    """PDFs no entry records in the document's folder: refuse if git holds them (a lost
    entry), else reuse the one of this entry's name or remove them. The notes, and what to
    remove."""
    notes, removed = [], []
    for path in archive.orphans(entries):
        shown = archive.relative(path)
        if notice_repo.repo.git.ls_files("--", str(path)):
            raise ReleaseRefused(
                f"{shown} is committed but {LEDGER} has no entry for it: "
                "an entry was lost (run `notice verify`)"
            )
        if path.name == entry.pdf:
            same = archive.read(path) == data
            notes.append(
                f"{shown} was left by an interrupted release and never recorded: "
                + ("identical, reused" if same else "replaced")
            )
            continue
        removed.append(path)
        notes.append(f"removed {shown}: left by an interrupted release, never recorded")
    return notes, removed


def release_language(
    root: Path,
    lang: str,
    now: datetime | None = None,
    today: date | None = None,
    tsa: str | None = None,
) -> Release:
    """Archive HEAD's text in lang of an already released version, on its own (a translation
    that caught up after the release); say so when it is released already with this text.
    tsa: as for release(), a token over the language entry's hash."""
    notice_repo, tree, rendered = _committed_notice(root, now, today)
    version = rendered.notice.last_updated
    if lang not in translations_of(rendered.notice):
        raise ReleaseRefused(f"{lang!r} is not a translated language of {tree.paths.notice_file}")
    archive = Archive(root)
    state = state_folder(notice_repo)
    with held_lock(state / "lock", LOCK_TIMEOUT, "release"):
        entries = _unbroken_entries(archive)  # the whole ledger: the chain
        mine = entries_of(entries, archive.document.id)
        source = next((e for e in source_entries(mine) if e.version == version), None)
        if source is None or not same_text(notice_repo, source, rendered):
            raise ReleaseRefused(
                f"version {version} is not released with this text: `notice release` it first"
            )
        in_lang = render_language(tree, rendered, lang)
        existing = released_languages(mine, version).get(lang)
        if existing is not None:
            return _language_already_released(archive, mine, existing, in_lang, version)
        data = archived_pdf_bytes(tree, in_lang)
        entry = Entry(
            version=version,
            effective=source.effective,
            summary=f"{lang} text of version {version}, released on its own",
            commit=tree.commit.hexsha,
            pdf=in_lang.notice.pdf_name,
            pdf_sha256=hashlib.sha256(data).hexdigest(),
            text_sha256=text_sha256(in_lang),
            released=(now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            previous=entries[-1].digest if entries else GENESIS,
            text_recipe=RECIPE,
            lang=lang,
            pdf_pipeline=PDF_PIPELINE,
            document=source.document,
        )
        token, token_notes = _token(archive, entry, tsa)
        notes, removed = _leftovers(archive, entries, notice_repo, entry, data)
        for path in removed:
            path.unlink()
        try:
            archive.save(entries, entry, data, state / "staging")
            stored = write_token(archive, entry, token) if token else None
        except OSError as exc:
            raise ReleaseRefused(f"cannot write the archive: {exc}") from None
    return Release(entry, archive.pdf_path(entry), True, (*notes, *token_notes), stored)


def _language_already_released(
    archive: Archive,
    entries: list[Entry],
    existing: LanguageRelease,
    in_lang: RenderedNotice,
    version: date,
) -> Release:
    """Released once: the same text is a no-op, another text needs a new version."""
    if text_hash(in_lang, existing.text_recipe) != existing.text_sha256:
        raise ReleaseRefused(
            f"the {existing.lang} text of version {version} is already released "
            f"({archive.relative(archive.folder / existing.pdf)}) with a different text; a "
            "correction needs a new "
            "last_updated and summary"
        )
    entry = next(e for e in entries if e.version == version and (e.lang in ("", existing.lang)))
    return Release(entry, archive.folder / existing.pdf, False)
