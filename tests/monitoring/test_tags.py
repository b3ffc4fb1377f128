"""The household tags monitoring keeps: the watch tag follows an edited type, 住房不安全 follows the housing checks."""

from django.urls import reverse

from monitoring.forms import CaseUpdateForm
from monitoring.models import MonitoringCase, MonitoringType
from monitoring.services import check_record
from tests.monitoring.factories import advance, open_case

S = MonitoringCase.Status


def _form_data(case, **changes):
    form = CaseUpdateForm(instance=case)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        data[name] = [str(v.pk if hasattr(v, "pk") else v) for v in value] if isinstance(value, list) else value
    data.update(changes)
    return data


def test_editing_a_monitored_cases_type_moves_the_watch_tag(world, clients):
    case = advance(open_case(world.users["staff"], grid=world.grid_a1), S.MONITORED, world.users["staff"])
    assert set(case.household.tags.values_list("code", flat=True)) == {"watch-edge"}
    sudden = MonitoringType.objects.get(code="sudden")
    response = clients["village_cadre"].post(reverse("monitoring:update", args=[case.pk]),
                                             _form_data(case, type=sudden.pk))
    assert response.status_code == 302
    assert set(case.household.tags.values_list("code", flat=True)) == {"watch-sudden"}


def test_editing_a_leads_type_tags_nothing(world, clients):
    case = open_case(world.users["staff"], grid=world.grid_a1)
    sudden = MonitoringType.objects.get(code="sudden")
    clients["village_cadre"].post(reverse("monitoring:update", args=[case.pk]), _form_data(case, type=sudden.pk))
    case.refresh_from_db()
    assert case.type == sudden and not case.household.tags.exists()


def test_a_house_graded_c_or_d_tags_the_household_and_a_later_a_or_b_clears_it(world, today):
    staff = world.users["staff"]
    case = open_case(staff, grid=world.grid_a1)
    check_record(case=case, by=staff, checked_on=today, housing_grade="D")
    assert case.household.tags.filter(code="house-unsafe").exists()
    check_record(case=case, by=staff, checked_on=today, housing_grade="B")
    assert not case.household.tags.filter(code="house-unsafe").exists()
    check_record(case=case, by=staff, checked_on=today, housing_grade="C")
    # An older check entered late does not clear what the latest one says.
    check_record(case=case, by=staff, checked_on=today.replace(year=today.year - 1), housing_grade="A")
    assert case.household.tags.filter(code="house-unsafe").exists()
