"""The three default assessment categories of RULES.md §6 (editable by the office)."""

from django.db import migrations

CATEGORIES = [
    ("gov_public", "政府涉企涉民部门", "服务对象直接测评80%，上级对口评议10%，其他服务对象评议10%", 1),
    ("party_mass", "党群部门", "服务对象测评80%，上级对口评议20%", 2),
    ("stationed", "中央、省驻市单位", "服务对象测评80%，上级对口评议20%", 3),
]


def load(apps, schema_editor):
    UnitCategory = apps.get_model("org", "UnitCategory")
    for code, name, description, order in CATEGORIES:
        UnitCategory.objects.get_or_create(code=code, defaults={"name": name, "description": description, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
