"""Nothing slow runs while a request holds the write lock: jieba's dictionary (about a second the
first time a process cuts words) is loaded before a submit or a review opens its transaction. On
SQLite the lock is taken at BEGIN IMMEDIATE, so a load inside it made every other writer of the site
wait (bench/sqlite_writers.py: a 17-second stall when the writers started)."""
import jieba
import pytest
from django.db import connection

from youthlink.appeals import services
from youthlink.appeals.models import Source, Status

from .builders import category, collected

pytestmark = pytest.mark.django_db


def _dictionary_state_at_each_transaction(run):
    """Whether the dictionary was loaded when each transaction or savepoint began, in a process
    whose dictionary is not loaded yet (as in a fresh web worker)."""
    states = []

    def record(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("BEGIN", "SAVEPOINT")):
            states.append(jieba.dt.initialized)
        return execute(sql, params, many, context)

    jieba.dt.initialized = False
    with connection.execute_wrapper(record):
        result = run()
    return result, states


def test_a_submit_cuts_its_words_before_the_write_transaction(world):
    appeal, states = _dictionary_state_at_each_transaction(lambda: services.appeal_submit(
        actor=world.home.youth_user, source=Source.SELF, category=category(), title="村口路灯坏了",
        body="村口的路灯坏了一个月，晚上回家很不安全，希望尽快修好"))
    assert appeal.status == Status.PENDING and "路灯" in appeal.search_tokens.split()
    assert states and all(states)


@pytest.mark.parametrize("decision", ["publish", "keep_private"])
def test_a_review_loads_the_dictionary_before_the_write_transaction(world, decision):
    appeal = collected(world)
    if decision == "publish":
        title, body = services.preview_public_text(appeal)
        run = lambda: services.appeal_publish(actor=world.home.secretary, appeal=appeal, public_title=title,  # noqa: E731
                                              public_body=body)
    else:
        run = lambda: services.appeal_keep_private(actor=world.home.secretary, appeal=appeal)  # noqa: E731
    reviewed, states = _dictionary_state_at_each_transaction(run)
    assert reviewed.status == Status.OPEN and reviewed.is_public == (decision == "publish")
    assert states and all(states)
