"""The decoded size of a raster image (PNG, GIF, JPEG, WebP), read from its header alone."""

from __future__ import annotations

import struct
from dataclasses import dataclass

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
GIF_MAGICS = (b"GIF87a", b"GIF89a")
# JPEG start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_NO_LENGTH = frozenset([0x01, *range(0xD0, 0xD8)])  # TEM, RSTn: markers without a length


class ImageHeaderError(ValueError):
    """The bytes are no PNG, GIF, JPEG or WebP whose size the header states."""


@dataclass(frozen=True)
class ImageSize:
    """What an image decodes to: its format and its width and height in pixels."""

    format: str
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


def image_size(data: bytes) -> ImageSize:
    """The decoded size of data from its header alone; ImageHeaderError for anything else."""
    if data.startswith(PNG_MAGIC):
        return _png(data)
    if data.startswith(GIF_MAGICS):
        return _gif(data)
    if data.startswith(JPEG_MAGIC):
        return _jpeg(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    raise ImageHeaderError("not a PNG, GIF, JPEG or WebP image")


def is_raster(data: bytes) -> bool:
    """True when data starts like one of the four raster formats the toolkit accepts."""
    return data.startswith((PNG_MAGIC, JPEG_MAGIC, *GIF_MAGICS)) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def _unpack(layout: str, data: bytes, offset: int) -> tuple[int, ...]:
    try:
        return struct.unpack_from(layout, data, offset)
    except struct.error:
        raise ImageHeaderError("the image's header is cut short") from None


def _png(data: bytes) -> ImageSize:
    length, kind = _unpack(">I4s", data, 8)
    if kind != b"IHDR" or length < 8:
        raise ImageHeaderError("a PNG without its IHDR header")
    width, height = _unpack(">II", data, 16)
    return ImageSize("PNG", width, height)


def _gif(data: bytes) -> ImageSize:
    # Pillow grows the canvas to hold every frame: the size is the largest of the logical
    # screen and each image descriptor's left + width, top + height.
    width, height, flags = _unpack("<HHB", data, 6)
    offset = 13 + _colour_table(flags)
    while offset < len(data):
        introducer = data[offset]
        if introducer == 0x3B:  # trailer
            break
        if introducer == 0x21:  # extension: label, then data sub-blocks
            offset = _skip_sub_blocks(data, offset + 2)
        elif introducer == 0x2C:  # image descriptor
            left, top, frame_width, frame_height, frame_flags = _unpack("<HHHHB", data, offset + 1)
            width, height = max(width, left + frame_width), max(height, top + frame_height)
            offset = _skip_sub_blocks(data, offset + 10 + _colour_table(frame_flags) + 1)
        else:
            raise ImageHeaderError("a GIF block of an unknown kind")
    return ImageSize("GIF", width, height)


def _colour_table(flags: int) -> int:
    return 3 * (2 ** ((flags & 0x07) + 1)) if flags & 0x80 else 0


def _skip_sub_blocks(data: bytes, offset: int) -> int:
    while offset < len(data) and data[offset]:
        offset += data[offset] + 1
    return offset + 1


def _jpeg(data: bytes) -> ImageSize:
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            raise ImageHeaderError("a JPEG marker out of place")
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in _JPEG_NO_LENGTH:
            offset += 2
            continue
        (length,) = _unpack(">H", data, offset + 2)
        if marker in _SOF_MARKERS:
            height, width = _unpack(">HH", data, offset + 5)
            return ImageSize("JPEG", width, height)
        if marker == 0xDA:  # start of scan before any frame header
            break
        offset += 2 + length
    raise ImageHeaderError("a JPEG without a frame header (SOF)")


def _webp(data: bytes) -> ImageSize:
    chunk = data[12:16]
    if chunk == b"VP8X":  # extended: the canvas size, 24 bits each, stored minus one
        if len(data) < 30:
            raise ImageHeaderError("the image's header is cut short")
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return ImageSize("WebP", width, height)
    if chunk == b"VP8L":  # lossless: 14 bits each after the signature byte 0x2F
        signature, bits = _unpack("<BI", data, 20)
        if signature != 0x2F:
            raise ImageHeaderError("a WebP (VP8L) without its signature")
        return ImageSize("WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8 ":  # lossy: a key frame's start code, then 14 bits each
        start = data[23:26]
        width, height = _unpack("<HH", data, 26)
        if start != b"\x9d\x01\x2a":
            raise ImageHeaderError("a WebP (VP8) without a key frame")
        return ImageSize("WebP", width & 0x3FFF, height & 0x3FFF)
    raise ImageHeaderError("a WebP of an unknown kind")
