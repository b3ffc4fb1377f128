"""Visit photos inside the limits (issue 20.4): decoded at reduced scale, stored downscaled, and a header that
claims a decompression bomb refused before any pixel is decoded."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from households import photos


def _big_jpeg(size=(8000, 6000)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 140, 60)).save(out, format="JPEG", quality=70)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height; no pixel data follows."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_a_large_jpeg_is_decoded_at_reduced_scale_and_stored_downscaled(settings, monkeypatch):
    settings.HOUSEHOLDS_PHOTO_MAX_MB = 8
    decoded = []
    transpose = photos.ImageOps.exif_transpose

    def spy(image, **kwargs):
        decoded.append(image.size)
        return transpose(image, **kwargs)

    monkeypatch.setattr(photos.ImageOps, "exif_transpose", spy)
    content, width, height = photos.clean_photo(SimpleUploadedFile("big.jpg", _big_jpeg(), "image/jpeg"))
    assert max(width, height) == settings.HOUSEHOLDS_PHOTO_MAX_SIDE and (width, height) == (1600, 1200)
    assert Image.open(io.BytesIO(content.read())).size == (1600, 1200)
    assert decoded == [(2000, 1500)]  # 1/4 scale: never the 48 megapixels


@pytest.mark.parametrize("width, height", [(20_000, 20_000), (9_000, 6_000)])
def test_an_image_whose_header_claims_too_many_pixels_is_refused_with_the_message(width, height):
    with pytest.raises(ValidationError) as refused:
        photos.clean_photo(SimpleUploadedFile("bomb.png", _png_claiming(width, height), "image/png"))
    assert "bomb.png 图像尺寸过大" in " ".join(refused.value.messages)
