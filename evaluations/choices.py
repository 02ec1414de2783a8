"""Kinds and statuses of evaluations (评议) and service ratings (好差评)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    DIVISION_HEAD = "division_head", _("满意处长群众评")
    WINDOW = "window", _("社会评窗口")
    HANDLED_CASES = "handled_cases", _("千项办件看效能")
    DEPARTMENTS = "departments", _("万人评机关")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")
    CONFIRMED = "confirmed", _("结果已确认")
    PUBLISHED = "published", _("结果已公布")


class Channel(models.TextChoices):
    LINK = "link", _("链接")
    QR = "qr", _("扫码")
    PAPER = "paper", _("纸质问卷录入")
    PHONE = "phone", _("电话回访")
    API = "api", _("接口（自助终端等）")


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布（冻结）")


class QuestionKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("五级满意度")
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("文字")


class ResponseStatus(models.TextChoices):
    VALID = "valid", _("有效")
    FLAGGED = "flagged", _("待复核")
    ACCEPTED = "accepted", _("复核有效")
    REJECTED = "rejected", _("已剔除")


COUNTED_STATUSES = (ResponseStatus.VALID, ResponseStatus.ACCEPTED)


class ResponseFlag(models.TextChoices):
    FAST = "fast", _("用时过短")
    IDENTICAL = "identical", _("各题答案完全相同")
    BURST = "burst", _("同一网络地址短时大量答卷")


class SampleStatus(models.TextChoices):
    PENDING = "pending", _("待回访")
    ANSWERED = "answered", _("已回访")
    UNREACHABLE = "unreachable", _("无法联系")


class CaseSource(models.TextChoices):
    IMPORT = "import", _("Excel导入")
    CASES = "cases", _("诉求办理系统")


class RatingStatus(models.TextChoices):
    RECORDED = "recorded", _("已记录")
    CALLBACK = "callback", _("待回访核实")
    VERIFIED = "verified", _("待单位处理")
    FIXING = "fixing", _("限期整改中")
    AWAITING_RATING = "awaiting_rating", _("待评价整改")
    APPEALED = "appealed", _("申诉复核中")
    CLOSED = "closed", _("已办结")


OPEN_RATING_STATUSES = (RatingStatus.CALLBACK, RatingStatus.VERIFIED, RatingStatus.FIXING, RatingStatus.AWAITING_RATING)


class Resolution(models.TextChoices):
    FIXED_NOW = "fixed_now", _("立即整改")
    FIX_BY_DEADLINE = "fix_by_deadline", _("限期整改")
    EXPLAINED = "explained", _("解释说明")
    NOT_VERIFIED = "not_verified", _("经核实不属实")


class AppealStatus(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("待效能办复核")
    UPHELD = "upheld", _("申诉成立（差评不计）")
    REJECTED = "rejected", _("申诉不成立")
