"""The services every entry point uses, on a real SQLite file: policy, storage, audit."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from sqlalchemy import select

from spinecare import bootstrap, services, settings
from spinecare.storage import repository
from spinecare.storage.models import AuditEvent
from tests.support.requests import callback_fields
from tests.support.requests import mri_review_fields as mri_fields


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'services.db'}"


@pytest.fixture
def conf(url):
    return dataclasses.replace(settings.load(), database_url=url, outbox_kinds=("email", "webhook"))


def test_a_serving_process_migrates_a_new_database_and_stores_once_per_key(url, conf):
    first = services.submit_mri_review(conf, mri_fields(), "conv-mri:key-1")
    again = services.submit_mri_review(conf, mri_fields(), "conv-mri:key-1")
    assert first == again
    callback = services.submit_callback(conf, callback_fields(), "conv-cb:key-1")
    assert callback != first
    with bootstrap.sessions(url)() as session:
        stored = repository.get_request(session, first)
        assert (stored.first_name, stored.request_type) == ("Zebediah", "mri_review")
        assert repository.get_request(session, callback).patient_notes == (
            "Numb toes since the weekend."
        )


def test_an_operator_tool_refuses_a_database_that_is_not_current(tmp_path):
    empty = f"sqlite:///{tmp_path / 'never-upgraded.db'}"
    with pytest.raises(bootstrap.SchemaNotCurrent, match="spinecare db upgrade"):
        bootstrap.sessions(empty, migrate=False)


def test_one_engine_per_database_per_process(url):
    assert bootstrap.sessions(url) is bootstrap.sessions(url)


def test_the_notifications_queued_are_the_settings_outbox_kinds(url, conf):
    webhook_only = dataclasses.replace(conf, outbox_kinds=("webhook",))
    mri = services.submit_mri_review(webhook_only, mri_fields(), "conv-mri:webhook")
    silent = dataclasses.replace(conf, outbox_kinds=())
    callback = services.submit_callback(silent, callback_fields(), "conv-cb:none")
    with bootstrap.sessions(url)() as session:
        assert [job.kind for job in repository.outbox_jobs(session, mri)] == ["webhook"]
        assert repository.outbox_jobs(session, callback) == []


def test_refused_fields_store_nothing(url, conf):
    with pytest.raises(repository.InvalidSubmission):
        services.submit_mri_review(conf, mri_fields(phone="not a phone"), "conv-mri:bad")
    with bootstrap.sessions(url)() as session:
        assert services.export(session, "olga", file_format="csv", destination="test") == []


def test_mark_delete_and_export_are_audited_and_logged_without_patient_data(url, conf, caplog):
    reference = services.submit_mri_review(conf, mri_fields(), "conv-mri:key-2")
    caplog.set_level(logging.INFO)
    with bootstrap.sessions(url)() as session:
        assert services.mark(session, reference, "contacted", "olga", via="cli").status == (
            "contacted"
        )
        rows = services.export(session, "olga", file_format="json", destination="stdout")
        assert [row["reference"] for row in rows] == [reference]
        services.delete(session, reference, "olga", via="console")
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert {"mark", "export", "delete"} <= {action.split("_")[0] for action in actions}, actions
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert '"event": "request.marked"' in logged and '"event": "request.deleted"' in logged
    assert "Zebediah" not in logged and "2125550182" not in logged
