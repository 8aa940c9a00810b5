"""get_or_404: one 404 for "missing", "outside your scope" and "not an id", never a 500."""

import pytest
from django.http import Http404

from zhengtu.core.lookups import get_or_404
from zhengtu.orgs.models import Organisation, OrganisationKind
from zhengtu.testing.factories import make_org


@pytest.mark.django_db
def test_finds_the_object_by_id_given_as_number_or_text():
    org = make_org("某县司法局", OrganisationKind.COUNTY_BUREAU)
    assert get_or_404(Organisation.objects.all(), org.pk) == org
    assert get_or_404(Organisation.objects.all(), str(org.pk)) == org


@pytest.mark.django_db
def test_outside_the_queryset_is_404():
    org = make_org("某县司法局", OrganisationKind.COUNTY_BUREAU)
    with pytest.raises(Http404):
        get_or_404(Organisation.objects.exclude(pk=org.pk), org.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["abc", "", None, "-1", "0", "99999999999999999999999", "١٢", "1.5"])
def test_what_is_not_a_usable_id_is_404_without_a_query(raw, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(Http404):
        get_or_404(Organisation.objects.all(), raw)
