"""The legacy-encoding guess is linear in the text (reliability review "Resources": a valid 6 MB file with
510 cells of 32,767 unaccented characters took 137 s of CPU in `dvk validate`)."""

from __future__ import annotations

import random
import time

from hypothesis import given
from hypothesis import strategies as st

from workbook.legacy_text import _TCVN3_TELLTALE_RE, _UNICODE_ONLY, _VNI_SINGLE_TELLTALE, _VNI_TELLTALE, looks_legacy


def _reference(text: str) -> bool:
    """The rule as documented, checked position by position against every telltale (slow, obviously right)."""
    if any(ch in _UNICODE_ONLY for ch in text):
        return False
    if _TCVN3_TELLTALE_RE.search(text):
        return True
    for i, ch in enumerate(text):
        near = (i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha())
        if ch in _VNI_SINGLE_TELLTALE and near:
            return True
        if any(text.startswith(spelling, i) for spelling in _VNI_TELLTALE):
            return True
    return False


_ALPHABET = "aeiouyAEIOUYdDnNcC ,.-" + "".join(sorted({c for s in _VNI_TELLTALE for c in s})) + "µ¸®ÖñöơạĐ"


@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_the_fast_guess_agrees_with_the_rule(text: str) -> None:
    assert looks_legacy(text) == _reference(text)


def test_megabytes_of_unaccented_text_take_well_under_a_second_per_megabyte() -> None:
    rng = random.Random(1)
    words = ["".join(rng.choice("abcdeghiklmnopqrstuvxy") for _ in range(rng.randint(2, 7))) for _ in range(6000)]
    cell = " ".join(words)[:32767]
    text = cell * 128  # 4 MB: the quadratic guess took about 35 s of CPU
    start = time.process_time()
    assert not looks_legacy(text)
    assert time.process_time() - start < 5
