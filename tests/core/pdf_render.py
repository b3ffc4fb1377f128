"""Render spreadsheets as a clerk prints them: LibreOffice converts them to PDF (headless), poppler's pdftotext reads
the words back with their boxes. scripts/ensure-test-services.sh installs both and a CJK font; nothing here skips."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    def overlaps(self, other: Word, tolerance: float = 0.5) -> bool:
        return (self.page == other.page and self.x0 + tolerance < other.x1 and other.x0 + tolerance < self.x1
                and self.y0 + tolerance < other.y1 and other.y0 + tolerance < self.y1)


def to_pdf(files: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """``{"name.xlsx": body}`` → ``{"name.xlsx": Path("name.pdf")}``, all in one LibreOffice run."""
    for name, body in files.items():
        (folder / name).write_bytes(body)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), *[str(folder / name) for name in files]],
        check=True, capture_output=True, timeout=300,
    )
    return {name: folder / (Path(name).stem + ".pdf") for name in files}


def words(pdf: Path) -> list[Word]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    found, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        match = WORD.search(line)
        if match:
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            found.append(Word(page, x0, y0, x1, y1, html.unescape(match.group(5))))
    return found


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE).group(1))


def overlapping(found: list[Word]) -> list[tuple[Word, Word]]:
    by_page: dict[int, list[Word]] = {}
    for word in found:
        by_page.setdefault(word.page, []).append(word)
    pairs = []
    for page_words in by_page.values():
        page_words.sort(key=lambda w: w.y0)
        for i, word in enumerate(page_words):
            for other in page_words[i + 1:]:
                if other.y0 > word.y1:
                    break
                if word.overlaps(other):
                    pairs.append((word, other))
    return pairs


def column_text(found: list[Word], first_words: str) -> str:
    """The text of the left-aligned column whose first line starts with ``first_words``, page after page, top to
    bottom, its wrapped lines joined."""
    start = next(w for w in found if w.text.startswith(first_words))
    lines = [w for w in found if abs(w.x0 - start.x0) < 1.0]
    lines.sort(key=lambda w: (w.page, w.y0, w.x0))
    return "".join(w.text for w in lines)


def page_texts(found: list[Word]) -> dict[int, str]:
    pages: dict[int, list[Word]] = {}
    for word in found:
        pages.setdefault(word.page, []).append(word)
    return {page: " ".join(w.text for w in sorted(ws, key=lambda w: (w.y0, w.x0))) for page, ws in pages.items()}
