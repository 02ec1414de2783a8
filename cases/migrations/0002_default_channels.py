"""Load the channels of RULES.md §2 (seed 002's six platforms and more); the office edits
the list afterwards."""

from django.db import migrations

CHANNELS = [
    ("hotline_12345", "12345热线", True),
    ("livelihood_hotline", "民生热线", True),
    ("letters_visits", "信访", True),
    ("complaint_centre", "投诉中心", True),
    ("service_centre", "行政服务中心", True),
    ("media", "媒体", True),
    ("enterprise_window", "企政通", False),
    ("mayor_mailbox", "市长信箱", False),
    ("leader_sms", "领导手机信息", False),
    ("deputies", "人大建议、政协提案", False),
    ("suggestions", "建言献策", False),
    ("enterprise_liaison", "百员联百企", False),
    ("online", "网上诉求（公众提交）", False),
]


def load(apps, schema_editor):
    Channel = apps.get_model("cases", "Channel")
    for order, (code, name, platform) in enumerate(CHANNELS, start=1):
        Channel.objects.get_or_create(code=code, defaults={"name": name, "is_platform": platform, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
