"""ID numbers (GB 11643, ISO 7064 MOD 11-2), phones and names: validation and masks."""

from datetime import date

import pytest

from services.grid.usecases.personal_data import (
    InvalidIdNumber,
    iso7064_mod11_2,
    mask_id_number,
    mask_name,
    mask_phone,
    validate_id_number,
    validate_phone,
)

VALID = "11010519491231002X"  # the standard's own example


def with_check(first17: str) -> str:
    return first17 + iso7064_mod11_2(first17)


def test_the_standard_example_is_valid():
    assert validate_id_number(VALID) == VALID


def test_a_lower_case_x_is_accepted_and_normalized():
    assert validate_id_number(VALID.lower()) == VALID


def test_check_characters_computed_by_mod_11_2():
    assert iso7064_mod11_2("11010519491231002") == "X"
    assert iso7064_mod11_2("44030519900101123") == "X"
    assert validate_id_number(with_check("44030519900101123")) == "44030519900101123X"
    assert validate_id_number(with_check("44030519851230456")).startswith("4403")


def test_a_wrong_check_character_is_refused():
    wrong = VALID[:-1] + "1"
    with pytest.raises(InvalidIdNumber, match="check character"):
        validate_id_number(wrong)


@pytest.mark.parametrize("birth", ["19990230", "20011301", "19990431", "19000000"])
def test_an_impossible_date_of_birth_is_refused(birth):
    number = with_check("440305" + birth + "123")
    with pytest.raises(InvalidIdNumber, match="not a real date"):
        validate_id_number(number)


def test_a_future_birth_date_is_refused():
    number = with_check("440305" + "20300101" + "123")
    with pytest.raises(InvalidIdNumber, match="out of range"):
        validate_id_number(number, today=date(2026, 11, 26))


@pytest.mark.parametrize("value", ["", "4403051990010112", "4403051990010112345", VALID[:15]])
def test_a_wrong_length_is_refused(value):
    with pytest.raises(InvalidIdNumber, match="18 characters"):
        validate_id_number(value)


@pytest.mark.parametrize("value", ["44030519900101123A", "4403051990O1011234", "X40305199001011234"])
def test_letters_other_than_a_final_x_are_refused(value):
    with pytest.raises(InvalidIdNumber, match="17 digits"):
        validate_id_number(value)


def test_an_unknown_province_code_is_refused():
    with pytest.raises(InvalidIdNumber, match="province"):
        validate_id_number(with_check("99030519900101123"))


def test_error_messages_never_repeat_the_number():
    for bad in (VALID[:-1] + "1", with_check("44030519990230123"), VALID[:17]):
        with pytest.raises(InvalidIdNumber) as refused:
            validate_id_number(bad)
        assert bad[:10] not in str(refused.value)


def test_id_numbers_are_masked_to_the_area_prefix_and_last_four():
    assert mask_id_number("44030519900101123X") == "4403**********123X"
    assert len(mask_id_number(VALID)) == 18


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0755-26881234", "0755-26881234"),
        ("075526881234", "075526881234"),
    ],
)
def test_mainland_phones_are_accepted(raw, normalized):
    assert validate_phone(raw) == normalized


@pytest.mark.parametrize("raw", ["12345", "23812345678", "1381234567", "phone"])
def test_other_phones_are_refused(raw):
    with pytest.raises(ValueError):
        validate_phone(raw)


def test_phones_and_names_are_masked():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0755-26881234") == "075*****1234"
    assert mask_name("张伟明") == "张**"
    assert mask_name("李") == "李*"
