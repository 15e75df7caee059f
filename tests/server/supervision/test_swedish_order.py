"""Swedish alphabetical order (`server/supervision/swedish.py`): case-insensitive, å ä ö
after z in that order, other letters by their base letter."""

from hypothesis import given
from hypothesis import strategies as st

from server.supervision.swedish import swedish_key

SWEDISH_LETTERS = "abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖéÉüÜ -"


def in_order(*names) -> list[str]:
    return sorted(names, key=swedish_key)


def test_a_a_and_o_with_rings_and_dots_come_after_z_in_the_order_a_ring_a_dots_o_dots():
    assert in_order("Östen", "Åsa", "Zlatan", "Älva", "Anna") == ["Anna", "Zlatan", "Åsa", "Älva", "Östen"]
    # Unicode's code points would put Ä (U+00C4) before Å (U+00C5).
    assert sorted(["Åsa", "Älva"]) == ["Älva", "Åsa"]


def test_case_does_not_matter():
    assert in_order("åke", "Olle", "bertil", "Anna") == ["Anna", "bertil", "Olle", "åke"]
    assert swedish_key("ÅSA LIND") == swedish_key("åsa lind")


def test_other_accented_letters_sort_as_their_base_letter():
    assert in_order("Erik", "Emma", "Émile", "Ebba") == ["Ebba", "Émile", "Emma", "Erik"]
    assert swedish_key("Müller") == swedish_key("Muller")
    assert in_order("Mustafa", "Müller", "Mutt") == ["Müller", "Mustafa", "Mutt"]


def test_danish_and_norwegian_letters_sort_with_their_swedish_twins():
    assert swedish_key("Søren") == swedish_key("Sören")
    assert swedish_key("Ærø") == swedish_key("Ärö")


def test_a_decomposed_a_with_ring_is_the_same_letter_as_a_composed_one():
    assert swedish_key("A\u030asa") == swedish_key("Åsa")


def test_a_shorter_name_comes_before_a_longer_one_that_starts_with_it_and_none_is_empty():
    assert in_order("Anna Berg", "Anna", "") == ["", "Anna", "Anna Berg"]
    assert swedish_key(None) == swedish_key("")


@given(st.text(alphabet=SWEDISH_LETTERS, max_size=12))
def test_the_order_ignores_case_for_every_name(name):
    assert swedish_key(name.upper()) == swedish_key(name.lower())


@given(st.lists(st.text(alphabet=SWEDISH_LETTERS, max_size=8), max_size=8))
def test_sorting_twice_gives_the_same_order(names):
    once = sorted(names, key=swedish_key)
    assert sorted(once, key=swedish_key) == once
