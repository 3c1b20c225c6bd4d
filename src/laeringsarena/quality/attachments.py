"""Attachments (vedlegg) to deviations and documents: checking, cleaning and storing uploads.

Files are stored in Django's ``default_storage`` under random names (nothing from the upload's
name reaches the storage) and are never served from a public media URL: views check access
first. The type is decided from the content, not from the name or the browser's claim.

Images are re-encoded from their pixels (after turning them upright by their EXIF orientation),
so EXIF, GPS positions, camera serial numbers, XMP and ICC profiles are gone before anything is
stored. Deviation photos are always cleaned this way — a photo may show where it was taken —
and for anonymous reports it is what keeps the reporter untraceable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from laeringsarena.core.errors import InvalidInput

MB = 1024 * 1024
DEVIATION_MAX_BYTES = 10 * MB
DEVIATION_MAX_FILES = 5
DOCUMENT_MAX_BYTES = 20 * MB
DOCUMENT_MAX_FILES = 20
# Larger photos are scaled down to this many pixels on the long side when they are cleaned.
MAX_IMAGE_SIDE = 4096
MAX_IMAGE_PIXELS = 50_000_000

IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
# Office formats are zip files with a telling member; the extension decides between them.
OFFICE_TYPES = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
    "odt": ("application/vnd.oasis.opendocument.text", "content.xml"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "content.xml"),
}
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv", "md": "text/markdown"}


class Readable(Protocol):
    """An upload: Django's ``UploadedFile``, an open file, ``io.BytesIO``."""

    def read(self, size: int = ..., /) -> bytes: ...


Upload = tuple[str, Readable]  # (the name it came with, the file)


@dataclass
class CleanFile:
    """An upload that passed the checks, ready to store."""

    content: bytes
    name: str
    content_type: str
    extension: str


def _read(upload: Readable, limit: int, name: str) -> bytes:
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(
            _("«%(name)s» er for stor. Største tillatte størrelse er %(mb)s MB.")
            % {"name": name, "mb": limit // MB},
            errors=[{"field": "files", "reason": "too-large", "name": name}],
        )
    if not data:
        raise InvalidInput(
            _("«%(name)s» er tom.") % {"name": name},
            errors=[{"field": "files", "reason": "empty", "name": name}],
        )
    return data


def _display_name(name: str, extension: str) -> str:
    stem = PurePath(name.replace("\\", "/")).stem.strip() or _("vedlegg")
    stem = "".join(c for c in stem if c.isprintable() and c not in '<>:"/\\|?*')[:150] or _("vedlegg")
    return f"{stem}.{extension}"


def _unsupported(name: str, allowed: str) -> InvalidInput:
    return InvalidInput(
        _("«%(name)s» har en filtype som ikke er tillatt. Tillatt: %(allowed)s.")
        % {"name": name, "allowed": allowed},
        errors=[{"field": "files", "reason": "type", "name": name}],
    )


def clean_image(data: bytes, name: str) -> tuple[bytes, str, str]:
    """Re-encode an image from its pixels only: (bytes, content type, extension).

    Raises :class:`InvalidInput` for anything that is not a JPEG, PNG or WebP picture.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format or ""
                if fmt not in IMAGE_TYPES:
                    raise _unsupported(name, "JPEG, PNG, WebP")
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                probe.load()
                image = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise InvalidInput(
            _("«%(name)s» kunne ikke leses som et bilde.") % {"name": name},
            errors=[{"field": "files", "reason": "broken", "name": name}],
        ) from err
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise InvalidInput(
            _("«%(name)s» har for mange piksler.") % {"name": name},
            errors=[{"field": "files", "reason": "too-large", "name": name}],
        ) from err
    content_type, extension = IMAGE_TYPES[fmt]
    if max(image.size) > MAX_IMAGE_SIDE:
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    # A fresh image holding nothing but the pixels: no info dict, no EXIF, XMP or ICC profile.
    mode = image.mode
    if fmt == "JPEG" and mode not in ("RGB", "L"):
        mode = "RGB"
    elif mode not in ("RGB", "RGBA", "L", "LA", "P"):
        mode = "RGBA" if "A" in image.getbands() else "RGB"
    pixels = image.convert(mode)
    bare = Image.new(pixels.mode, pixels.size)
    if pixels.mode == "P":
        bare.putpalette(pixels.getpalette() or [])
    bare.paste(pixels)
    out = io.BytesIO()
    if fmt == "JPEG":
        bare.save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        bare.save(out, "PNG", optimize=True)
    else:
        bare.save(out, "WEBP", quality=88)
    return out.getvalue(), content_type, extension


def _sniff_document(data: bytes, name: str) -> tuple[str, str] | None:
    """(content type, extension) for the non-image types allowed on documents, else None."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(b"PK\x03\x04") and extension in OFFICE_TYPES:
        content_type, member = OFFICE_TYPES[extension]
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if any(n == member or n.startswith(member) for n in names):
            return content_type, extension
        return None
    if extension in TEXT_TYPES and b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return TEXT_TYPES[extension] + "; charset=utf-8", extension
    return None


def check_deviation_file(upload: Readable, name: str, *, anonymous: bool, number: int) -> CleanFile:
    """A photo (JPEG, PNG, WebP; cleaned of metadata) or a PDF for a deviation report."""
    data = _read(upload, DEVIATION_MAX_BYTES, name)
    if data.startswith(b"%PDF-"):
        if anonymous:
            # A PDF's metadata (author, software, times) cannot be cleaned as reliably as a
            # picture's; anonymous reports take pictures only.
            raise InvalidInput(
                _("Anonyme meldinger kan bare ha bilder som vedlegg (ikke PDF)."),
                errors=[{"field": "files", "reason": "type", "name": name}],
            )
        return CleanFile(data, _display_name(name, "pdf"), "application/pdf", "pdf")
    if not data[:16].startswith((b"\xff\xd8", b"\x89PNG", b"RIFF")):
        raise _unsupported(name, "JPEG, PNG, WebP, PDF")
    content, content_type, extension = clean_image(data, name)
    display = f"{_('bilde')}-{number}.{extension}" if anonymous else _display_name(name, extension)
    return CleanFile(content, display, content_type, extension)


def check_document_file(upload: Readable, name: str) -> CleanFile:
    """An attachment to a procedure: PDF, Office/OpenDocument, text, CSV or an image."""
    data = _read(upload, DOCUMENT_MAX_BYTES, name)
    if data[:16].startswith((b"\xff\xd8", b"\x89PNG", b"RIFF")):
        content, content_type, extension = clean_image(data, name)
        return CleanFile(content, _display_name(name, extension), content_type, extension)
    found = _sniff_document(data, name)
    if found is None:
        raise _unsupported(name, "PDF, DOCX, XLSX, PPTX, ODT, ODS, TXT, CSV, MD, JPEG, PNG, WebP")
    content_type, extension = found
    return CleanFile(data, _display_name(name, extension), content_type, extension)


def store(clean: CleanFile, folder: str, *, mtime: dt.datetime | None = None) -> str:
    """Save to ``default_storage`` under a random name; returns the stored name.

    ``mtime`` sets the file's modification time where the storage is a file system (anonymous
    reports keep the day only, so the file's time cannot be matched against access logs).
    """
    name = default_storage.save(f"{folder}/{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.content))
    if mtime is not None:
        try:
            path = default_storage.path(name)
        except NotImplementedError:
            return name
        stamp = mtime.timestamp()
        os.utime(path, (stamp, stamp))
    return name


def delete_quietly(names: list[str]) -> None:
    """Remove stored files (after a failed save, or when nothing refers to them any more)."""
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)
