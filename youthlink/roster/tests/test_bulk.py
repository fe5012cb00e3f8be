"""The lean bulk INSERT the import uses must store exactly what the ORM would."""
import datetime as dt

import pytest

from youthlink.people.models import PersonTag, YoungPerson
from youthlink.people.services import id_hash, mobile_hash
from youthlink.roster.bulk import BulkInserter, chunks

pytestmark = pytest.mark.django_db
COLUMNS = ("name", "gender", "birth_date", "home_node_id", "mobile", "mobile_hash", "id_number", "id_hash",
           "health_notes")


@pytest.mark.parametrize("count, largest, sizes", [
    (0, 1024, []), (1, 1024, [1]), (2500, 1024, [1024, 1024, 256, 128, 64, 4]), (7, 3, [2, 2, 2, 1]),
    (1000, 2184, [512, 256, 128, 64, 32, 8])])
def test_chunks_use_few_distinct_sizes(count, largest, sizes):
    pieces = list(chunks(list(range(count)), largest))
    assert [len(p) for p in pieces] == sizes
    assert [x for p in pieces for x in p] == list(range(count))


def test_rows_read_back_through_the_orm_as_given_with_defaults_for_the_rest(world):
    number = "33032920010304123X"
    rows = [("甲", "M", dt.date(2001, 3, 4), world.home.village.pk, "13812345678", mobile_hash("13812345678"),
             number, id_hash(number), "哮喘"),
            ("乙", "U", None, world.home.village.pk, "", None, "", None, "")]
    ids = BulkInserter(YoungPerson, COLUMNS).insert(rows)
    assert len(ids) == 2 and ids[1] == ids[0] + 1
    first, second = YoungPerson.objects.get(pk=ids[0]), YoungPerson.objects.get(pk=ids[1])
    assert (first.name, first.gender, first.birth_date, first.home_node, first.mobile, first.id_number,
            first.health_notes, first.hardship_notes, first.search_keys, first.user) == (
        "甲", "M", dt.date(2001, 3, 4), world.home.village, "13812345678", number, "哮喘", "", "", None)
    assert YoungPerson.objects.filter(mobile_hash=mobile_hash("13812345678"), id_hash=id_hash(number)).get() == first
    assert (second.mobile, second.mobile_hash, second.id_hash, second.birth_date) == ("", None, None, None)
    assert first.created_at == first.updated_at and first.created_at is not None
    tag_ids = BulkInserter(PersonTag, ("person_id", "tag", "sector")).insert([(ids[0], "federation", "science")])
    assert list(PersonTag.objects.filter(pk__in=tag_ids).values_list("person_id", "tag", "sector")) == [
        (ids[0], "federation", "science")]


def test_more_rows_than_one_statement_holds(world):
    inserter = BulkInserter(PersonTag, ("person_id", "tag", "sector"))
    inserter.rows_per_statement = 4
    person = world.home.youth  # no tags yet
    tags = ["hardship", "key", "entrepreneur", "rural", "student", "league_member", "mentor"]
    ids = inserter.insert([(person.pk, tag, "") for tag in tags])
    assert list(PersonTag.objects.filter(pk__in=ids).order_by("pk").values_list("tag", flat=True)) == tags


def test_an_unknown_column_is_a_programming_error():
    with pytest.raises(ValueError):
        BulkInserter(PersonTag, ("person_id", "colour"))
