"""XML feeds: elements written with lxml's incremental writer, text kept as text, CDATA that survives `]]>`."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from email.utils import format_datetime

from lxml import etree

#: An element: its tag and its text (None when unknown, so it is left out) or its child elements.
Node = tuple[str, "str | Sequence[Node] | None"]

#: Everything XML 1.0 cannot hold: control characters other than tab, LF and CR, lone surrogates, U+FFFE, U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_INDENT = "  "


def xml_text(text: str) -> str:
    """Return `text` without the characters XML 1.0 cannot hold, every line break as LF."""
    # a parser turns CR and CRLF into LF in CDATA anyway; doing it here makes the bytes say what is read
    return _NOT_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


def rfc2822(moment: datetime.datetime) -> str:
    """Return `moment` as RFC 2822 in GMT, e.g. 'Fri, 15 Jan 2027 00:00:00 GMT': English names whatever the locale."""
    utc = moment.replace(tzinfo=datetime.UTC) if moment.tzinfo is None else moment.astimezone(datetime.UTC)
    return format_datetime(utc, usegmt=True)


def plain_amount(value: Decimal) -> str:
    """Return an amount as digits, with two decimals only when it has cents, e.g. '102000' or '25.50'."""
    return f"{value:f}" if value == value.to_integral_value() else f"{value:.2f}"


def write_feed(header: Sequence[Node], jobs: Sequence[Sequence[Node]]) -> bytes:
    """Return a `<source>` document: `header` as plain text, then one `<job>` per item with its text in CDATA."""
    out = io.BytesIO()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("source"):
            _write_nodes(xf, header, 1, cdata=False)
            _write_nodes(xf, [("job", job) for job in jobs], 1, cdata=True)
            xf.write("\n")
    return out.getvalue() + b"\n"


def _write_nodes(xf: etree._IncrementalFileWriter, nodes: Sequence[Node], depth: int, *, cdata: bool) -> None:
    for tag, value in nodes:
        if isinstance(value, str):
            text = xml_text(value)
            if not text.strip():
                continue  # nothing a board could read: omitted, never an empty element
            xf.write("\n" + _INDENT * depth)
            with xf.element(tag):
                for chunk in _cdata_chunks(text) if cdata else (text,):
                    xf.write(etree.CDATA(chunk) if cdata else chunk)
        elif value is not None and _has_text(value):
            xf.write("\n" + _INDENT * depth)
            with xf.element(tag):
                _write_nodes(xf, value, depth + 1, cdata=cdata)
                xf.write("\n" + _INDENT * depth)


def _has_text(nodes: Sequence[Node]) -> bool:
    for _, value in nodes:
        if isinstance(value, str) and xml_text(value).strip():
            return True
        if value is not None and not isinstance(value, str) and _has_text(value):
            return True
    return False


def _cdata_chunks(text: str) -> list[str]:
    # a CDATA section cannot hold "]]>": end one section after "]]" and start the next with ">",
    # so <![CDATA[a]]]]><![CDATA[>b]]> reads back as "a]]>b"
    parts = text.split("]]>")
    last = len(parts) - 1
    return [(">" if i else "") + part + ("]]" if i < last else "") for i, part in enumerate(parts)]
