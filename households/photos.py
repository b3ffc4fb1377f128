"""Visit photos: images only, size-limited, decoded and re-encoded so that nothing but pixels is kept.

Re-encoding drops EXIF (GPS position, camera, time) and anything appended to the file; the orientation is
applied first so that a phone photo stays upright.
"""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
MAX_PIXELS = 50_000_000  # larger is a decompression bomb, not a phone photo


def clean_photo(upload) -> tuple[ContentFile, int, int]:
    """A JPEG of ``upload`` without metadata and its size in pixels, or a ValidationError a user understands."""
    limit = settings.HOUSEHOLDS_PHOTO_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": upload.name, "mb": settings.HOUSEHOLDS_PHOTO_MAX_MB}
        )
    side = settings.HOUSEHOLDS_PHOTO_MAX_SIDE
    too_large = ValidationError(_("%(name)s is too large an image.") % {"name": upload.name})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:  # reads the header only: the size is known before any pixel is decoded
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(_("%(name)s is not a photo.") % {"name": upload.name})
            if probe.width * probe.height > MAX_PIXELS:
                raise too_large
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            # A JPEG decodes at 1/2, 1/4 or 1/8 scale, no smaller than the kept size: a 49-megapixel photo then
            # takes ~12 MB rather than ~150 MB (and each copy below as much again).
            scale = min(1, side / max(image.size))
            image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((side, side))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
            width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own limit, met when the header claims twice its warning size
        raise too_large from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("%(name)s is not a photo.") % {"name": upload.name}) from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), width, height
