"""The monthly report as the orderer receives it: CSV for Swedish spreadsheets and a
printable page (`supervision.md`, "The monthly report").

CSV, byte for byte: a UTF-8 byte order mark (so Excel reads å, ä, ö), `;` between fields,
decimal comma, hours always with two decimals (`1,50`), counts as integers, CRLF after every
line, a field quoted only when it holds `;`, `"` or a line break (a `"` doubled inside), the
header exactly the column names, no totals line.

The page is a Jinja template (`server/templates/monthly_report.html`) with Swedish headings,
no script, and CSS for print (A4 landscape, the header row repeated on each page).
"""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from server.supervision.months import previous_month
from server.supervision.reports import COLUMNS, COUNT_COLUMNS, HOURS_COLUMNS

BOM = "\ufeff"
CRLF = "\r\n"
_NEEDS_QUOTES = (";", '"', "\r", "\n")
_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# The page's words, in one place (an English page would be one more table).
HEADINGS = {
    "orderer": "Beställare", "order_ref": "Beställarens ref.", "client": "Brukare",
    "service": "Insats", "worker": "Medarbetare", "hours_granted": "Beviljade timmar",
    "band": "Timintervall", "hours_delivered": "Utförda timmar", "visits_done": "Utförda besök",
    "client_cancelled": "Avbokat av brukaren", "client_late_cancel": "Sen avbokning",
    "no_show": "Uteblev", "staff_cancelled": "Avbokat av personal",
    "booked_hours_cancelled": "Bokad tid avbokad (h)", "activities_done": "Utförda aktiviteter",
    "goals_followed_up": "Följda mål", "late_corrections": "Sena rättelser",
}
SERVICES = {"cm": "Case management", "housing_support": "Boendestöd"}
CHANGES = {"visit": {"created": "nytt besök", "changed": "ändrat besök"},
           "contact": {"created": "ny kontakt", "changed": "ändrad kontakt"}}
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")


def number(value) -> str:
    """A CSV or page figure: hours with two decimals and a decimal comma, counts as
    integers, nothing for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def csv_field(value) -> str:
    text = value if isinstance(value, str) else number(value)
    if any(mark in text for mark in _NEEDS_QUOTES):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_csv(report: dict) -> bytes:
    lines = [";".join(COLUMNS)]
    lines += [";".join(csv_field(row[name]) for name in COLUMNS) for row in report["rows"]]
    return (BOM + "".join(line + CRLF for line in lines)).encode("utf-8")


def month_name(month: str) -> str:
    """`2026-10` → `oktober 2026`."""
    year, number_ = month.split("-")
    return f"{MONTHS[int(number_) - 1]} {year}"


def _local(text: str | None, zone) -> str:
    """A stored or ISO time as local `YYYY-MM-DD HH:MM` ('' for none)."""
    if not text:
        return ""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(_TEMPLATES),
                              autoescape=select_autoescape(["html"]), trim_blocks=True,
                              lstrip_blocks=True)
    environment.filters["number"] = number
    environment.filters["local"] = _local
    return environment


def to_html(report: dict, zone, generated_at: datetime) -> str:
    return _environment().get_template("monthly_report.html").render(
        report=report, columns=COLUMNS, headings=HEADINGS, services=SERVICES,
        changes=CHANGES, numeric=set(HOURS_COLUMNS) | set(COUNT_COLUMNS),
        month=month_name(report["month"]),
        previous_month=month_name(previous_month(report["month"])),
        zone=zone, generated_at=generated_at)
