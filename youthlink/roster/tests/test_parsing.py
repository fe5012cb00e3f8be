"""Rows as people type them: each value normalised, each problem named with its column, cell and a
Chinese reason. Pure functions: no database."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from youthlink.roster.columns import find_layout, normalize_header
from youthlink.roster.parsing import parse_row

from .xlsx import HEADER, SYNONYM_HEADER, person_id, row

TODAY = dt.date(2026, 11, 23)
LAYOUT = find_layout(iter([HEADER]))
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def parse(values, row_number=2):
    return parse_row(tuple(values), LAYOUT, row_number, TODAY)


def problems(values, row_number=2):
    person, errors = parse(values, row_number)
    assert person is None
    return errors.items


# --- headers --------------------------------------------------------------------------------------

def test_header_synonyms_and_decorations_name_the_template_columns():
    layout = find_layout(iter([["序号", "* 姓名", "联系电话（必填）", "公民身份号码", "人员类别", "备注"]]))
    assert layout.header_row == 1
    assert layout.positions == {"name": 1, "mobile": 2, "id_number": 3, "tags": 4}
    assert normalize_header(" 身份证号码（18位） ") == "身份证号码"


def test_header_below_a_title_row_is_found():
    layout = find_layout(iter([["泰顺县团员青年名册（2026年）"], [], SYNONYM_HEADER]))
    assert layout.header_row == 3
    assert layout.positions["id_number"] == 4


def test_sheet_without_a_name_column_is_refused():
    with pytest.raises(ValidationError) as exc:
        find_layout(iter([["序号", "手机号"], ["1", "13800138000"]]))
    assert exc.value.messages == ["没有找到“姓名”列：请使用名册模板，表头需在前10行内"]


def test_the_same_column_twice_in_the_header_is_refused():
    with pytest.raises(ValidationError) as exc:
        find_layout(iter([["姓名", "手机号", "联系电话"]]))
    assert exc.value.messages == ["表头“手机号”出现了两次（B列和C列），请只保留一列"]


# --- values as people type them ---------------------------------------------------------------------

def test_full_width_digits_spaces_and_lowercase_x_are_normalised():
    number = person_id(2001, 3, 4, serial=12)
    x_number = next(n for n in (person_id(2002, 5, 6, serial=s) for s in range(1, 400)) if n.endswith("X"))
    spaced = f" {number[:6]} {number[6:]} ".translate(FULL_WIDTH)
    person, errors = parse(row("张 三", mobile="１３８ ００１３ ８０００", id_number=spaced))
    assert errors is None
    assert (person.name, person.mobile, person.id_number) == ("张三", "13800138000", number)
    person, errors = parse(row("李四", id_number=x_number.lower()))
    assert errors is None and person.id_number == x_number


@pytest.mark.parametrize("typed", ["+86-138-0013-8000", "+86 13800138000", "8613800138000", "0086 138 0013 8000",
                                   13800138000, 13800138000.0, "138-0013-8000"])
def test_mobiles_are_normalised_however_typed(typed):
    person, errors = parse(row(mobile=typed))
    assert errors is None
    assert person.mobile == "13800138000"


@pytest.mark.parametrize("typed", [dt.datetime(2001, 3, 4), dt.date(2001, 3, 4), "2001-03-04", "2001/3/4", "2001.3.4",
                                   "2001年3月4日", "20010304", 20010304, 36954])
def test_birth_dates_are_read_in_every_usual_spelling(typed):
    person, errors = parse(row(mobile="13800138000", birth=typed))
    assert errors is None
    assert person.birth_date == dt.date(2001, 3, 4)


def test_birth_date_and_gender_come_from_the_id_number():
    person, errors = parse(row(id_number=person_id(2009, 7, 1, serial=3, male=False)))
    assert errors is None
    assert (person.birth_date, person.gender) == (dt.date(2009, 7, 1), "F")


def test_gender_words_are_read():
    assert parse(row(mobile="13800138000", gender="男性"))[0].gender == "M"
    assert parse(row(mobile="13800138000", gender="女"))[0].gender == "F"
    assert parse(row(mobile="13800138000"))[0].gender == "U"


def test_tags_with_chinese_separators_and_a_federation_sector():
    person, errors = parse(row(mobile="13800138000", tags="困难青少年、团员，学生;青联委员（农业界）"))
    assert errors is None
    assert person.tags == [("hardship", ""), ("league_member", ""), ("student", ""), ("federation", "agriculture")]
    person, errors = parse(row(mobile="13800138000", tags="青联委员 本土能人", sector="科学技术界"))
    assert errors is None
    assert person.tags == [("federation", "science"), ("local_talent", "")]


def test_notes_are_kept_as_typed():
    person, errors = parse(row(mobile="13800138000", health="先天性心脏病，术后恢复中", hardship=" 低保户 "))
    assert errors is None
    assert (person.health_notes, person.hardship_notes) == ("先天性心脏病，术后恢复中", "低保户")


def test_a_child_under_14_on_a_roster_is_accepted_with_its_tags():
    person, errors = parse(row("小明", id_number=person_id(2018, 1, 2, serial=5), tags="困难青少年"))
    assert errors is None
    assert person.birth_date == dt.date(2018, 1, 2)
    assert person.tags == [("hardship", "")]


# --- every bad value named with its column, cell and reason ------------------------------------------

def test_missing_name():
    assert problems(row(None, mobile="13800138000"), 7) == [{"column": "姓名", "cell": "A7", "message": "请填写姓名"}]


def test_wrong_check_digit():
    number = person_id(serial=21)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert problems(row(id_number=wrong), 5) == [{"column": "身份证号", "cell": "E5", "message": "身份证号码校验位不正确"}]


def test_impossible_date_in_the_id_number():
    from youthlink.core.identity import id_check_digit
    first17 = "33032920010230123"
    assert problems(row(id_number=first17 + id_check_digit(first17))) == [
        {"column": "身份证号", "cell": "E2", "message": "身份证号码中的出生日期不存在"}]


def test_impossible_birth_date():
    assert problems(row(mobile="13800138000", birth="2001-02-30")) == [
        {"column": "出生日期", "cell": "C2", "message": "出生日期不存在（2001-02-30）"}]


def test_future_birth_date():
    assert problems(row(mobile="13800138000", birth="2027-01-01")) == [
        {"column": "出生日期", "cell": "C2", "message": "出生日期不能晚于今天"}]


def test_ten_digit_mobile():
    assert problems(row(mobile="1380013800")) == [
        {"column": "手机号", "cell": "D2", "message": "手机号码应为11位，以1开头"}]


def test_birth_date_that_contradicts_the_id_number():
    assert problems(row(birth="2001-03-05", id_number=person_id(2001, 3, 4, serial=8))) == [
        {"column": "出生日期", "cell": "C2", "message": "出生日期与身份证号码不一致（身份证号码中为2001-03-04）"}]


def test_gender_that_contradicts_the_id_number():
    assert problems(row(gender="女", id_number=person_id(serial=9, male=True))) == [
        {"column": "性别", "cell": "B2", "message": "性别与身份证号码不一致"}]


def test_unknown_gender_word():
    assert problems(row(mobile="13800138000", gender="未知")) == [
        {"column": "性别", "cell": "B2", "message": "性别应填“男”或“女”"}]


def test_id_number_that_excel_stored_as_a_number():
    assert problems(row(id_number=3.30329200103041e17)) == [
        {"column": "身份证号", "cell": "E2",
         "message": "身份证号码被Excel存成了数字，末几位已丢失：请把此列设为“文本”格式后重新填写"}]


def test_neither_id_number_nor_mobile():
    assert problems(row("王五")) == [
        {"column": "身份证号", "cell": "E2", "message": "身份证号码和手机号至少填写一项（用于识别是否已建档，避免重复）"}]


def test_unknown_tag():
    assert problems(row(mobile="13800138000", tags="团员、优秀青年")) == [
        {"column": "标签", "cell": "F2",
         "message": "未知标签“优秀青年”（可填：困难青少年、重点青少年、创业青年、农村/务农青年、学生、团员、青联委员、青企协会员、创业导师、本土能人）"}]


def test_sector_without_the_federation_tag():
    assert problems(row(mobile="13800138000", tags="团员", sector="农业界")) == [
        {"column": "界别", "cell": "G2", "message": "界别只用于青联委员：请在标签中加上“青联委员”，或清空界别"}]


def test_unknown_sector_and_sector_on_another_tag():
    assert problems(row(mobile="13800138000", tags="青联委员（航天界）、团员（农业界）")) == [
        {"column": "标签", "cell": "F2", "message": "未知界别“航天界”"},
        {"column": "标签", "cell": "F2", "message": "只有青联委员可以注明界别：“团员（农业界）”"}]


def test_every_problem_of_a_row_is_reported_at_once():
    assert problems(row(None, gender="x", mobile="123", tags="优秀青年"), 9) == [
        {"column": "姓名", "cell": "A9", "message": "请填写姓名"},
        {"column": "性别", "cell": "B9", "message": "性别应填“男”或“女”"},
        {"column": "手机号", "cell": "D9", "message": "手机号码应为11位，以1开头"},
        {"column": "标签", "cell": "F9",
         "message": "未知标签“优秀青年”（可填：困难青少年、重点青少年、创业青年、农村/务农青年、学生、团员、青联委员、青企协会员、创业导师、本土能人）"}]


def test_problem_in_a_column_the_sheet_lacks_has_no_cell():
    layout = find_layout(iter([["姓名", "手机号"]]))
    person, errors = parse_row(("赵六", None), layout, 4, TODAY)
    assert errors.items == [{"column": "身份证号", "cell": "",
                             "message": "身份证号码和手机号至少填写一项（用于识别是否已建档，避免重复）"}]
