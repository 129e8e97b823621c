"""Read the reference DOCX safely: a bounded ZIP, and nothing in it that points outside the document."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from .errors import TemplateError, UnreadableFileError
from .files import read_workspace_file

#: A reference document larger than this is refused before it is opened.
MAX_REFERENCE_BYTES = 20_000_000
#: Parts a reference document may hold; Word's own documents have a few dozen.
MAX_REFERENCE_PARTS = 1_000
#: Bytes all the parts of a reference document may inflate to, together.
MAX_REFERENCE_INFLATED = 100_000_000
#: How far a large part may be compressed (inflated size ÷ stored size); zip bombs go far past it.
MAX_COMPRESSION_RATIO = 100
#: Parts smaller than this are not held to the ratio: small XML compresses well and harmlessly.
RATIO_FREE_BYTES = 1_000_000
#: Bytes one XML part may inflate to: python-docx parses every one, at several times its size in memory.
MAX_XML_PART_BYTES = 10_000_000

_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Attribute namespaces whose values name a relationship of the part (transitional, strict, VML).
_REFERENCE_NAMESPACES = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}",
    "{urn:schemas-microsoft-com:office:office}relid",
)
#: Parts that hold settings, not content: an element there that points outside is simply dropped.
_SETTINGS_PARTS = ("word/settings.xml", "word/webSettings.xml")
_KINDS = {
    "image": "a linked picture",
    "oleObject": "a linked object",
    "subDocument": "a subdocument",
    "aFChunk": "an imported file",
    "package": "a linked package",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
#: What reading a damaged, encrypted or oddly compressed ZIP member can raise.
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    etree.XMLSyntaxError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    EOFError,
)


def read_reference(path: Path, root: Path, rel: str) -> bytes:
    """Return the reference document's bytes, checked as a ZIP and without external links."""
    try:
        data = read_workspace_file(path, root, MAX_REFERENCE_BYTES, "reference documents")
    except UnreadableFileError as err:
        raise TemplateError(rel, None, err.problem.message) from err
    # every entry of the central directory starts with this; counting it bounds the entries cheaply,
    # before zipfile builds an object per entry
    if data.count(b"PK\x01\x02") > MAX_REFERENCE_PARTS:
        raise _too_many_parts(rel)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise TemplateError(rel, None, f"not a readable Word document ({err})") from err
    with archive:
        _check_sizes(archive, rel)
        try:
            parts = _Sanitiser(archive, rel).run()
        except _BROKEN as err:
            raise TemplateError(rel, None, f"not a readable Word document ({err})") from err
        return data if parts is None else _rezip(archive, parts)


def _too_many_parts(rel: str) -> TemplateError:
    return TemplateError(
        rel, None, f"the document has more than {MAX_REFERENCE_PARTS:,} parts; start from jdgen's reference.docx"
    )


def _check_sizes(archive: zipfile.ZipFile, rel: str) -> None:
    """Refuse a ZIP that would inflate too far, from its directory alone, before inflating anything."""
    entries = archive.infolist()
    if len(entries) > MAX_REFERENCE_PARTS:
        raise _too_many_parts(rel)
    total = sum(entry.file_size for entry in entries)
    if total > MAX_REFERENCE_INFLATED:
        raise TemplateError(
            rel,
            None,
            f"the document inflates to {total / 1e6:,.0f} MB; reference documents are limited to "
            f"{MAX_REFERENCE_INFLATED / 1e6:.0f} MB unpacked (remove large pictures or embedded files)",
        )
    named_xml = [entry for entry in entries if entry.filename.endswith((".xml", ".rels"))]
    # python-docx parses a part as XML by its content type, whatever its name ends with
    typed_xml = _xml_part_names(archive) if all(e.file_size <= MAX_XML_PART_BYTES for e in named_xml) else set()
    for entry in entries:
        is_xml = entry.filename.endswith((".xml", ".rels")) or entry.filename in typed_xml
        if is_xml and entry.file_size > MAX_XML_PART_BYTES:
            raise TemplateError(
                rel,
                None,
                f"the part {entry.filename} is {entry.file_size / 1e6:.1f} MB of XML; a reference document's "
                f"parts are limited to {MAX_XML_PART_BYTES / 1e6:.0f} MB (keep only styles in it)",
            )
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_FREE_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise TemplateError(
                rel,
                None,
                f"the part {entry.filename} is compressed {ratio:,.0f} to 1, more than any real document "
                f"(at most {MAX_COMPRESSION_RATIO} to 1); save the document again from Word",
            )


def _xml_part_names(archive: zipfile.ZipFile) -> set[str]:
    """Return the parts [Content_Types].xml gives an XML content type, by name or by extension."""
    try:
        types = etree.fromstring(archive.read("[Content_Types].xml"), _PARSER)
    except (*_BROKEN, KeyError):
        return set()  # the sanitiser reports a document without it, or with it broken
    defaults = {
        (element.get("Extension") or "").lower(): element.get("ContentType") or ""
        for element in types
        if etree.QName(element).localname == "Default"
    }
    overrides = {
        (element.get("PartName") or "").lstrip("/"): element.get("ContentType") or ""
        for element in types
        if etree.QName(element).localname == "Override"
    }
    names = set()
    for name in archive.namelist():
        kind = overrides.get(name) or defaults.get(name.rpartition(".")[2].lower(), "")
        if "xml" in kind:
            names.add(name)
    return names


class _Sanitiser:
    """Drop every relationship that points outside the document, and what in its part refers to it."""

    def __init__(self, archive: zipfile.ZipFile, rel: str) -> None:
        self.archive = archive
        self.rel = rel
        self.names = set(archive.namelist())
        self.changed: dict[str, etree._Element] = {}  #: part name → its edited XML

    def run(self) -> dict[str, bytes] | None:
        """Return the edited parts by name, or None when the document needs no change."""
        self._clear_body()
        for name in sorted(self.names):
            if name.endswith(".rels"):
                self._strip_rels(name)
        if not self.changed:
            return None
        return {
            name: etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
            for name, tree in self.changed.items()
        }

    def _xml(self, name: str) -> etree._Element:
        if name not in self.changed:
            self.changed[name] = etree.fromstring(self.archive.read(name), _PARSER)
        return self.changed[name]

    def _clear_body(self) -> None:
        """Empty the body: a reference lends its styles, and its text would open every output."""
        name = self._main_part()
        if name not in self.names:
            return
        tree = etree.fromstring(self.archive.read(name), _PARSER)
        body = tree.find(f"{_W}body")
        if body is None or all(child.tag == f"{_W}sectPr" for child in body):
            return
        section = body[-1] if len(body) and body[-1].tag == f"{_W}sectPr" else None
        for child in list(body):
            if child is not section:
                body.remove(child)
        self.changed[name] = tree

    def _main_part(self) -> str:
        """Return the name of the main document part, as the package's relationships give it."""
        if "_rels/.rels" in self.names:
            for element in etree.fromstring(self.archive.read("_rels/.rels"), _PARSER):
                if element.get("Type", "").endswith("/officeDocument") and element.get("Target"):
                    return posixpath.normpath(element.get("Target")).lstrip("/")
        return "word/document.xml"

    def _strip_rels(self, rels_name: str) -> None:
        tree = etree.fromstring(self.archive.read(rels_name), _PARSER)
        external = {
            element.get("Id"): element
            for element in tree.iter(f"{{{_PACKAGE_RELS}}}Relationship")
            if (element.get("TargetMode") or "").lower() == "external"
        }
        if not external:
            return
        self.changed[rels_name] = tree
        part = _source_part(rels_name)
        if part in self.names:
            self._drop_references(part, external)
        for element in external.values():
            tree.remove(element)

    def _drop_references(self, part: str, external: dict[str | None, etree._Element]) -> None:
        """Remove or unwrap each element of `part` that refers to one of the `external` relationships."""
        tree = self._xml(part)
        for element in [e for e in tree.iter() if _refers_to(e, external)]:
            if element.getparent() is None:
                continue  # already gone with an ancestor removed earlier
            if part in _SETTINGS_PARTS:
                mail_merge = next(element.iterancestors(f"{_W}mailMerge"), None)
                target = mail_merge if mail_merge is not None else element
                if target.getparent() is not None:
                    target.getparent().remove(target)
            elif element.tag == f"{_W}hyperlink":
                _unwrap(element)  # the text stays, the link to the outside goes
            else:
                kind_url = external[_refers_to(element, external)].get("Type", "")
                kind = _KINDS.get(kind_url.rsplit("/", 1)[-1], "a link to an outside file")
                raise TemplateError(
                    self.rel,
                    None,
                    f"{part} holds {kind} that points outside the document; in Word, remove it or insert it "
                    "embedded instead, then save again",
                )


def _refers_to(element: etree._Element, external: dict[str | None, etree._Element]) -> str | None:
    """Return the id of the external relationship an element refers to, if any."""
    for name, value in element.attrib.items():
        if value in external and name.startswith(_REFERENCE_NAMESPACES):
            return value
    return None


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _source_part(rels_name: str) -> str:
    """Return the part a relationships part belongs to: `word/_rels/x.xml.rels` → `word/x.xml`."""
    folder, file_name = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), file_name.removesuffix(".rels"))


def _rezip(archive: zipfile.ZipFile, parts: dict[str, bytes]) -> bytes:
    """Copy the ZIP entry by entry, in the same order, with the edited parts in place of the old."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in archive.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
            info.compress_type = entry.compress_type
            info.external_attr = entry.external_attr
            target.writestr(info, parts.get(entry.filename) or archive.read(entry.filename))
    return out.getvalue()
