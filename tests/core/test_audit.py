"""core.audit: history rows made readable, from django-simple-history's own diff."""

from clients.models import Client
from core.audit import audit_rows


def rows_of(client_record):
    return audit_rows([("Client record", list(Client.history.filter(id=client_record.pk)))])


def test_a_change_lists_each_changed_field_in_the_history_s_field_order(client_record, colleague):
    old_specialist = client_record.specialist_id
    client_record.email = ""
    client_record.first_name = "Bea"
    client_record.goals = "x" * 80
    client_record.specialist = colleague
    client_record.save()
    changed, created = rows_of(client_record)
    assert (created.kind, created.changes) == ("created", ())
    assert changed.kind == "changed"
    assert changed.record == f"Client record #{client_record.pk}"
    # The historical model lists its foreign keys last; a foreign key shows as its id.
    assert changed.changes == (
        "first name: Ana → Bea",
        f"email: {Client.history.earliest().email} → —",
        f"goals: — → {'x' * 57}…",
        f"specialist: {old_specialist} → {colleague.pk}",
    )


def test_a_save_that_changes_nothing_lists_no_change(client_record):
    client_record.save()
    assert [row.changes for row in rows_of(client_record)] == [(), ()]


def test_fields_left_out_of_the_diff_are_not_listed(client_record):
    client_record.notes = "New note"
    client_record.save()
    # created_at and the history's own fields never show; last_activity_at is not tracked.
    assert rows_of(client_record)[0].changes == (
        f"notes: {Client.history.earliest().notes} → New note",
    )


def test_a_field_the_app_writes_itself_is_listed_too(published):
    from programs.models import ProgramVersion

    version = ProgramVersion.objects.get(pk=published.pk)
    history = list(ProgramVersion.history.filter(id=version.pk))
    rows = audit_rows([("Version", history)])
    # pdf_sha256 is not a form field (editable=False); publishing still shows it changing.
    assert any(
        change.startswith(f"pdf sha256: — → {version.pdf_sha256[:20]}")
        for row in rows
        for change in row.changes
    )
