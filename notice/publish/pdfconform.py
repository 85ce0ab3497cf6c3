"""Finish WeasyPrint's PDF/A-3a so that it is also PDF/UA-1, with pikepdf, reproducibly.

WeasyPrint takes one variant. What the second standard and the validators need is added here:
running headers and footers become artifacts, each list item's body an LBody, the XMP declares
pdfuaid:part (with its PDF/A extension schema) and is stored unfiltered, and no stream's stored
bytes end in a carriage return (a validator reads that CR with the LF before `endstream` as one
end of line and finds the stream one byte short). The same input always gives the same bytes:
qpdf writes deterministically, the file identifier is derived from the content, and object
streams are off so that every stream written is one this module has looked at.
"""

from __future__ import annotations

import zlib
from io import BytesIO
from typing import cast

import pikepdf
from pikepdf import Array, Dictionary, Name, Object

PDFUA_PART = 1
ARTIFACT = Dictionary(Type=Name.Pagination)
_CR = b"\r"
_XMP_NAMESPACE = b'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'
# PDF/A allows a schema outside XMP's own only when the XMP describes it (ISO 19005-3, 6.6.2.3).
_PDFUA_XMP = b"""<rdf:Description rdf:about="" \
xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag>\
<rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>\
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Part of ISO 14289 the document conforms to</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas>\
</rdf:Description><rdf:Description rdf:about="" %s pdfuaid:part="%d" />""" % (
    _XMP_NAMESPACE,
    PDFUA_PART,
)


def conform(data: bytes) -> bytes:
    """WeasyPrint's PDF/A-3a bytes, finished as PDF/A-3a and PDF/UA-1 at once."""
    with pikepdf.open(BytesIO(data)) as pdf:
        _margin_content_as_artifacts(pdf)
        _list_bodies(pdf)
        _declare_pdfua(pdf)
        return finish(pdf)


def finish(pdf: pikepdf.Pdf) -> bytes:
    """The document's bytes, no stream of them ending in CR. qpdf packs objects into compressed
    object streams it makes while writing; when one of those (or a stream of ours) ends in CR,
    ours are hex-encoded and the file is written again without object streams."""
    output = _save(pdf, pikepdf.ObjectStreamMode.generate)
    if not streams_ending_in_cr(output):
        return output
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.read_raw_bytes().endswith(_CR):
            _hex_encoded(obj)
    return _save(pdf, pikepdf.ObjectStreamMode.disable)


def _save(pdf: pikepdf.Pdf, object_streams: pikepdf.ObjectStreamMode) -> bytes:
    out = BytesIO()
    pdf.save(
        out,
        object_stream_mode=object_streams,
        # Our streams are written as stored here (all filtered, the XMP aside): none is
        # decoded or compressed again, so what was checked is what is written.
        compress_streams=object_streams != pikepdf.ObjectStreamMode.disable,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        deterministic_id=True,
    )
    return out.getvalue()


def streams_ending_in_cr(data: bytes) -> list[str]:
    """The streams of a PDF whose stored bytes end in CR, as 'object N G'."""
    with pikepdf.open(BytesIO(data)) as pdf:
        return [
            f"object {obj.objgen[0]} {obj.objgen[1]}"
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.read_raw_bytes().endswith(_CR)
        ]


def _reachable(root: Dictionary) -> set[tuple[int, int]]:
    """The structure elements the tree reaches from its root."""
    seen: set[tuple[int, int]] = set()
    todo = [root]
    while todo:
        element = todo.pop()
        for kid in _as_list(element.get(Name.K)):
            if isinstance(kid, Dictionary) and Name.S in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                todo.append(kid)
    return seen


def _as_list(value: Object | None) -> list[Object]:
    """An entry that may hold an array, a single object or nothing, as a list."""
    if isinstance(value, Array):
        return list(value)
    return [] if value is None else [value]


def _struct_tree_root(pdf: pikepdf.Pdf) -> Dictionary | None:
    tree = pdf.Root.get(Name.StructTreeRoot)
    # ISO 32000 makes the structure tree root a dictionary; the stubs only say Object.
    return None if tree is None else cast(Dictionary, tree)


def _margin_content_as_artifacts(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint tags a margin box's text (running header and footer) with structure
    elements the tree never reaches: mark that content as a pagination artifact instead."""
    tree = _struct_tree_root(pdf)
    if tree is None:
        return
    reached = _reachable(tree)
    parents = tree.get(Name.ParentTree)
    nums = parents.get(Name.Nums) if isinstance(parents, Dictionary) else None
    if not isinstance(nums, Array):
        return  # WeasyPrint writes a flat number tree; anything else is left as it is
    for index, page in enumerate(pdf.pages):
        elements = _page_elements(nums, index)
        if elements is None:
            continue
        loose = {
            mcid
            for mcid, element in enumerate(elements)
            if isinstance(element, Dictionary) and element.objgen not in reached
        }
        if loose:
            _mark_artifacts(pdf, page, loose)
            for mcid in loose:
                elements[mcid] = None


def _page_elements(nums: Array, page_index: int) -> Array | None:
    for position in range(0, len(nums) - 1, 2):
        elements = nums[position + 1]
        if int(nums[position]) == page_index and isinstance(elements, Array):
            return elements
    return None


def _mark_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int]) -> None:
    instructions = [_as_artifact(i, mcids) for i in pikepdf.parse_content_stream(page)]
    content = pikepdf.unparse_content_stream(instructions)
    page.obj.Contents = pdf.make_stream(zlib.compress(content, 9), Filter=Name.FlateDecode)


Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage


def _as_artifact(instruction: Instruction, mcids: set[int]) -> Instruction:
    """The instruction, or an artifact's when it opens the content of one of mcids (the others
    are kept as parsed: making each anew took a third of the finishing)."""
    operands = instruction.operands
    if len(operands) == 2 and isinstance(operands[1], Dictionary) and instruction.operator == _BDC:
        mcid = operands[1].get(Name.MCID)
        if mcid is not None and int(mcid) in mcids:
            return pikepdf.ContentStreamInstruction([Name.Artifact, ARTIFACT], _BDC)
    return instruction


_BDC = pikepdf.Operator("BDC")


def _list_bodies(pdf: pikepdf.Pdf) -> None:
    """PDF/UA: an LI holds Lbl and LBody only; WeasyPrint puts the item's text beside its Lbl."""
    tree = _struct_tree_root(pdf)
    if tree is None:
        return
    todo = [tree]
    while todo:
        element = todo.pop()
        kids = element.get(Name.K)
        if not isinstance(kids, Array):
            continue
        if element.get(Name.S) == Name.LI:
            _wrap_body(pdf, element, kids)
            kids = element.K
        todo.extend(k for k in kids if isinstance(k, Dictionary) and Name.S in k)


def _wrap_body(pdf: pikepdf.Pdf, item: Dictionary, kids: Array) -> None:
    """Put the item's loose kids in its LBody (WeasyPrint's own, when it made one)."""
    parts = [_part(kid) for kid in kids]
    if None not in parts:
        return
    labels = [kid for kid, part in zip(kids, parts, strict=True) if part == Name.Lbl]
    bodies = [kid for kid, part in zip(kids, parts, strict=True) if part == Name.LBody]
    body = bodies[0] if bodies else _new_body(pdf, item)
    at = parts.index(Name.LBody) if bodies else len(parts)
    before = [kid for i, kid in enumerate(kids) if parts[i] is None and i < at]
    after = [kid for i, kid in enumerate(kids) if parts[i] is None and i > at]
    inside = _as_list(body.get(Name.K))
    body.K = Array([*before, *inside, *after])
    for kid in (*before, *after):
        if isinstance(kid, Dictionary) and Name.S in kid:
            kid.P = body
    item.K = Array([*labels, body, *bodies[1:]])


def _part(kid: object) -> Name | None:
    """Lbl or LBody for those kids of an LI, None for anything else."""
    part = kid.get(Name.S) if isinstance(kid, Dictionary) else None
    return part if isinstance(part, Name) and part in _ITEM_PARTS else None


def _new_body(pdf: pikepdf.Pdf, item: Dictionary) -> Dictionary:
    body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array()))
    if Name.Pg in item:
        body.Pg = item.Pg
    return body


_ITEM_PARTS = (Name.Lbl, Name.LBody)


def _declare_pdfua(pdf: pikepdf.Pdf) -> None:
    """pdfuaid:part in the XMP, described for PDF/A; the stream stored without a filter."""
    metadata = pdf.Root.get(Name.Metadata)
    if not isinstance(metadata, pikepdf.Stream):
        return  # not a PDF/A from WeasyPrint: nothing to declare in
    xmp = metadata.read_bytes()
    if _XMP_NAMESPACE not in xmp:
        xmp = xmp.replace(b"</rdf:RDF>", _PDFUA_XMP + b"</rdf:RDF>", 1)
    pdf.Root.Metadata = pdf.make_stream(xmp, Type=Name.Metadata, Subtype=Name.XML)


def _hex_encoded(stream: pikepdf.Stream) -> None:
    """The same stream with ASCIIHexDecode added in front: its bytes then end in '>'."""
    filter_entry = stream.get(Name.Filter)
    filters = _as_list(filter_entry) if filter_entry else []
    parms_entry = stream.get(Name.DecodeParms)
    parms = list(parms_entry) if isinstance(parms_entry, Array) else [parms_entry] * bool(filters)
    hexed = stream.read_raw_bytes().hex().encode("ascii") + b">"
    stream.write(
        hexed,
        filter=Array([Name.ASCIIHexDecode, *filters]),
        decode_parms=Array([None, *parms]) if any(p is not None for p in parms) else None,
    )
