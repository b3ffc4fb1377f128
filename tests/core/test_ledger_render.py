"""The two ledgers printed as a clerk prints them: converted to PDF by LibreOffice, read back with pdftotext.
No text runs over another, every description and reply is there in full, the pages are as many as the footer says,
one page wide, each with the header rows. Runs in `make test` (no mark: LibreOffice is installed by
scripts/ensure-test-services.sh)."""

import datetime as dt

import pytest
from django.urls import reverse

from petitions.models import Petition
from tests.core.pdf_render import column_text, overlapping, page_count, page_texts, to_pdf, words
from tests.disputes.factories import DisputeFactory, PartyFactory
from tests.petitions.factories import advance, outsider, register

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
CLAUSE = "两户因宅基地界址发生争执，"


def _description(i: int) -> str:
    return f"第{i}号：" + (CLAUSE * 12)[: 10 + i * 7] + f"止{i}。"


def _reply(i: int) -> str:
    return f"答{i}：" + ("经镇信访办会同国土所实地核查，" * 6)[: 12 + i * 6] + f"完{i}。"


@pytest.fixture
def many_disputes(world):
    descriptions = []
    for i in range(24):
        text = _description(i)
        dispute = DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 11, 1) + dt.timedelta(days=i % 9),
                                 description=text)
        PartyFactory(dispute=dispute, name="张三")
        descriptions.append(text)
    return descriptions


@pytest.fixture
def many_petitions(world):
    staff = world.users["staff"]
    contents, replies = [], []
    for i in range(16):
        content = f"诉{i}：" + ("反映征地补偿款未足额发放，" * 5)[: 8 + i * 4] + f"尾{i}。"
        petition = register(by=staff, village=world.village_a, received_on=dt.date(2026, 11, 2), content=content,
                            petitioners=[outsider(f"王{i}")])
        advance(petition, Petition.Status.HANDLING, staff=staff, supervisor=world.users["supervisor"])
        petition.record_reply(by=staff, text=_reply(i), on=dt.date(2026, 11, 10))
        contents.append(content)
        replies.append(f"2026年11月10日答复：{_reply(i)}")
    return contents, replies


def _assert_prints_cleanly(pdf, *, expected_pages: int | None = None, min_pages: int = 1):
    found = words(pdf)
    assert not overlapping(found), overlapping(found)[:5]
    pages = page_count(pdf)
    assert pages >= min_pages
    if expected_pages is not None:
        assert pages == expected_pages
    texts = page_texts(found)
    assert len(texts) == pages
    for number, text in texts.items():
        # The header rows repeat, the page is one page wide (its first and last columns), the footer counts.
        assert "序号" in text and "是否销" in text
        assert f"第 {number} 页 共 {pages} 页" in text
    return found


@pytest.mark.today(NOW, tick=False)
def test_the_ledgers_print_without_text_running_over_the_next_row(world, clients, many_disputes, many_petitions,
                                                                  tmp_path):
    staff = clients["staff"]
    files = {
        "disputes.xlsx": staff.get(reverse("disputes:export"), {"format": "xlsx"}).content,
        "petitions.xlsx": staff.get(reverse("petitions:export"), {"format": "xlsx"}).content,
        "one-dispute.xlsx": staff.get(reverse("disputes:export"), {"format": "xlsx", "q": many_disputes[0][:4]}).content,
        "no-petitions.xlsx": staff.get(reverse("petitions:export"), {"format": "xlsx", "received_from": "2025-01-01",
                                                                     "received_to": "2025-01-31"}).content,
    }
    pdfs = to_pdf(files, tmp_path)

    found = _assert_prints_cleanly(pdfs["disputes.xlsx"], min_pages=2)
    column = column_text(found, "第0号")
    for text in many_disputes:
        assert text in column

    found = _assert_prints_cleanly(pdfs["petitions.xlsx"], min_pages=2)
    contents, replies = many_petitions
    column = column_text(found, "诉0：")
    for text in contents:
        assert text in column
    column = column_text(found, "2026年11月10日答复：答0")
    for text in replies:
        assert text in column

    found = _assert_prints_cleanly(pdfs["one-dispute.xlsx"], expected_pages=1)
    assert many_disputes[0] in column_text(found, "第0号")
    assert "合计" in page_texts(found)[1]

    found = _assert_prints_cleanly(pdfs["no-petitions.xlsx"], expected_pages=1)
    assert "本期无信访事项。" in page_texts(found)[1]


@pytest.mark.today(NOW, tick=False)
def test_the_household_roster_prints_one_page_wide_without_overlaps(world, clients, tmp_path):
    from tests.factories import HouseholdFactory

    addresses = []
    for i in range(70):
        address = f"桃源村一组{i}号" + "靠近村委会的老房子" * (i % 6) + f"止{i}"
        HouseholdFactory(grid=world.grid_a1, head_name=f"户主{i}", address=address, house_number=f"{i}号")
        addresses.append(address)
    body = b"".join(clients["staff"].get(reverse("households:list"), {"format": "xlsx"}).streaming_content)
    pdf = to_pdf({"households.xlsx": body}, tmp_path)["households.xlsx"]
    found = words(pdf)
    assert not overlapping(found), overlapping(found)[:5]
    pages = page_count(pdf)
    assert pages >= 2
    for number, text in page_texts(found).items():
        assert "户主" in text and "特殊群体" in text  # the header repeats; one page wide
        assert f"第 {number} 页 共 {pages} 页" in text
    column = column_text(found, "桃源村一组0号")
    for address in addresses:
        assert address in column
