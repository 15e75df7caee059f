"""An orderer's export read: the bytes of a `.json` or `.csv` file turned into raw orders, one
dict per order in file order, in the JSON shape of the shared `casework.md` (a CSV row
becomes the same dict, so one check serves both; the columns: `docs/order-import.md`).
Pure: nothing is checked here beyond what reading needs (`order_import.check` does).

A file that is not an order file as a whole (not UTF-8, not JSON, no `orders` list, a CSV
header it cannot use) is `UnreadableFile`; a CSV cell that cannot be read as its column's
value becomes `Unparsed`, which the check rejects as that order's `bad_value`.
"""

import csv
import io
import json
from dataclasses import dataclass

# The CSV columns, in the order docs/order-import.md gives them; the optional ones may be
# left out of the header.
CSV_COLUMNS = ("order_ref", "orderer", "district", "service", "client_ref", "client_name",
               "worker", "team", "period_start", "period_end", "hours_per_month", "goals",
               "activities")
CSV_OPTIONAL = ("worker", "team", "period_end", "hours_per_month")

class UnreadableFile(Exception):
    """The file as a whole is not an order file (exit status 2)."""


@dataclass(frozen=True)
class Unparsed:
    """A CSV cell that could not be read as its column's value (rejected as `bad_value`)."""

    message: str


def read_orders(name: str, data: bytes) -> list:
    """The raw orders of a file, by its name's ending (`.json` or `.csv`)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("the file is not UTF-8 text") from None
    lowered = name.lower()
    if lowered.endswith(".json"):
        return _json_orders(text)
    if lowered.endswith(".csv"):
        return _csv_orders(text)
    raise UnreadableFile("the file must be .json or .csv")


def _json_orders(text: str) -> list:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(f"not JSON (line {error.lineno}: {error.msg})") from None
    except RecursionError:
        raise UnreadableFile("the JSON is nested too deeply") from None
    if not isinstance(document, dict) or not isinstance(document.get("orders"), list):
        raise UnreadableFile('the JSON has no "orders" list')
    return document["orders"]


def _csv_orders(text: str) -> list:
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    except csv.Error as error:
        raise UnreadableFile(f"not CSV ({error})") from None
    if not rows:
        raise UnreadableFile("the CSV has no header row")
    header = [cell.strip() for cell in rows[0]]
    unknown = [column for column in header if column not in CSV_COLUMNS]
    missing = [column for column in CSV_COLUMNS
               if column not in header and column not in CSV_OPTIONAL]
    if unknown or missing:
        problems = ([f"unknown columns {', '.join(unknown)}"] if unknown else []) + (
            [f"missing columns {', '.join(missing)}"] if missing else [])
        raise UnreadableFile(f"the CSV header has {'; '.join(problems)} "
                             "(columns are separated by ';', see docs/order-import.md)")
    if len(set(header)) != len(header):
        raise UnreadableFile("the CSV header names a column twice")
    orders = []
    for cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or one of the empty ;;;; rows spreadsheets leave
        orders.append(_csv_order(header, cells))
    return orders


def _csv_order(header: list[str], cells: list[str]):
    if len(cells) > len(header):
        return Unparsed(f"the row has {len(cells)} cells, the header {len(header)}")
    row = {column: (cells[i].strip() or None) if i < len(cells) else None
           for i, column in enumerate(header)}
    get = row.get
    return {"order_ref": get("order_ref"), "orderer": get("orderer"), "district": get("district"),
            "service": get("service"), "client": {"ref": get("client_ref"), "name": get("client_name")},
            "worker": get("worker"), "team": get("team"),
            "period": {"start": get("period_start"), "end": get("period_end")},
            "hours_per_month": _csv_number(get("hours_per_month")),
            "goals": _csv_goals(get("goals")), "activities": _csv_activities(get("activities"))}


def _csv_number(cell):
    """`4`, `4.5` or, as a Swedish spreadsheet writes it, `4,5`; anything else stays text."""
    if cell is None:
        return None
    try:
        number = float(cell.replace(",", "."))
    except ValueError:
        return cell
    return int(number) if number.is_integer() else number


def _csv_goals(cell):
    """`G1:housing:Text|G1.1::Subtext|G2:economy:Text`: a goal is REF:LIFE_AREA:TEXT, a
    subgoal REF::TEXT after its goal."""
    if cell is None:
        return []
    goals = []
    for part in filter(None, (piece.strip() for piece in cell.split("|"))):
        pieces = [piece.strip() for piece in part.split(":", 2)]
        if len(pieces) != 3:
            return Unparsed("goals: each item is REF:LIFE_AREA:TEXT, a subgoal REF::TEXT")
        ref, life_area, text = pieces
        if life_area:
            goals.append({"ref": ref, "life_area": life_area, "text": text, "subgoals": []})
        elif not goals:
            return Unparsed("goals: a subgoal (REF::TEXT) comes after its goal")
        else:
            goals[-1]["subgoals"].append({"ref": ref, "text": text})
    return goals


def _csv_activities(cell):
    """`A1:Tvätt|A2:Ekonomi: post och räkningar`: each activity REF:NAME."""
    if cell is None:
        return []
    activities = []
    for part in filter(None, (piece.strip() for piece in cell.split("|"))):
        ref, colon, name = part.partition(":")
        if not colon:
            return Unparsed("activities: each item is REF:NAME")
        activities.append({"ref": ref.strip(), "name": name.strip()})
    return activities
