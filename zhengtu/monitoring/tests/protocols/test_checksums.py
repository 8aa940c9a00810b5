"""The fast checksum paths agree with the byte-by-byte definitions on any input."""

import functools
import operator

from hypothesis import given
from hypothesis import strategies as st

from zhengtu.monitoring.protocols import gt06, jt808


def test_crc_itu_check_value():
    assert gt06.crc_itu(b"123456789") == 0x906E  # CRC-16/X-25 catalogue check value


@given(st.binary(max_size=600))
def test_crc_itu_matches_the_table_driven_definition(data):
    assert gt06.crc_itu(data) == gt06.crc_itu_bytewise(data)


@given(st.binary(max_size=600))
def test_xor_checksum_matches_byte_by_byte_xor(data):
    assert jt808.xor_checksum(data) == functools.reduce(operator.xor, data, 0)
