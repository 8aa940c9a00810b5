"""Demo accounts: every role in two different organisations, with TOTP secrets derived from the
username so the README and test scripts can log in. DEMO DATA ONLY: never use on real data.
"""

from __future__ import annotations

import base64
import hashlib
from binascii import unhexlify
from dataclasses import dataclass

from zhengtu.accounts.roles import Role

DEMO_PASSWORD = "zhengtu-demo-2026"  # noqa: S105 - demo accounts only; printed by seed_demo and the README


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    organisation: str  # name of the demo organisation


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("bureau_xupu", "向建国", Role.BUREAU_ADMIN, "溆浦县社区矫正管理局"),
    DemoAccount("bureau_chenxi", "米红梅", Role.BUREAU_ADMIN, "辰溪县社区矫正管理局"),
    DemoAccount("officer_lufeng", "舒志勇", Role.OFFICE_OFFICER, "卢峰司法所"),
    DemoAccount("officer_chenyang", "谌丽华", Role.OFFICE_OFFICER, "辰阳司法所"),
    DemoAccount("sw_xupu", "张晓燕", Role.SOCIAL_WORKER, "湖南德馨社会工作服务中心溆浦项目部"),
    DemoAccount("sw_chenxi", "李明辉", Role.SOCIAL_WORKER, "辰溪县阳光社会工作服务中心"),
    DemoAccount("manager_xupu", "刘芳", Role.AGENCY_MANAGER, "湖南德馨社会工作服务中心溆浦项目部"),
    DemoAccount("manager_chenxi", "杨帆", Role.AGENCY_MANAGER, "辰溪县阳光社会工作服务中心"),
    DemoAccount("inspector_city", "周教授", Role.INSPECTOR, "怀化市司法矫治协会"),
    DemoAccount("inspector_chenxi", "黄督导", Role.INSPECTOR, "辰溪县阳光社会工作服务中心"),
    DemoAccount("association_admin", "陈秘书长", Role.ASSOCIATION_ADMIN, "怀化市司法矫治协会"),
    DemoAccount("association_staff", "吴干事", Role.ASSOCIATION_ADMIN, "怀化市司法矫治协会"),
    DemoAccount("command_xupu", "邓值班", Role.COMMAND_CENTER, "溆浦县社区矫正指挥中心"),
    DemoAccount("command_chenxi", "田值班", Role.COMMAND_CENTER, "辰溪县社区矫正指挥中心"),
    DemoAccount("prosecutor_xupu", "梁检察官", Role.PROSECUTOR, "溆浦县人民检察院"),
    DemoAccount("prosecutor_chenxi", "石检察官", Role.PROSECUTOR, "辰溪县人民检察院"),
    DemoAccount("supervisee_lufeng", "", Role.SUPERVISEE, "卢峰司法所"),
    DemoAccount("supervisee_chenyang", "", Role.SUPERVISEE, "辰阳司法所"),
    # A second officer in each demo office, so a request filed by one is approved by the other
    # (separation of duties: the filer never decides his own request).
    DemoAccount("officer2_lufeng", "向春花", Role.OFFICE_OFFICER, "卢峰司法所"),
    DemoAccount("officer2_chenyang", "瞿志刚", Role.OFFICE_OFFICER, "辰阳司法所"),
)


def demo_totp_hex_key(username: str) -> str:
    """The demo account's TOTP key (40 hex characters), derived from its username."""
    return hashlib.sha1(f"zhengtu-demo-totp:{username}".encode(), usedforsecurity=False).hexdigest()


def demo_totp_base32(username: str) -> str:
    """The same key in base32, as authenticator apps expect it."""
    return base64.b32encode(unhexlify(demo_totp_hex_key(username))).decode()


def current_code(hex_key: str) -> str:
    from django_otp.oath import totp

    return f"{totp(unhexlify(hex_key), step=30, t0=0, digits=6, drift=0):06d}"
