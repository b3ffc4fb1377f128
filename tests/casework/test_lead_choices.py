"""The system administrator (superuser) is never offered as 包案领导, whatever role and township their account has."""

from disputes.forms import AssignmentForm as DisputeAssignmentForm
from hazards.forms import leads_for as hazard_leads
from petitions.forms import AssignForm as PetitionAssignmentForm
from tests.disputes.factories import DisputeFactory
from tests.factories import UserFactory
from tests.hazards.factories import HazardFactory
from tests.petitions.factories import register


def test_the_superuser_is_not_offered_as_lead_official(world):
    admin = UserFactory(username="root", role="supervisor", township=world.township, is_superuser=True)
    supervisor = world.users["supervisor"]
    petition = register(by=world.users["staff"], village=world.village_a)
    dispute = DisputeFactory(grid=world.grid_a1)
    hazard = HazardFactory(grid=world.grid_a1)
    for leads in (PetitionAssignmentForm(case=petition).fields["lead"].queryset,
                  DisputeAssignmentForm(case=dispute).fields["lead"].queryset, hazard_leads(hazard)):
        assert supervisor in leads
        assert admin not in leads
