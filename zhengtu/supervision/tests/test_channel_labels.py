from django.utils import translation

from zhengtu.supervision.models import CheckInChannel


def test_a_check_in_by_phone_reads_as_a_channel_not_as_a_phone_number() -> None:
    with translation.override("zh-hans"):
        assert str(CheckInChannel.PHONE.label) == "电话报告"  # was 联系电话, the label of a phone-number field
