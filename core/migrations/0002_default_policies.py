"""Load the two default policies that ship with the code (RULES.md): one following seed
002's city (current by default), one following seed 004's city."""

import json
from datetime import date
from pathlib import Path

from django.db import migrations

POLICIES = [
    ("seed002", "作风建设考评办法（参照种子002城市）", "六大平台直接测评、一把手问责与道歉、首问责任追究阶梯。", True),
    ("seed004", "效能建设办法（参照种子004城市）", "效能建设“八项制度”（含涉企检查报批制），严重问题基层再上岗。", False),
]


def load(apps, schema_editor):
    Policy = apps.get_model("core", "Policy")
    PolicyVersion = apps.get_model("core", "PolicyVersion")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    AuditChainHead.objects.get_or_create(pk=1)
    folder = Path(__file__).resolve().parent.parent / "policies"
    for code, name, description, current in POLICIES:
        if Policy.objects.filter(code=code).exists():
            continue
        policy = Policy.objects.create(code=code, name=name, description=description, is_current=current)
        document = json.loads((folder / f"{code}.json").read_text(encoding="utf-8"))
        PolicyVersion.objects.create(
            policy=policy, version=1, status="published", effective_from=date(2020, 1, 1), document=document,
            note="随平台发布的默认版本",
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
