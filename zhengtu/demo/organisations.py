"""The demo organisation trees for each scale."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhengtu.orgs.models import Division, Organisation, OrganisationKind
from zhengtu.orgs.services import create_organisation

K = OrganisationKind

XUPU_TOWNS = (
    "卢峰", "桥江", "观音阁", "低庄", "龙潭", "大江口", "思蒙", "双井",
    "黄茅园", "水东", "三江", "祖师殿", "均坪", "葛竹坪", "统溪河", "北斗溪",
)  # fmt: skip
CHENXI_TOWNS = ("辰阳", "孝坪", "火马冲", "黄溪口")
HUAIHUA_OTHER_COUNTIES = (
    ("鹤城区", "431202"), ("中方县", "431221"), ("沅陵县", "431222"), ("会同县", "431225"),
    ("麻阳苗族自治县", "431226"), ("新晃侗族自治县", "431227"), ("芷江侗族自治县", "431228"),
    ("靖州苗族侗族自治县", "431229"), ("通道侗族自治县", "431230"), ("洪江市", "431281"), ("洪江区", "431271"),
)  # fmt: skip
HUNAN_OTHER_CITIES = (
    ("长沙市", "4301"), ("株洲市", "4302"), ("湘潭市", "4303"), ("衡阳市", "4304"), ("邵阳市", "4305"),
    ("岳阳市", "4306"), ("常德市", "4307"), ("张家界市", "4308"), ("益阳市", "4309"), ("郴州市", "4310"),
    ("永州市", "4311"), ("娄底市", "4313"), ("湘西土家族苗族自治州", "4331"),
)  # fmt: skip


@dataclass
class County:
    bureau: Organisation
    division_code: str
    offices: list[Organisation] = field(default_factory=list)
    weight: float = 1.0  # share of supervisees


def _division(code: str) -> Division | None:
    return Division.objects.filter(code=code).first()


def _county(city: Organisation, name: str, code: str, towns: list[str] | tuple[str, ...], weight: float) -> County:
    bureau = create_organisation(
        name=f"{name}社区矫正管理局", kind=K.COUNTY_BUREAU, parent=city, division=_division(code)
    )
    county = County(bureau=bureau, division_code=code, weight=weight)
    for town in towns:
        county.offices.append(create_organisation(name=f"{town}司法所", kind=K.JUSTICE_OFFICE, parent=bureau))
    return county


def build_huaihua(
    *, all_counties: bool, offices_per_other_county: int, province: Organisation | None = None
) -> list[County]:
    """怀化市 with 溆浦县 and 辰溪县 (the demo accounts' counties), plus its other counties when asked."""
    city = create_organisation(
        name="怀化市社区矫正管理局", kind=K.CITY_BUREAU, parent=province, division=_division("431200")
    )
    create_organisation(name="怀化市司法矫治协会", kind=K.ASSOCIATION, parent=city)
    xupu = _county(city, "溆浦县", "431224", XUPU_TOWNS, weight=0.85 if not all_counties else 0.12)
    chenxi = _county(city, "辰溪县", "431223", CHENXI_TOWNS, weight=0.15 if not all_counties else 0.06)
    for county, agency in ((xupu, "湖南德馨社会工作服务中心溆浦项目部"), (chenxi, "辰溪县阳光社会工作服务中心")):
        short = county.bureau.name.removesuffix("社区矫正管理局")
        create_organisation(name=agency, kind=K.AGENCY, parent=county.bureau)
        create_organisation(name=f"{short}社区矫正指挥中心", kind=K.COMMAND_CENTER, parent=county.bureau)
        create_organisation(name=f"{short}人民检察院", kind=K.PROCURATORATE, parent=county.bureau)
    counties = [xupu, chenxi]
    if all_counties:
        for name, code in HUAIHUA_OTHER_COUNTIES:
            towns = [f"{name[:2]}第{i + 1}" for i in range(offices_per_other_county)]
            counties.append(_county(city, name, code, towns, weight=0.082))
    return counties


PROVINCE_ROOT = "湖南省社区矫正管理局"


def build_hunan(*, offices_per_county: int, counties_per_city: int) -> list[County]:
    """The province scale: 湖南省 above its cities (a province bureau and its command centre)."""
    province = create_organisation(name=PROVINCE_ROOT, kind=K.PROVINCE_BUREAU, division=_division("430000"))
    create_organisation(name="湖南省社区矫正指挥中心", kind=K.COMMAND_CENTER, parent=province)
    counties = build_huaihua(all_counties=True, offices_per_other_county=offices_per_county, province=province)
    for city_name, prefix in HUNAN_OTHER_CITIES:
        city = create_organisation(
            name=f"{city_name}社区矫正管理局", kind=K.CITY_BUREAU, parent=province, division=_division(prefix + "00")
        )
        for c in range(counties_per_city):
            code = f"{prefix}{c + 21:02d}"
            towns = [f"{city_name[:2]}{c + 1}区{i + 1}镇" for i in range(offices_per_county)]
            counties.append(_county(city, f"{city_name[:2]}第{c + 1}县", code, towns, weight=1.0))
    return counties
