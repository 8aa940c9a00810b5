from zhengtu.monitoring.demo import seed
from zhengtu.monitoring.models import Alert, AlertKind, Device, Fence, Position
from zhengtu.orgs.models import OrganisationKind
from zhengtu.supervisees.models import Status
from zhengtu.testing.factories import make_org, make_supervisee


def test_demo_seed_fills_the_map_once(db):
    county = make_org("溆浦县社区矫正管理局", OrganisationKind.COUNTY_BUREAU)
    office = make_org("卢峰司法所", OrganisationKind.JUSTICE_OFFICE, county)
    for _ in range(8):
        make_supervisee(office, status=Status.UNDER_SUPERVISION)
    seed(scale="county")
    devices = Device.objects.count()
    assert devices >= 8
    assert Fence.objects.filter(name="溆浦县行政区域").exists()
    assert Position.objects.count() > 8 * 30
    kinds = set(Alert.objects.values_list("kind", flat=True))
    assert {AlertKind.FENCE_BREACH, AlertKind.SOS, AlertKind.SEPARATION} <= kinds
    seed(scale="county")
    assert Device.objects.count() == devices
