from django.apps import apps
from django.urls import reverse

from clients.models import Client
from tests.factories import ClearanceFactory, ClientFactory, ConsentFactory, ScreeningFactory


def test_archived_client_leaves_the_list(as_user, specialist_user, client_record):
    as_user(specialist_user).post(reverse("clients:archive", args=[client_record.pk]))
    text = as_user(specialist_user).get(reverse("clients:list")).text
    assert reverse("clients:detail", args=[client_record.pk]) not in text


def test_archived_client_is_listed_among_archived(as_user, specialist_user, client_record):
    as_user(specialist_user).post(reverse("clients:archive", args=[client_record.pk]))
    text = as_user(specialist_user).get(reverse("clients:list"), {"archived": "1"}).text
    assert reverse("clients:detail", args=[client_record.pk]) in text


def test_archive_deletes_nothing(as_user, specialist_user, client_record):
    ScreeningFactory(client=client_record)
    as_user(specialist_user).post(reverse("clients:archive", args=[client_record.pk]))
    assert Client.objects.filter(pk=client_record.pk).exists()
    assert client_record.screenings.count() == 1


def test_restored_client_returns_to_the_list(as_user, specialist_user, client_record):
    user = as_user(specialist_user)
    user.post(reverse("clients:archive", args=[client_record.pk]))
    user.post(reverse("clients:restore", args=[client_record.pk]))
    assert (
        reverse("clients:detail", args=[client_record.pk]) in user.get(reverse("clients:list")).text
    )


def rows_pointing_at(client_pk: int) -> dict[str, int]:
    """Rows in any table (history included) that reference the client, found by introspection."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if field.concrete and related is Client and not field.many_to_many:
                count = model.objects.filter(**{field.attname: client_pk}).count()
                if count:
                    found[model._meta.label] = count
        if model._meta.label == "clients.HistoricalClient":
            count = model.objects.filter(id=client_pk).count()
            if count:
                found[model._meta.label] = count
    return found


def test_erasure_leaves_no_related_row(as_user, specialist_user, client_record):
    ScreeningFactory(client=client_record, q1=True)
    ClearanceFactory(client=client_record)
    ConsentFactory(client=client_record)
    client_record.first_name = "Anabel"
    client_record.save()  # a second history row
    pk = client_record.pk
    assert rows_pointing_at(pk)

    response = as_user(specialist_user).post(
        reverse("clients:erase", args=[pk]), {"confirm_name": "Anabel Silva"}
    )

    assert response.status_code == 302
    assert rows_pointing_at(pk) == {}


def test_erasure_needs_the_typed_name(as_user, specialist_user, client_record):
    response = as_user(specialist_user).post(
        reverse("clients:erase", args=[client_record.pk]), {"confirm_name": "ana silva"}
    )
    assert response.status_code == 200
    assert "Type the client" in response.context["form"].errors["confirm_name"][0]
    assert Client.objects.filter(pk=client_record.pk).exists()


def test_erasure_leaves_other_clients_alone(as_user, specialist_user, client_record):
    other = ClientFactory(specialist=specialist_user)
    ScreeningFactory(client=other)
    as_user(specialist_user).post(
        reverse("clients:erase", args=[client_record.pk]), {"confirm_name": "Ana Silva"}
    )
    assert other.screenings.count() == 1
    assert other.history.count() == 1
