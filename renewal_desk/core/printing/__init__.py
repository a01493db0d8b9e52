"""Printouts (A4 PDF, reportlab, no Qt): one shared page template (template.py), the fonts with
fallbacks for rare characters (fonts.py), and one module per document.

`DOCUMENTS` lists the printable documents for the CLI and the UI: key -> (Chinese, English).
Loading a document's data from the database is the services' job; the modules here take plain
dataclasses (e.g. roster.BuildingRoster) and write a PDF.
"""

DOCUMENTS: dict[str, tuple[str, str]] = {
    "building-roster": ("楼栋住户花名册", "Building roster of households"),
}
