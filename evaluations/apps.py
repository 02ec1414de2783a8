"""The evaluations app: campaigns, questionnaires, responses, scores and awards, sampled
follow-up of handled cases, and on-the-spot service ratings (好差评)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("评议与好差评")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import periodic
        from core.notify import register_kind
        from evaluations import transfer, ui  # noqa: F401  (navigation, home panels, job handlers)

        transfer.register()
        # in the inbox always; outward copies only where a user asks, except overdue fixes (SMS)
        register_kind("evaluations.rating_bad", "差评待回访", ())
        register_kind("evaluations.rating_action", "好差评待单位处理", ())
        register_kind("evaluations.rating_overdue", "差评整改逾期", ("sms",))
        register_kind("evaluations.rating_appeal", "好差评申诉", ())
        register_kind("evaluations.campaign", "评议结果公布", ())
        periodic.register("evaluations-ratings-overdue", "evaluations.tasks.ratings_overdue", minutes=60)
