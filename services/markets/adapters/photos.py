"""Photos of completion reports: checked by reading them, cleaned, kept outside the database.

``clean`` decides what a file is from its bytes (Pillow opens it as JPEG, PNG or HEIF;
never its name or the browser's header), decodes it whole, turns it upright and saves it
again without EXIF (no GPS location, no camera serial), ICC or text chunks. HEIC/HEIF (an
iPhone's default) is read with pillow-heif and kept as JPEG, which every browser shows.

``PhotoStore`` is the one storage interface; ``LocalPhotoStore`` keeps files in a folder
(``MARKETS_UPLOAD_DIR``, by default ``$VAR_DIR/uploads/markets``; a volume in deployment),
named by their SHA-256, so the same photo is stored once.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageOps, UnidentifiedImageError

from ..domain.completions import MAX_PHOTO_BYTES
from ..domain.model import DomainError

try:  # HEIC from iPhones; without pillow-heif, HEIC is refused like any other format
    from pillow_heif import register_heif_opener

    register_heif_opener()
    FORMATS = ("JPEG", "PNG", "HEIF")
except ImportError:  # pragma: no cover - pillow-heif is a dependency
    FORMATS = ("JPEG", "PNG")

MAX_PIXELS = 100_000_000  # a 108 MP phone camera still fits
SAVED_AS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "HEIF": ("image/jpeg", "jpg"),
}
KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}\.(jpg|png)")


class PhotoRefused(DomainError):
    """Not a photo we keep; ``too_large`` answers 413."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.too_large = too_large


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    extension: str
    sha256: str
    width: int
    height: int
    original_name: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def key(self) -> str:
        return f"{self.sha256[:2]}/{self.sha256}.{self.extension}"


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def clean(data: bytes, name: str = "") -> CleanPhoto:
    """The photo without EXIF, or PhotoRefused with a Korean reason naming the file."""
    label = f"사진 '{name}'" if name else "사진"
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRefused(
            f"{label}이(가) 너무 큽니다 ({_mb(len(data))}). 한 장에 "
            f"{MAX_PHOTO_BYTES // 1024 // 1024} MB 이하로 올려 주세요.",
            too_large=True,
        )
    if not data:
        raise PhotoRefused(f"{label}이(가) 비어 있습니다.")
    refused = PhotoRefused(
        f"{label}은(는) 사진 파일이 아닙니다. JPEG, PNG 또는 HEIC 사진만 올릴 수 있습니다."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused(f"{label}의 화소 수가 너무 많습니다 (1억 화소 이하).")
            kind = image.format
            image.load()
            image = ImageOps.exif_transpose(image)
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Warning,
            Image.DecompressionBombError):  # fmt: skip
        raise refused from None
    content_type, extension = SAVED_AS[kind]
    out = io.BytesIO()
    if extension == "jpg":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)  # no exif=, icc_profile=: none
    else:
        image.save(out, "PNG", optimize=True)  # no pnginfo=, exif=: no text, no EXIF
    saved = out.getvalue()
    return CleanPhoto(saved, content_type, extension, hashlib.sha256(saved).hexdigest(),
                      image.width, image.height, name[:200])  # fmt: skip


class PhotoStore(Protocol):
    def put(self, key: str, data: bytes) -> bool:
        """Store; True if the file is new (the caller deletes it if its transaction fails)."""

    def get(self, key: str) -> bytes | None: ...

    def delete(self, key: str) -> None: ...


class LocalPhotoStore:
    """Files in one folder, written whole (a temporary file renamed into place)."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        if not KEY.fullmatch(key):
            raise ValueError(f"not a photo key: {key!r}")
        return self.directory / key

    def put(self, key: str, data: bytes) -> bool:
        path = self._path(key)
        if path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def photo_store(runtime) -> PhotoStore:
    """The service's store, made once per runtime from its settings."""
    store = getattr(runtime, "photo_store", None)
    if store is None:
        store = runtime.photo_store = LocalPhotoStore(runtime.settings.upload_dir)
    return store
