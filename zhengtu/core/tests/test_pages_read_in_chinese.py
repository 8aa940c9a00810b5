"""Every page a demo user reaches from the menu reads in Chinese: no stray English words in visible text.

On the county demo, each demo role opens the home page and every entry of its menu (the supervisee: the app's
tab bar) with Chinese active. The visible text (text nodes outside scripts and styles, and the attributes a
person reads: placeholder, title, aria-label, alt, button values) may hold Latin letters only as the names
and abbreviations listed below; anything else is a source string missing from a catalogue, or a raw value.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from zhengtu.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# One demo account per role (the staff ones on the 溆浦 side).
ACCOUNTS = (
    "bureau_xupu",
    "officer_lufeng",
    "sw_xupu",
    "manager_xupu",
    "inspector_city",
    "association_admin",
    "command_xupu",
    "prosecutor_xupu",
    "sysadmin",
)
MENU = re.compile(r'<nav class="sidebar"[^>]*>(.*?)</nav>', re.S)
APP_TABS = re.compile(r'<nav class="tab-bar"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="(/[^"#]*)"')
WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
# Tokens that are identifiers, not words: paths, usernames, file names, codes with digits (app-lufeng-01, GAD-7).
IDENTIFIER = re.compile(r"[/_@.:=]|\d")
# Latin-letter words a Chinese page may show as they are: product and format names, abbreviations.
ALLOWED = {
    word.lower()
    for word in [
        "API",
        "PDF",
        "Word",
        "Excel",
        "docx",
        "xlsx",
        "csv",
        "pdf",
        "GB",
        "GB/T",
        "JT",
        "GPS",
        "SIM",
        "IMEI",
        "SOS",
        "ID",
        "APP",
        "App",
        "KPI",
        "QR",
        "URL",
        "HTML",
        "WeasyPrint",
        "docxtpl",
        "GeoJSON",
        "OsmAnd",
        "Traccar",
        "GT",
        "OTP",
        "TOTP",
        "WiFi",
        "Wi-Fi",
        "JPG",
        "JPEG",
        "PNG",
        "MP",
        "MB",
        "KB",
        "km",
        "Zhengtu",
        "Client",  # Traccar Client, an app's name
        "HTTP",
        "IP",
        "English",  # the language switcher names each language in itself
        "zs",  # the example of a search by pinyin initials
    ]
}
READABLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.hidden += 1
        values = dict(attrs)
        self.texts.extend(v for name in READABLE_ATTRIBUTES if (v := values.get(name)))
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(data.strip())


def english_words(html: str, data: frozenset[str] = frozenset()) -> set[str]:
    """Latin-letter words in the visible text, leaving out identifiers and data (usernames)."""
    parser = _VisibleText()
    parser.feed(html)
    tokens = [token for text in parser.texts for token in re.split(r"[\s，。、；：（）()“”]+", text)]
    return {
        word
        for token in tokens
        if not IDENTIFIER.search(token) and token not in data
        for word in WORD.findall(token)
        if word.lower() not in ALLOWED
    }


def _client_for(username: str) -> Client:
    from conftest import verified_login

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    user = User.objects.get(username=username)
    if user.role == "supervisee":
        client.force_login(user)
    else:
        verified_login(client, user)
    return client


def _menu(client: Client, home: str, menu: re.Pattern[str]) -> list[str]:
    page = client.get(home, follow=True).content.decode()
    found = menu.search(page)
    return [home, *dict.fromkeys(HREF.findall(found.group(1)) if found else [])]


def test_every_menu_page_of_every_demo_role_reads_in_chinese() -> None:
    from zhengtu.demo.seed import seed

    seed("county")
    usernames = frozenset(User.objects.values_list("username", flat=True))  # data, shown as they were chosen
    stray: list[str] = []
    opened = 0
    for username in (*ACCOUNTS, "supervisee_lufeng"):
        client = _client_for(username)
        pages = _menu(client, "/app/", APP_TABS) if username.startswith("supervisee") else _menu(client, "/", MENU)
        for url in pages:
            response = client.get(url, follow=True)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            opened += 1
            words = english_words(response.content.decode(), usernames)
            if words:
                stray.append(f"{username} {url}: {' '.join(sorted(words))}")

    assert opened > 50, "the demo roles should open well over fifty menu pages"
    assert not stray, "English words on Chinese pages:\n" + "\n".join(stray)


def test_the_check_sees_english_text_but_not_scripts_or_allowed_names() -> None:
    html = (
        '<p>导出 PDF</p><script nonce="x">const label = "Hidden";</script>'
        '<input placeholder="Search" type="text"><button>保存</button><td>pending</td>'
    )

    assert english_words(html) == {"Search", "pending"}
    assert english_words("<td>sysadmin</td><td>admin</td>", frozenset({"sysadmin"})) == {"admin"}
