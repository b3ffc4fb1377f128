"""A 防返贫 集中排查 round: its village returns list the monitoring leads found since the round started."""

from casework import rounds
from casework.models import Campaign
from tests.monitoring.factories import open_case
from tests.rounds.factories import make_round


def test_a_poverty_round_offers_the_villages_leads_and_links_them(world, today):
    campaign = make_round(world, kind=Campaign.Kind.POVERTY, starts_on=today.replace(day=1), returns_due=today,
                          title="防返贫集中排查")
    case = open_case(world.users["staff"], grid=world.grid_a1)
    (link,) = rounds.links_for(campaign)
    ret = campaign.returns.get(village=world.village_a)
    cadre = world.users["village_cadre"]
    assert list(rounds.candidates(ret, cadre, link)) == [case]
    rounds.return_submit(ret=ret, by=cadre, checked_count=80, found={link.key: [case.pk]})
    case.refresh_from_db()
    assert case.found_in_return == ret
