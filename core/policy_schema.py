"""The schema of a policy document: every weight, threshold, deadline, checklist and
scale that RULES.md names, with its default. Services read these values through
``core.selectors.policy_document()``; no such number is a literal in a service.

Each section belongs to one module; a module may add fields to its section (with a
default, so that stored documents stay valid).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# --- shared -----------------------------------------------------------------------------
class CalendarSection(Section):
    working_hours: list[tuple[str, str]] = Field(
        default=[("08:30", "12:00"), ("14:00", "17:30")],
        title="每日办公时段",
        description="用于按工作小时计算的时限（如签收时限）",
    )

    @field_validator("working_hours")
    @classmethod
    def _ordered(cls, value: list[tuple[str, str]]) -> list[tuple[str, str]]:
        from datetime import time

        previous = None
        for begin, end in value:
            a, b = time.fromisoformat(begin), time.fromisoformat(end)
            if a >= b or (previous and a < previous):
                raise ValueError("办公时段须按时间先后排列且开始早于结束")
            previous = b
        return value


class SatisfactionLevel(Section):
    code: str
    label: str
    score: float = Field(ge=0, le=100)
    is_bad: bool = False


DEFAULT_LEVELS = [
    SatisfactionLevel(code="very_satisfied", label="非常满意", score=100),
    SatisfactionLevel(code="satisfied", label="满意", score=80),
    SatisfactionLevel(code="basically_satisfied", label="基本满意", score=60),
    SatisfactionLevel(code="dissatisfied", label="不满意", score=40, is_bad=True),
    SatisfactionLevel(code="very_dissatisfied", label="非常不满意", score=0, is_bad=True),
]


# --- §1 inspections and §8 the eight systems ---------------------------------------------
class ChecklistItem(Section):
    code: str
    name: str
    category: str = Field(default="discipline", title="类别")
    requires_evidence: bool = Field(default=True, title="须附证据")


class InspectionsSection(Section):
    min_team_size: int = Field(default=2, ge=1, le=10, title="每个任务最少监督员人数")
    verify_days: int = Field(default=5, ge=1, le=60, title="单位核查时限（工作日）")
    rectify_days: int = Field(default=10, ge=1, le=90, title="限期整改时限（工作日）")
    avoid_consecutive_rounds: bool = Field(default=True, title="同一监督员不连续两轮检查同一单位")
    checklist: list[ChecklistItem] = Field(title="检查项目")
    remind_days_before: int = Field(default=1, ge=0, le=10, title="核查、整改到期前几个工作日提醒（0为不提醒）")
    circular_issuer: str = Field(default="", max_length=100, title="通报发文机关（空则用平台设置的效能办名称）")
    circular_number_prefix: str = Field(default="效办通", min_length=1, max_length=20, title="通报文号前缀（如“临效办通”）")
    circular_addressee: str = Field(default="各市直单位：", max_length=100, title="通报主送")
    circular_copy_to: str = Field(
        default="市委办公室，市人大常委会办公室，市政府办公室，市政协办公室，市纪委监委。", max_length=300, title="通报抄送"
    )

    @field_validator("checklist")
    @classmethod
    def _unique_codes(cls, value: list[ChecklistItem]) -> list[ChecklistItem]:
        codes = [item.code for item in value]
        if len(codes) != len(set(codes)):
            raise ValueError("检查项目代码不能重复")
        return value


# --- §2 cases ----------------------------------------------------------------------------
class CasesSection(Section):
    deadline_days: dict[str, int] = Field(
        default={"emergency": 0, "inquiry": 1, "request": 5, "suggestion": 5, "complaint": 10, "report": 10, "praise": 5},
        title="办理时限（工作日，按诉求类别）",
    )
    complex_days: int = Field(default=15, ge=1, le=60, title="复杂件办理时限（工作日，经延期批准）")
    emergency_response_hours: float = Field(default=2, gt=0, title="紧急件响应时限（小时）")
    sign_within_hours: float = Field(default=2, gt=0, title="签收时限（工作小时）")
    warning_days_before: int = Field(default=1, ge=0, title="到期前预警（工作日）")
    reminder_after_days: int = Field(default=1, ge=0, title="逾期后催办（工作日）")
    escalate_after_days: int = Field(default=5, ge=1, title="逾期后提请通报（工作日）")
    reopen_escalation_count: int = Field(default=3, ge=1, title="重办几次提级督办")
    duplicate_window_days: int = Field(default=30, ge=1, title="重复件判定期（自然日）")
    follow_up_max_tries: int = Field(default=3, ge=1, title="回访最多拨打次数")
    three_rates_weights: dict[str, float] = Field(default={"response": 30, "resolution": 35, "satisfaction": 35}, title="三率权重（%）")
    red_black_list_size: int = Field(default=5, ge=1, title="红黑榜名额")
    contact_within_days: int = Field(default=1, ge=0, title="签收后联系诉求人时限（工作日，计入响应率）")
    duplicate_similarity: float = Field(default=0.6, gt=0, le=1, title="重复件内容相似度阈值（0–1）")
    routing_min_samples: int = Field(default=50, ge=1, title="智能派单：最少历史派单件数")
    routing_min_per_unit: int = Field(default=5, ge=1, title="智能派单：每个单位最少历史件数")

    @model_validator(mode="after")
    def _weights_sum(self) -> CasesSection:
        if abs(sum(self.three_rates_weights.values()) - 100) > 1e-6:
            raise ValueError("三率权重之和须为100")
        return self


# --- §2a service ratings ---------------------------------------------------------------
class RatingsSection(Section):
    levels: list[SatisfactionLevel] = Field(default=DEFAULT_LEVELS, title="五级评价")
    fix_days: int = Field(default=10, ge=1, le=30, title="差评整改时限（工作日）")
    callback_ratio: float = Field(default=1.0, ge=0, le=1, title="实名差评回访比例")
    repeat_hours: int = Field(default=24, ge=1, le=24 * 30, title="同一手机、设备或网络地址重复评价的判定期（小时）")


# --- §3 evaluations ----------------------------------------------------------------------
class EvaluationsSection(Section):
    levels: list[SatisfactionLevel] = Field(default=DEFAULT_LEVELS, title="五级评分")
    min_sample: int = Field(default=30, ge=1, title="最少有效样本")
    confidence: float = Field(default=0.95, gt=0, lt=1, title="置信水平")
    award_threshold: float = Field(default=95, ge=0, le=100, title="评优分数线")
    award_quota: dict[str, int] = Field(
        default={"division_head": 11, "window": 18, "handled_cases": 0, "departments": 10},
        title="评优名额（按评议类别）",
    )
    tie_break: Literal["more_answers", "higher_top_share", "earlier_last_answer"] = Field(default="more_answers", title="同分排序规则")
    min_answer_seconds: int = Field(default=20, ge=0, title="答卷最短用时（秒）")
    one_answer_per_device: bool = Field(default=True, title="同一设备每期每对象限答一次")
    burst_per_ip_per_hour: int = Field(default=20, ge=1, title="同一网络地址每小时答卷上限")
    identical_min_questions: int = Field(default=3, ge=2, title="至少几道五级题全部同一选项才标记为雷同答卷")
    award_requires_min_sample: bool = Field(default=False, title="评优须达到最少有效样本")


# --- §4 approvals ------------------------------------------------------------------------
class ApprovalsSection(Section):
    statutory_days: int = Field(default=20, ge=1, title="法定时限（工作日，行政许可法第42条）")
    extension_days: int = Field(default=10, ge=0, title="经负责人批准可延长（工作日）")
    warning_days: float = Field(default=1, ge=0, title="黄牌预警：剩余工作日")
    warning_ratio: float = Field(default=0.2, ge=0, le=1, title="黄牌预警：剩余占承诺时限比例")
    max_supplement_requests: int = Field(default=1, ge=1, title="一次性告知：补正次数上限")
    stages: list[str] = Field(default=["accepted", "processed", "reviewed", "approved", "completed"], title="环节")


# --- §5 accountability -------------------------------------------------------------------
class LadderStep(Section):
    count: int = Field(ge=1, title="有效投诉件数")
    measures: list[str] = Field(title="措施")


class AccountabilitySection(Section):
    ladder: list[LadderStep] = Field(title="首问责任追究阶梯（按年度件数）")
    dismissal_count: int = Field(default=5, ge=1, title="辞退：件数")
    dismissal_window_months: int = Field(default=24, ge=1, title="辞退：滚动期（月）")
    direct_apology_count: int = Field(default=1, ge=1, title="一把手直接道歉：单位有效投诉件数")
    public_apology_count: int = Field(default=2, ge=1, title="一把手公开道歉：单位有效投诉件数")
    public_apology_triggers: list[str] = Field(
        default=["superior_criticism", "media_exposure", "electronic_supervision", "inspection"],
        title="公开道歉的其他情形",
    )
    finding_measures: list[str] = Field(default=["written_self_criticism", "circulated_criticism"], title="核实属实的暗访问题")
    serious_finding_measures: list[str] = Field(default=[], title="严重问题的措施")
    grassroots_reassignment_months: int = Field(default=3, ge=0, title="基层再上岗期限（月）")
    dismissal_measures: list[str] = Field(default=["dismissal"], min_length=1, title="辞退：措施")
    year_start_month: int = Field(default=1, ge=1, le=12, title="考核年度起始月份（1为自然年）")
    follow_through_days: int = Field(default=10, ge=1, le=90, title="道歉与问责措施的落实时限（工作日，自决定之日起）")

    @field_validator("ladder")
    @classmethod
    def _ascending(cls, value: list[LadderStep]) -> list[LadderStep]:
        counts = [step.count for step in value]
        if counts != sorted(set(counts)):
            raise ValueError("阶梯件数须严格递增")
        return value


# --- §6 annual assessment ----------------------------------------------------------------
class CategoryWeights(Section):
    category: str = Field(title="类别代码")
    direct: float = Field(ge=0, le=100, title="服务对象直接测评（%）")
    counterpart: float = Field(ge=0, le=100, title="上级对口评议（%）")
    other: float = Field(default=0, ge=0, le=100, title="其他服务对象评议（%）")
    award_quota: float = Field(default=0.3, ge=0, le=1, title="评优比例")

    @model_validator(mode="after")
    def _sum(self) -> CategoryWeights:
        if abs(self.direct + self.counterpart + self.other - 100) > 1e-6:
            raise ValueError(f"类别 {self.category} 的权重之和须为100")
        return self


class DeductionSource(Section):
    code: str
    name: str
    points_per_item: float = Field(ge=0)
    cap: float = Field(ge=0)


class Band(Section):
    code: str
    label: str
    min_score: float


class AssessmentSection(Section):
    categories: list[CategoryWeights] = Field(title="类别权重")
    deductions: list[DeductionSource] = Field(title="扣分项目")
    veto_items: list[str] = Field(default=["comprehensive_governance"], title="一票否决事项")
    bonus_cap: float = Field(default=3, ge=0, title="加分上限")
    bands: list[Band] = Field(title="等次")
    bottom_n: int = Field(default=3, ge=1, title="末位名次数")
    bottom_band_at_most: str = Field(default="basic", title="末位规则适用等次（含以下）")
    bottom_rise_percent: float = Field(default=5, ge=0, title="次年分数提升不足（%）则建议调整")

    @field_validator("bands")
    @classmethod
    def _descending(cls, value: list[Band]) -> list[Band]:
        mins = [band.min_score for band in value]
        if mins != sorted(mins, reverse=True):
            raise ValueError("等次分数线须由高到低排列")
        return value


# --- §7 supervisors ------------------------------------------------------------------------
class SupervisorsSection(Section):
    term_years: int = Field(default=2, ge=1, title="任期（年）")
    min_attendance_rate: float = Field(default=0.6, ge=0, le=1, title="年度考核最低出勤率")


# --- the whole document -------------------------------------------------------------------
class PolicyDocument(Section):
    city: str = Field(title="适用地区")
    calendar: CalendarSection = Field(default_factory=CalendarSection, title="工作日历")
    inspections: InspectionsSection = Field(title="明查暗访")
    eight_systems: list[str] = Field(title="八项制度")
    cases: CasesSection = Field(default_factory=CasesSection, title="诉求办理")
    ratings: RatingsSection = Field(default_factory=RatingsSection, title="好差评")
    evaluations: EvaluationsSection = Field(default_factory=EvaluationsSection, title="评议")
    approvals: ApprovalsSection = Field(default_factory=ApprovalsSection, title="电子监察")
    accountability: AccountabilitySection = Field(title="问责")
    assessment: AssessmentSection = Field(title="年度考评")
    supervisors: SupervisorsSection = Field(default_factory=SupervisorsSection, title="效能监督员")


SECTION_TITLES = {name: (field.title or name) for name, field in PolicyDocument.model_fields.items()}
