"""The deploy files as data: a systemd unit's sections and keys (a key may come back: its
values in order), with the paths of the machine they are written for."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Where deploy/README.md installs the code and its virtualenv.
INSTALLED = "/srv/faltstod"


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """systemd's unit syntax: `[Section]`, `Key=value`, `#`/`;` comments, a trailing `\\`
    continues a line. A line that is none of these is an error (systemd would ignore it)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    pending = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        if current is None or "=" not in line:
            raise ValueError(f"line {number}: not a [Section] nor a Key=value: {raw!r}")
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    return parse_unit((DEPLOY / name).read_text(encoding="utf-8"))


def exec_start(name: str) -> str:
    (command,) = unit(name)["Service"]["ExecStart"]
    return command
