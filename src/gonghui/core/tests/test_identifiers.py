import datetime as dt
import random

import pytest

from gonghui.core import idnumber, uscc


def test_valid_id_number_with_x_check_digit() -> None:
    parsed = idnumber.parse("11010519491231002x")  # GB 11643 example; lower-case x accepted
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.gender == "female"
    assert parsed.province == "北京市"


def test_fifteen_digit_number_is_converted_to_eighteen() -> None:
    parsed = idnumber.parse("440106850312123")
    assert parsed.number.startswith("44010619850312123")
    assert len(parsed.number) == 18
    assert idnumber.check_char(parsed.number[:17]) == parsed.number[17]
    assert parsed.gender == "male"


@pytest.mark.parametrize(("raw", "code"), [
    ("11010519491231002", "id_format"),
    ("1101051949123100AX", "id_format"),
    ("110105194912310021", "id_checksum"),
    ("990105194912310024", "id_region"),
    ("440106198502300000", "id_birthdate"),
])
def test_bad_id_numbers_have_codes_and_chinese_messages(raw: str, code: str) -> None:
    if code == "id_region" or code == "id_birthdate":
        raw = raw[:17] + idnumber.check_char(raw[:17])
    with pytest.raises(idnumber.IdNumberError) as err:
        idnumber.parse(raw)
    assert err.value.code == code
    assert "身份证" in err.value.message


def test_generated_numbers_are_valid_and_carry_birth_and_gender() -> None:
    rng = random.Random(1)
    for _ in range(200):
        birth = dt.date(rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28))
        gender = rng.choice(["male", "female"])
        parsed = idnumber.parse(idnumber.generate(rng, "440106", birth, gender))
        assert (parsed.birth_date, parsed.gender) == (birth, gender)


def test_age_on() -> None:
    assert idnumber.age_on(dt.date(2000, 6, 15), dt.date(2016, 6, 14)) == 15
    assert idnumber.age_on(dt.date(2000, 6, 15), dt.date(2016, 6, 15)) == 16


def test_uscc_check_character() -> None:
    code = "91440101MA5CXXXX"  # partial: complete it with a computed check character
    body = "91440106" + "MA5CY1B4" + uscc.org_code_check("MA5CY1B4")
    full = body + uscc.check_char(body)
    assert uscc.validate(full.lower()) == full
    wrong = full[:-1] + ("0" if full[-1] != "0" else "1")
    with pytest.raises(uscc.UsccError, match="校验位"):
        uscc.validate(wrong)
    with pytest.raises(uscc.UsccError, match="18位"):
        uscc.validate(code)
    with pytest.raises(uscc.UsccError, match="不允许的字符"):
        uscc.validate("91440106MA5CY1B4IO")


def test_known_real_format_uscc() -> None:
    # The check character of a published sample code (GB 32100 annex example).
    assert uscc.check_char("91350100M000100Y4") == "3"


def test_generated_uscc_are_valid() -> None:
    rng = random.Random(3)
    codes = {uscc.generate(rng, "440106") for _ in range(500)}
    assert len(codes) == 500
    assert all(uscc.validate(c) == c for c in codes)
