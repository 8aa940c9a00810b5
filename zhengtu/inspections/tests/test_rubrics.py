import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from zhengtu.inspections.models import RubricIndicator, RubricTemplate
from zhengtu.inspections.services import rubrics

pytestmark = pytest.mark.django_db


def test_the_standard_rubric_has_the_four_areas_and_100_points(aw):
    rubric = rubrics.create_standard_rubric(actor=aw.admin_actor, association=aw.association)
    assert [s.title for s in rubric.sections.all()] == ["团队建设", "项目运营管理", "专业服务产出及成效", "财务管理"]
    assert sum(i.weight for i in RubricIndicator.objects.filter(section__template=rubric)) == 100
    assert all(i.scoring_guide for i in RubricIndicator.objects.filter(section__template=rubric))


def test_a_rubric_loads_from_json_with_the_command(aw, tmp_path):
    path = tmp_path / "rubric.json"
    data = {
        "name": "简版评分表",
        "sections": [
            {
                "title": "服务成效",
                "indicators": [
                    {"title": "指标完成", "weight": 60},
                    {"title": "满意度", "weight": 40, "guide": "90%以上满分"},
                ],
            }
        ],
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("load_rubric", aw.association.name, str(path), stdout=out)
    assert "2 indicators" in out.getvalue()
    assert RubricTemplate.objects.get(name="简版评分表").sections.get().indicators.count() == 2
    path.write_text(
        json.dumps({"name": "坏的", "sections": [{"title": "x", "indicators": [{"title": "y", "weight": -1}]}]})
    )
    with pytest.raises(CommandError):
        call_command("load_rubric", aw.association.name, str(path), stdout=out)
    assert not RubricTemplate.objects.filter(name="坏的").exists()


def test_rubric_data_needs_sections_with_indicators(aw):
    with pytest.raises(ValidationError):
        rubrics.create_rubric(actor=aw.admin_actor, association=aw.association, data={"name": "空", "sections": []})
