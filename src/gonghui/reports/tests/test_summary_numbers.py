"""The rendering layer on a table of cases: qualifiers, 万 scaling, rates, 同比, completion wording."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gonghui.reports.summary.numbers import (
    CompletionStatus,
    Qualifier,
    completion_phrase,
    number_in_chinese,
    overall_completion,
    plain,
    render,
    yoy_change,
    yoy_phrase,
)

EX, OV, NE, AP, AL = Qualifier.EXACT, Qualifier.OVER, Qualifier.NEARLY, Qualifier.APPROX, Qualifier.AT_LEAST

CASES = [
    # value, unit, request, unit_text, printed, qualifier
    # exact: the record value as is
    (12, "家", "", "", "12家", EX),
    (1234, "人", "", "", "1234人", EX),
    (0, "人", "", "", "0人", EX),
    (1234, "人次", "", "", "1234人次", EX),
    (35, "人", "", "名", "35名", EX),
    # counts under 10 never take a qualifier
    (7, "人", "余", "", "7人", EX),
    (9, "家", "近", "", "9家", EX),
    (8, "家", "以上", "", "8家", EX),
    (6, "人", "约", "", "6人", EX),
    # 余 / 多: down to two significant figures, only above a round figure
    (1234, "人", "余", "", "1200余人", OV),
    (1200, "人", "余", "", "1200人", EX),
    (56, "人", "余", "", "56人", EX),
    (567, "人次", "余", "", "560余人次", OV),
    (1234, "人次", "多", "", "1200多人次", OV),
    (Decimal("56780.00"), "元", "余", "", "5.6万余元", OV),
    (Decimal("1234500.00"), "元", "余", "", "120余万元", OV),
    (Decimal("1234500.00"), "万元", "多", "", "120多万元", OV),
    (Decimal("50500.00"), "元", "余", "", "5万余元", OV),
    (Decimal("5678.00"), "元", "余", "", "5600余元", OV),
    (34567, "份", "多", "", "34000多份", OV),
    (126345, "人", "余", "", "12万余人", OV),
    (313456, "份", "多", "", "31万多份", OV),
    # 近: up to one significant figure (two when one is too coarse), only from 90 %
    (9620, "人", "近", "", "近万人", NE),
    (46, "人", "近", "", "近50人", NE),
    (1234, "人", "近", "", "近1300人", NE),
    (1100, "人", "近", "", "1100人", EX),
    (1150, "人", "近", "", "近1200人", NE),
    (15, "人", "近", "", "15人", EX),
    (96200, "人", "近", "", "近10万人", NE),
    (Decimal("9620.00"), "元", "近", "", "近万元", NE),
    (Decimal("2870000.00"), "元", "近", "", "近300万元", NE),
    # 约: nearest two significant figures
    (1234, "人", "约", "", "约1200人", AP),
    (1250, "人", "约", "", "约1300人", AP),
    (1200, "人", "约", "", "1200人", EX),
    (126345, "人", "约", "", "约13万人", AP),
    # 以上: a floor
    (23, "家", "以上", "", "20家以上", AL),
    (1234, "家", "以上", "", "1200家以上", AL),
    (20, "家", "以上", "", "20家", EX),
    (Decimal("1234500.00"), "元", "以上", "", "120万元以上", AL),
    # 万 scaling of amounts: from 1万元 in 万元 with at most two decimals
    (Decimal("3500000.00"), "元", "", "", "350万元", EX),
    (Decimal("123600.00"), "元", "", "", "12.36万元", EX),
    (Decimal("10000.00"), "元", "", "", "1万元", EX),
    (Decimal("9999.50"), "元", "", "", "9999.5元", EX),
    (Decimal("123456.78"), "元", "", "", "约12.35万元", AP),
    (Decimal("800.00"), "元", "", "", "800元", EX),
    # persons from 10万 may go to 万人 with one decimal (only when that is exact)
    (126000, "人", "", "", "12.6万人", EX),
    (126345, "人", "", "", "126345人", EX),
    (99000, "人", "", "", "99000人", EX),
    # rates: one decimal at most; 以上 truncates to a whole percent
    (Decimal("96.7"), "%", "", "", "96.7%", EX),
    (Decimal("96.7"), "%", "以上", "", "96%以上", AL),
    (Decimal("96.0"), "%", "以上", "", "96%", EX),
    (Decimal("100.0"), "%", "", "", "100%", EX),
    (Decimal("33.33"), "%", "", "", "约33.3%", AP),
    (Decimal("33.3"), "%", "约", "", "约33%", AP),
    (Decimal("33.3"), "%", "余", "", "33.3%", EX),
]


@pytest.mark.parametrize(("value", "unit", "request_", "unit_text", "printed", "qualifier"), CASES,
                         ids=[f"{c[0]}{c[1]}{c[2] or '='}" for c in CASES])
def test_render(value, unit, request_, unit_text, printed, qualifier) -> None:
    result = render(value, unit, request_, unit_text=unit_text)
    assert (result.text, result.qualifier) == (printed, qualifier)


def test_one_qualifier_only() -> None:
    for value in (1234, 9620, 126345, 567, 46, 23):
        for request in ("余", "多", "近", "约", "以上"):
            text = render(value, "人", request).text
            words = sum(text.count(w) for w in ("余", "多", "近", "约", "以上"))
            assert words <= 1, text


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        render(5, "人", "大约")
    with pytest.raises(ValueError):
        render(-1, "人")


@pytest.mark.parametrize(("current", "previous", "phrase"), [
    (12, 10, "同比增长20%"),
    (9, 12, "同比下降25%"),
    (10, 10, "与上年持平"),
    (10001, 10000, "与上年基本持平"),
    (1001, 1000, "同比增长0.1%"),
    (100001, 100000, "与上年基本持平"),
    (7, 3, "同比增长133.3%"),
    (5, 0, None),  # no base: not generated
    (5, None, None),  # previous year not from records
    (Decimal("123456.78"), Decimal("100000.00"), "同比增长23.5%"),
])
def test_yoy(current, previous, phrase) -> None:
    assert yoy_phrase(current, previous) == phrase


def test_yoy_change_value() -> None:
    assert yoy_change(12, 10) == Decimal("20.0")
    assert yoy_change(1, 3) == Decimal("-66.7")


@pytest.mark.parametrize(("rate", "threshold", "status", "text"), [
    (Decimal("125.0"), None, CompletionStatus.EXCEEDED, "超额完成全年任务，完成率125%"),
    (Decimal("100.4"), None, CompletionStatus.EXCEEDED, "超额完成全年任务，完成率100.4%"),
    (Decimal("100.0"), None, CompletionStatus.COMPLETED, "完成全年任务"),
    (Decimal("92.5"), 90, CompletionStatus.LARGELY_COMPLETED, "基本完成全年任务，完成率92.5%"),
    (Decimal("92.5"), None, CompletionStatus.NOT_COMPLETED, "完成全年任务的92.5%"),  # no threshold: the rate
    (Decimal("85.0"), 90, CompletionStatus.NOT_COMPLETED, "完成全年任务的85%"),
])
def test_completion(rate, threshold, status, text) -> None:
    assert completion_phrase(rate, threshold) == (status, text)


def test_overall_completion() -> None:
    assert overall_completion([100, Decimal("130.5")]) == "全面完成上级下达的各项目标任务"
    assert overall_completion([100, Decimal("99.9")]) is None
    assert overall_completion([]) is None


def test_plain_and_chinese_numbers() -> None:
    assert plain(Decimal("12.50")) == "12.5"
    assert plain(Decimal("1E+1")) == "10"
    assert plain(3) == "3"
    assert [number_in_chinese(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
