"""Job-board feeds: Indeed XML, LinkedIn XML and HR Open JSON, read back with real parsers field by field."""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Sequence
from decimal import Decimal

import pytest
from lxml import etree

from generator.documents import FeedContext, FeedEntry
from generator.formats import hropen, indeed, linkedin
from generator.models import Salary

FORMATS = [indeed.FORMAT, linkedin.FORMAT, hropen.FORMAT]

CONTEXT = FeedContext(
    publisher="Acme Analytics",
    publisher_url="https://acme.example/",
    built_at=datetime.datetime(2027, 1, 16, 9, 30, tzinfo=datetime.UTC),
    language="en",
)

#: Shares its first 40 characters with LONG_B: the two must still get different LinkedIn ids.
LONG_A = "senior-technical-program-manager-mid-columbus-ohio-downtown"
LONG_B = "senior-technical-program-manager-mid-columbus-ohio-uptown"
#: Text a feed must carry as text: CDATA's end, markup, an entity as written, a right-to-left mark, emoji.
HOSTILE_TITLE = "Lead ]]> <script>alert(1)</script> &amp; R\u200fD 🚀]]>"
HOSTILE_HTML = "<p>Build ]]> ship</p><script>alert(1)</script><p>&amp; \u200fשלום 👩\u200d💻</p>]]>"


def _salary(low: str, high: str, currency: str = "USD", period: str = "year") -> Salary:
    return Salary(min=Decimal(low), max=Decimal(high), currency=currency, period=period)


def _entry(**changes: object) -> FeedEntry:
    base = FeedEntry(
        reference="tpm-mid-columbus",
        requisition="tpm-mid",
        title="Technical Program Manager",
        level_name="Mid",
        company="Acme Analytics",
        company_url="https://acme.example/",
        url="https://acme.example/jobs/tpm-mid-columbus/",
        apply_url="https://acme.example/apply/tpm",
        date_posted=datetime.date(2027, 1, 15),
        valid_through=datetime.date(2027, 2, 14),
        description_html="<p>Lead programs.</p>",
        locality="Columbus",
        region_code="OH",
        region_name="Ohio",
        country="US",
        work_model="onsite",
        employment_type="FULL_TIME",
        salary=_salary("102000", "132000"),
        onet="15-1299.09",
    )
    return dataclasses.replace(base, **changes)


ONSITE = _entry()
HYBRID = _entry(
    reference="tpm-mid-austin",
    locality="Austin",
    region_code="TX",
    region_name="Texas",
    work_model="hybrid",
    url=None,  # no page: the feeds point at the apply address
    employment_type="PART_TIME",
)
REMOTE_REGION = _entry(
    reference="tpm-mid-remote-ohio", locality=None, work_model="remote", employment_type="CONTRACTOR", apply_url=None
)
REMOTE_COUNTRY = _entry(
    reference="tpm-mid-remote-canada",
    locality=None,
    region_code=None,
    region_name=None,
    country="CA",
    work_model="remote",
    salary=_salary("90000", "110000", "CAD"),
    employment_type="PER_DIEM",  # no board has a value for it
    onet=None,
    level_name="",
)
HOURLY = _entry(
    reference="coordinator-entry-portland",
    requisition="coordinator-entry",
    title="Project Coordinator",
    level_name="Entry",
    locality="Portland",
    region_code="OR",
    region_name="Oregon",
    salary=_salary("25.50", "32.75", period="hour"),
    employment_type="TEMPORARY",
)
LONG = _entry(reference=LONG_A, requisition="tpm-mid")
LONG_TWIN = _entry(reference=LONG_B, requisition="tpm-mid")
ENTRIES = [ONSITE, HYBRID, REMOTE_REGION, REMOTE_COUNTRY, HOURLY, LONG, LONG_TWIN]


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def _fields(job: etree._Element) -> dict[str, str]:
    """Return a job's simple elements as a board reads them: tag → text."""
    return {child.tag: child.text for child in job if len(child) == 0}


def _indeed_jobs(entries: Sequence[FeedEntry], context: FeedContext = CONTEXT) -> list[dict[str, str]]:
    return [_fields(job) for job in _xml(indeed.FORMAT.encode(entries, context)).findall("job")]


def _linkedin_jobs(entries: Sequence[FeedEntry]) -> list[etree._Element]:
    return _xml(linkedin.FORMAT.encode(entries, CONTEXT)).findall("job")


def _profiles(entries: Sequence[FeedEntry]) -> list[dict]:
    document = json.loads(hropen.FORMAT.encode(entries, CONTEXT), parse_float=Decimal)
    return [opening["positionProfiles"][0] for opening in document["positionOpenings"]]


# Indeed


def test_indeed_header() -> None:
    root = _xml(indeed.FORMAT.encode(ENTRIES, CONTEXT))
    assert root.tag == "source"
    assert root.findtext("publisher") == "Acme Analytics"
    assert root.findtext("publisherurl") == "https://acme.example/"
    assert root.findtext("lastBuildDate") == "Sat, 16 Jan 2027 09:30:00 GMT"
    assert len(root.findall("job")) == len(ENTRIES)


def test_indeed_header_without_publisher_url_and_with_a_naive_or_offset_time() -> None:
    eastern = datetime.timezone(datetime.timedelta(hours=-5))
    for built_at in (datetime.datetime(2027, 1, 16, 9, 30), datetime.datetime(2027, 1, 16, 4, 30, tzinfo=eastern)):
        context = dataclasses.replace(CONTEXT, publisher_url=None, built_at=built_at)
        root = _xml(indeed.FORMAT.encode([ONSITE], context))
        assert root.find("publisherurl") is None
        assert root.findtext("lastBuildDate") == "Sat, 16 Jan 2027 09:30:00 GMT"


def test_indeed_onsite_job() -> None:
    (job,) = _indeed_jobs([ONSITE])
    assert job == {
        "title": "Technical Program Manager",
        "date": "Fri, 15 Jan 2027 00:00:00 GMT",
        "referencenumber": "tpm-mid-columbus",
        "requisitionid": "tpm-mid",
        "url": "https://acme.example/jobs/tpm-mid-columbus/",
        "company": "Acme Analytics",
        "city": "Columbus",
        "state": "OH",
        "country": "US",
        "description": "<p>Lead programs.</p>",
        "salary": "$102,000 - $132,000 per year",
        "jobtype": "fulltime",
        "expirationdate": "2027-02-14",
    }  # on-site: no remotetype


def test_indeed_elements_come_in_indeeds_order() -> None:
    job = _xml(indeed.FORMAT.encode([ONSITE], CONTEXT)).find("job")
    assert [child.tag for child in job][:4] == ["title", "date", "referencenumber", "requisitionid"]


def test_indeed_job_content_is_cdata() -> None:
    data = indeed.FORMAT.encode([ONSITE], CONTEXT).decode()
    assert "<description><![CDATA[<p>Lead programs.</p>]]></description>" in data
    assert "<title><![CDATA[Technical Program Manager]]></title>" in data
    assert "&lt;" not in data  # Indeed's parser is wary of entities: the HTML travels as written


def test_indeed_hybrid_and_remote() -> None:
    hybrid, remote_region, remote_country = _indeed_jobs([HYBRID, REMOTE_REGION, REMOTE_COUNTRY])
    assert hybrid["remotetype"] == "Hybrid remote"
    assert hybrid["url"] == "https://acme.example/apply/tpm"  # no page, so the apply address
    assert hybrid["jobtype"] == "parttime"
    assert remote_region["remotetype"] == "Fully remote"
    assert (remote_region["state"], remote_region["country"]) == ("OH", "US")
    assert "city" not in remote_region
    assert remote_region["jobtype"] == "contract"
    assert remote_country["remotetype"] == "Fully remote"
    assert remote_country["country"] == "CA"
    assert "city" not in remote_country and "state" not in remote_country
    assert "jobtype" not in remote_country  # PER_DIEM has no Indeed value
    assert remote_country["salary"] == "CAD 90,000 - CAD 110,000 per year"  # "$" would read as US dollars


def test_indeed_salary_texts() -> None:
    (hourly,) = _indeed_jobs([HOURLY])
    assert hourly["salary"] == "$25.50 - $32.75 per hour"
    assert hourly["jobtype"] == "temporary"
    assert indeed.salary_text(_salary("25", "32.75", period="hour")) == "$25.00 - $32.75 per hour"
    assert indeed.salary_text(_salary("4000", "4000", "EUR", "month")) == "€4,000 per month"
    assert indeed.salary_text(_salary("90000", "110000", "CHF")) == "CHF 90,000 - CHF 110,000 per year"
    assert indeed.salary_text(_salary("7000000", "9000000", "JPY")) == "¥7,000,000 - ¥9,000,000 per year"


def test_indeed_omits_unknown_values_instead_of_writing_empty_elements() -> None:
    bare = _entry(url=None, apply_url=None, locality=None, region_code=None, employment_type="OTHER")
    (job,) = _indeed_jobs([bare])
    assert not {"url", "city", "state", "jobtype"} & job.keys()
    root = _xml(indeed.FORMAT.encode([*ENTRIES, bare], CONTEXT))
    assert all((element.text or "").strip() or len(element) for element in root.iter())


# LinkedIn


def test_linkedin_onsite_job() -> None:
    root = _xml(linkedin.FORMAT.encode([ONSITE], CONTEXT))
    assert root.tag == "source"
    assert root.findtext("lastBuildDate") == "Sat, 16 Jan 2027 09:30:00 GMT"
    (job,) = root.findall("job")
    assert _fields(job) == {
        "partnerJobId": "tpm-mid-columbus",
        "company": "Acme Analytics",
        "title": "Technical Program Manager",
        "description": "<p>Lead programs.</p>",
        "location": "Columbus, OH, US",
        "applyUrl": "https://acme.example/apply/tpm",
        "workplaceTypes": "On-site",
        "jobtype": "FULL_TIME",
    }
    (salary,) = job.findall("salaries/salary")
    assert salary.findtext("highEnd/amount") == "132000"
    assert salary.findtext("highEnd/currencyCode") == "USD"
    assert salary.findtext("lowEnd/amount") == "102000"
    assert salary.findtext("lowEnd/currencyCode") == "USD"
    assert salary.findtext("period") == "YEARLY"
    assert salary.findtext("type") == "BASE_SALARY"


def test_linkedin_places_work_models_and_job_types() -> None:
    hybrid, remote_region, remote_country, hourly = (
        _fields(job) for job in _linkedin_jobs([HYBRID, REMOTE_REGION, REMOTE_COUNTRY, HOURLY])
    )
    assert (hybrid["location"], hybrid["workplaceTypes"], hybrid["jobtype"]) == (
        "Austin, TX, US",
        "Hybrid",
        "PART_TIME",
    )
    assert remote_region["location"] == "OH, US"
    assert remote_region["applyUrl"] == "https://acme.example/jobs/tpm-mid-columbus/"  # no apply address: the page
    assert (remote_region["workplaceTypes"], remote_region["jobtype"]) == ("Remote", "CONTRACT")
    assert remote_country["location"] == "Canada"
    assert "jobtype" not in remote_country
    assert hourly["jobtype"] == "TEMPORARY"


def test_linkedin_hourly_salary_keeps_its_cents() -> None:
    (job,) = _linkedin_jobs([HOURLY])
    assert job.findtext("salaries/salary/lowEnd/amount") == "25.50"
    assert job.findtext("salaries/salary/highEnd/amount") == "32.75"
    assert job.findtext("salaries/salary/period") == "HOURLY"


def test_linkedin_partner_job_ids_fit_and_never_collide() -> None:
    ids = [_fields(job)["partnerJobId"] for job in _linkedin_jobs(ENTRIES)]
    assert all(len(partner_id) <= linkedin.ID_LIMIT for partner_id in ids)
    assert len(set(ids)) == len(ids)
    long_id, twin_id = ids[-2:]
    assert LONG_A[:40] == LONG_B[:40] and long_id != twin_id
    # a readable prefix, then a hash of the whole reference; pinned, because an id that changed between
    # builds would make LinkedIn see a new job
    assert long_id == "senior-technical-program-mana-75b6885f42"
    assert twin_id == "senior-technical-program-mana-5a1828c27b"
    assert linkedin.partner_job_id("x" * 40) == "x" * 40
    assert len(linkedin.partner_job_id("x" * 41)) == 40


# HR Open


def test_hropen_onsite_opening() -> None:
    document = json.loads(hropen.FORMAT.encode([ONSITE], CONTEXT))
    (opening,) = document["positionOpenings"]
    assert opening["documentId"] == {"value": "tpm-mid-columbus"}
    (profile,) = opening["positionProfiles"]
    assert profile["positionTitle"] == "Technical Program Manager"
    assert profile["positionLocation"] == [
        {"city": "Columbus", "countrySubDivisions": [{"type": "StateProvince", "value": "OH"}], "countryCode": "US"}
    ]
    assert profile["positionFormattedDescriptions"] == [{"title": "Description", "content": "<p>Lead programs.</p>"}]
    assert profile["offeredRemunerationPackage"] == {
        "basisCode": "Salary",
        "ranges": [
            {
                "intervalCode": "Year",
                "minimumAmount": {"value": 102000, "currencyCode": "USD"},
                "maximumAmount": {"value": 132000, "currencyCode": "USD"},
            }
        ],
    }
    assert profile["jobCategories"] == [{"code": "15-1299.09"}]
    assert profile["careerLevels"] == [{"name": "Mid"}]
    assert profile["postingInstructions"] == [
        {
            "start": "2027-01-15",
            "end": "2027-02-14",
            "applicationMethods": [{"applicationUri": "https://acme.example/apply/tpm"}],
        }
    ]
    assert profile["positionOrganizations"] == [{"name": "Acme Analytics"}]


def test_hropen_layout_and_whole_numbers() -> None:
    data = hropen.FORMAT.encode(ENTRIES, CONTEXT)
    text = data.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "positionOpenings": [\n')
    assert '"value": 102000,' in text and "102000.0" not in text
    assert [opening["documentId"]["value"] for opening in json.loads(data)["positionOpenings"]] == [
        entry.reference for entry in ENTRIES
    ]


def test_hropen_hourly_amounts_are_exact_decimals() -> None:
    text = hropen.FORMAT.encode([HOURLY], CONTEXT).decode()
    assert '"value": 25.5,' in text and '"value": 32.75,' in text
    (profile,) = _profiles([HOURLY])
    (pay,) = profile["offeredRemunerationPackage"]["ranges"]
    assert pay["intervalCode"] == "Hour"
    assert pay["minimumAmount"]["value"] == Decimal("25.50")
    assert pay["maximumAmount"]["value"] == Decimal("32.75")
    assert hropen.json_number(Decimal("999999999999.99")) == 999999999999.99  # the largest amount jdgen takes


def test_hropen_omits_what_is_unknown() -> None:
    remote_region, remote_country = _profiles([REMOTE_REGION, REMOTE_COUNTRY])
    assert remote_region["positionLocation"] == [
        {"countrySubDivisions": [{"type": "StateProvince", "value": "OH"}], "countryCode": "US"}
    ]
    assert remote_country["positionLocation"] == [{"countryCode": "CA"}]
    assert "jobCategories" not in remote_country and "careerLevels" not in remote_country
    (bare,) = _profiles([_entry(url=None, apply_url=None)])
    assert bare["postingInstructions"] == [{"start": "2027-01-15", "end": "2027-02-14"}]
    assert "null" not in hropen.FORMAT.encode(ENTRIES, CONTEXT).decode()


# Hostile text, control characters, reproducibility


def _read_back(entry: FeedEntry) -> dict[str, tuple[str, str]]:
    """Return (title, description) as each feed's reader gets them."""
    (indeed_job,) = _indeed_jobs([entry])
    (linkedin_job,) = (_fields(job) for job in _linkedin_jobs([entry]))
    (profile,) = _profiles([entry])
    return {
        "indeed": (indeed_job["title"], indeed_job["description"]),
        "linkedin": (linkedin_job["title"], linkedin_job["description"]),
        "hropen": (profile["positionTitle"], profile["positionFormattedDescriptions"][0]["content"]),
    }


def test_hostile_text_round_trips_as_text() -> None:
    entry = _entry(title=HOSTILE_TITLE, description_html=HOSTILE_HTML, company="R&D <Labs> ]]>")
    for feed, read in _read_back(entry).items():
        assert read == (HOSTILE_TITLE, HOSTILE_HTML), feed
    assert _indeed_jobs([entry])[0]["company"] == "R&D <Labs> ]]>"
    root = _xml(linkedin.FORMAT.encode([entry], CONTEXT))
    assert root.find("job/script") is None and root.find("job/description/p") is None  # text, never elements


def test_xml_feeds_drop_what_xml_cannot_hold() -> None:
    title = "Program\x00 Manager\x01\x08\x0b\x0c\x1f\ufffe\ud800"
    html = "<p>a\x00b</p>\t<p>c\x1bd</p>\n"
    entry = _entry(title=title, description_html=html, locality="Col\x07umbus")
    read = _read_back(entry)
    assert read["indeed"] == read["linkedin"] == ("Program Manager", "<p>ab</p>\t<p>cd</p>\n")
    assert _indeed_jobs([entry])[0]["city"] == "Columbus"
    # JSON escapes control characters, so HR Open keeps them; only a lone surrogate (no character at all) goes
    assert read["hropen"] == ("Program\x00 Manager\x01\x08\x0b\x0c\x1f\ufffe", html)


def test_xml_feeds_keep_tabs_and_line_breaks_as_a_parser_reads_them() -> None:
    entry = _entry(description_html="<p>one</p>\r\n<p>two</p>\r<p>\tthree</p>")
    read = _read_back(entry)
    assert read["indeed"][1] == read["linkedin"][1] == "<p>one</p>\n<p>two</p>\n<p>\tthree</p>"
    assert b"\r" not in indeed.FORMAT.encode([entry], CONTEXT)


@pytest.mark.parametrize("feed", FORMATS, ids=lambda feed: feed.name)
def test_same_input_gives_the_same_bytes(feed) -> None:
    first = feed.encode(ENTRIES, CONTEXT)
    second = feed.encode(list(ENTRIES), dataclasses.replace(CONTEXT))
    assert first == second


@pytest.mark.parametrize("feed", FORMATS, ids=lambda feed: feed.name)
def test_an_empty_feed_is_well_formed(feed) -> None:
    data = feed.encode([], CONTEXT)
    if feed.name == "hropen":
        assert json.loads(data) == {"positionOpenings": []}
    else:
        assert _xml(data).findall("job") == []


def test_registered_names_and_files() -> None:
    assert [(feed.name, feed.file_name) for feed in FORMATS] == [
        ("indeed", "feeds/indeed.xml"),
        ("linkedin", "feeds/linkedin.xml"),
        ("hropen", "feeds/positions.json"),
    ]
