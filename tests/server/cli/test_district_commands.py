"""`faltstod district add NAME [--phone NUMBER]`, `district phone NAME NUMBER` / `--clear`,
`district list` (server/cli/districts.py): each district's number for reports of concern,
checked loosely (digits, spaces, +, -, parentheses; 3 to 30 characters), a mistake answered
with one clear line. The demo's numbers, and every number here but 112, are from the range
PTS keeps for fiction (08-465 004 00 to 99)."""

import re

import pytest

from server.demo.catalogue import DISTRICT_PHONES, ORDERING_DISTRICTS
from tests.server.cli import test_cli

# The world of test_cli.py: a data directory, the CLI run with a fixed clock, its database.
env, run, cli_db = test_cli.env, test_cli.run, test_cli.cli_db
assert_clean_error = test_cli.assert_clean_error

NUMBERS = ["08-465 004 50", "+46 8 465 004 51", "(08) 465 004 52", "112"]
NOT_NUMBERS = ["ring växeln", "08-465 004 50 ankn 12", "12", "1-2", "+() -", "0" * 31, ""]


def listed(run) -> list[str]:
    result = run("district", "list")
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.mark.parametrize("number", NUMBERS)
def test_a_district_is_added_with_its_number_and_listed_with_it(run, cli_db, number):
    result = run("district", "add", "Farsta", "--phone", f" {number} ")

    assert result.exit_code == 0, result.output
    assert number in result.output
    assert listed(run) == [f"Farsta\t{number}"]


def test_a_number_is_set_changed_and_cleared_and_the_list_shows_each_in_swedish_order(run, cli_db):
    for name in ("Östermalm", "Farsta", "Älvsjö", "Bromma"):
        assert run("district", "add", name).exit_code == 0
    assert listed(run) == ["Bromma", "Farsta", "Älvsjö", "Östermalm"]

    assert run("district", "phone", "Farsta", "08-465 004 60").exit_code == 0
    assert run("district", "phone", "Älvsjö", "08-465 004 61").exit_code == 0
    assert run("district", "phone", "Farsta", "08-465 004 62").exit_code == 0
    assert listed(run) == ["Bromma", "Farsta\t08-465 004 62", "Älvsjö\t08-465 004 61", "Östermalm"]

    cleared = run("district", "phone", "Farsta", "--clear")
    assert cleared.exit_code == 0 and "no number" in cleared.output
    assert listed(run) == ["Bromma", "Farsta", "Älvsjö\t08-465 004 61", "Östermalm"]


@pytest.mark.parametrize("number", NOT_NUMBERS)
def test_what_is_not_a_phone_number_is_refused_with_one_clear_line(run, cli_db, number):
    assert run("district", "add", "Farsta").exit_code == 0

    assert_clean_error(run("district", "phone", "Farsta", number), "is not a phone number")
    assert_clean_error(run("district", "add", "Bromma", "--phone", number), "is not a phone number")
    assert listed(run) == ["Farsta"]


def test_the_number_of_a_district_the_instance_does_not_know_is_refused(run, cli_db):
    assert_clean_error(run("district", "phone", "Atlantis", "08-465 004 50"), "no district 'Atlantis'")


def test_a_number_and_clear_together_or_neither_is_a_usage_error(run, cli_db):
    assert run("district", "add", "Farsta").exit_code == 0
    for args in (("Farsta",), ("Farsta", "08-465 004 50", "--clear")):
        result = run("district", "phone", *args)
        assert result.exit_code == 2 and "NUMBER or --clear" in result.output
    assert listed(run) == ["Farsta"]


def test_the_demos_districts_have_numbers_from_the_range_pts_keeps_for_fiction(run, cli_db):
    fiction = re.compile(r"^08-465 004 [0-9]{2}$")
    assert sorted(DISTRICT_PHONES) == sorted(ORDERING_DISTRICTS)
    assert all(fiction.match(number) for number in DISTRICT_PHONES.values())
    assert len(set(DISTRICT_PHONES.values())) == len(DISTRICT_PHONES)
    # An operator's own number is kept; a district known without one is given the demo's.
    assert run("district", "add", "Farsta", "--phone", "08-465 004 60").exit_code == 0
    assert run("district", "add", "Bromma").exit_code == 0

    assert run("seed-demo").exit_code == 0

    numbers = dict(line.split("\t") for line in listed(run))
    assert sorted(numbers) == sorted(ORDERING_DISTRICTS)
    assert numbers["Farsta"] == "08-465 004 60"
    assert numbers["Bromma"] == DISTRICT_PHONES["Bromma"]
    assert all(fiction.match(n) for n in numbers.values())
