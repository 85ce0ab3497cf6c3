"""Which documents an archive command covers: the one named, the folder's, or every one."""

from __future__ import annotations

from pathlib import Path

from notice.source.documents import Document, documents_of, find_document, place_of


def one_document(root: Path, document_id: str | None) -> Document:
    """--document ID of the project at root, or else the document whose folder root is."""
    if document_id is None:
        return place_of(root)
    return find_document(place_of(root).project, document_id)


def covered_documents(root: Path, document_id: str | None) -> list[Document]:
    """The documents release and verify cover: the one named; a document's folder's own; at
    the project's root, every document in site order (the root one first)."""
    place = place_of(root)
    if document_id is not None or not place.is_root:
        return [one_document(root, document_id)]
    return documents_of(place.project)
