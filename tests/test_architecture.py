"""The layout's rules, as tests (docs/architecture.md, "What may import what").

The import graph is built by grimp (import-linter's engine) from the source, imports inside
functions included, so a cycle cannot hide in a function body. Layers, from the bottom:
`contract` (data) < `sync` (the engine) < the server's domain packages < the hosts that put
them together (`server.engine`, `server.api`, `server.cli`, `server.demo`, `create_app`).
"""

import re
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("contract", "sync", "server")
WEB = ("flask", "flask_smorest", "werkzeug", "webargs")
# Plain functions over the database: no web framework, no hosts, no engine internals.
DOMAIN = ("server.casework", "server.security", "server.supervision", "server.reminders",
          "server.webpush")
HOSTS = ("server.api", "server.cli", "server.demo", "server.engine", "server.db", "server.web",
         "server.serve")
# What writes the record index: only the engine's own modules.
INDEX_WRITE = re.compile(r"\b(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"
                         r"sync_records\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, include_external_packages=True, cache_dir=None)


def imports_of(graph, package: str) -> set[str]:
    """Everything the modules of `package` import directly (module names)."""
    modules = {package} | graph.find_descendants(package)
    return {imported for module in modules for imported in graph.find_modules_directly_imported_by(module)}


def within(name: str, packages) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def cycles(graph) -> list[tuple[str, ...]]:
    """One chain per module that can import itself back, shortest first."""
    found = []
    ours = sorted(m for m in graph.modules if within(m, PACKAGES))
    for module in ours:
        for imported in graph.find_modules_directly_imported_by(module):
            if within(imported, PACKAGES):
                back = graph.find_shortest_chain(importer=imported, imported=module)
                if back:
                    found.append((module, *back))
    return found


def test_no_module_of_the_project_imports_itself_back_through_a_cycle(graph):
    assert cycles(graph) == []


def test_a_cycle_hidden_in_a_function_body_is_found(graph):
    """The check above can fail: an import inside a function closes a cycle it reports."""
    graph.add_import(importer="sync.times", imported="sync.engine", line_number=1,
                     line_contents="from sync.engine import Engine")
    try:
        assert any(chain[0] == "sync.times" for chain in cycles(graph))
    finally:
        graph.remove_import(importer="sync.times", imported="sync.engine")


def test_the_sync_engine_imports_neither_a_web_framework_nor_the_server(graph):
    imported = imports_of(graph, "sync")
    assert {m for m in imported if within(m, ("server", *WEB))} == set()


def test_the_contract_is_data_that_imports_nothing_of_the_project(graph):
    assert {m for m in imports_of(graph, "contract") if within(m, PACKAGES)} <= {"contract"}


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_code_imports_no_web_framework_and_no_host(graph, package):
    imported = imports_of(graph, package)
    assert {m for m in imported if within(m, (*WEB, *HOSTS))} == set()


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_code_reports_its_changes_and_never_reaches_into_the_engine(graph, package):
    """Domain functions return `sync.changes.Change`s; the engine indexes them (hosts hand
    non-mutation changes to `Engine.record`). The engine's internals are not for them."""
    internals = ("sync.engine", "sync.index", "sync.push", "sync.pull", "sync.digest",
                 "sync.parked", "sync.judge", "sync.cursor")
    assert {m for m in imports_of(graph, package) if within(m, internals)} == set()


def test_no_module_outside_the_engine_imports_the_record_index(graph):
    importers = graph.find_modules_that_directly_import("sync.index")
    assert {m for m in importers if not within(m, ("sync",))} == set()


def test_no_code_outside_the_engine_writes_the_record_index():
    writers = []
    for folder in ("server", "tests", "contract"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if INDEX_WRITE.search(text) or "touch_record" in text:
                writers.append(str(path.relative_to(ROOT)))
    # This file names them in its pattern only; the pull benchmark seeds a million index rows
    # of records nobody it measures may see by bulk SQL (through the engine: an hour).
    assert [w for w in writers if w not in ("tests/test_architecture.py",
                                            "tests/bench/test_pull_bench.py")] == []


def test_only_the_engine_modules_write_sql_that_changes_the_record_index():
    """The pattern above matches what the engine itself does (so it can fail)."""
    writers = {path.name for path in (ROOT / "sync").glob("*.py")
               if INDEX_WRITE.search(path.read_text(encoding="utf-8"))}
    assert writers == {"index.py"}


def test_errors_become_http_answers_in_one_place():
    """Domain and sync code raise `Problem`; only `server/api/errors.py` turns an error into
    an answer (no `abort`, no error handler anywhere else)."""
    rendering = re.compile(r"\babort\(|errorhandler\(|register_error_handler\(")
    places = sorted(str(path.relative_to(ROOT)) for folder in ("server", "sync")
                    for path in (ROOT / folder).rglob("*.py")
                    if rendering.search(path.read_text(encoding="utf-8")))
    assert places == ["server/api/errors.py"]
