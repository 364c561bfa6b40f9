"""Progress and the sponsor's summary as the API writes them."""

from rest_framework import serializers

from apprenticeships.api.serializers.aid import AidFiguresSerializer, InvestmentSerializer, aid_summary_representation
from portal.api.fields import DateField, DecimalField
from portal.api.serializers import NamedRefSerializer, PersonWithEmailSerializer, TitledRefSerializer

from ...models import MilestoneStatus
from .funder import OutcomesSerializer


def _hours_field():
    return DecimalField(max_digits=9, decimal_places=2)


_HOURS_TOTAL = _hours_field()


HOURS_BLOCK = ["required", "approved", "pending", "credited", "remaining"]


class HoursProgressSerializer(serializers.Serializer):
    required = _hours_field()
    approved = _hours_field()
    pending = _hours_field()
    credited = _hours_field()
    remaining = _hours_field()
    percent = serializers.FloatField()


class WorkProcessProgressSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    target_hours = _hours_field()
    approved_hours = _hours_field()
    percent = serializers.FloatField()


class MilestoneProgressSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=MilestoneStatus.choices)


class WageStepProgressSerializer(serializers.Serializer):
    name = serializers.CharField()
    wage = DecimalField(max_digits=8, decimal_places=2)


class PaceSerializer(serializers.Serializer):
    hours_per_week = _hours_field()
    projected_completion_date = serializers.DateField(allow_null=True)
    expected_end_date = serializers.DateField()
    on_track = serializers.BooleanField()


class ProgressSerializer(serializers.Serializer):
    apprenticeship = serializers.UUIDField()
    status = serializers.CharField()
    ojt = HoursProgressSerializer()
    rti = HoursProgressSerializer()
    work_processes = WorkProcessProgressSerializer(many=True)
    competencies = serializers.DictField(child=serializers.IntegerField())
    milestones = MilestoneProgressSerializer(many=True)
    current_wage_step = WageStepProgressSerializer(allow_null=True)
    pace = PaceSerializer()

    def to_representation(self, progress):
        """Written out: progress is what apprentices open most, and DRF's nested fields cost
        more than its queries. The fields above stay the schema; a test holds the two equal
        (tests/api/test_written_out_serializers.py)."""
        step, pace = progress["current_wage_step"], progress["pace"]
        projected = pace["projected_completion_date"]
        return {
            "apprenticeship": str(progress["apprenticeship"]),
            "status": progress["status"],
            "ojt": _hours_block(progress["ojt"]),
            "rti": _hours_block(progress["rti"]),
            "work_processes": [
                {
                    "id": str(process["id"]),
                    "title": process["title"],
                    "target_hours": _HOURS_TOTAL.to_representation(process["target_hours"]),
                    "approved_hours": _HOURS_TOTAL.to_representation(process["approved_hours"]),
                    "percent": float(process["percent"]),
                }
                for process in progress["work_processes"]
            ],
            "competencies": {key: int(value) for key, value in progress["competencies"].items()},
            "milestones": [{**milestone, "id": str(milestone["id"])} for milestone in progress["milestones"]],
            "current_wage_step": {"name": step["name"], "wage": f"{step['wage']:.2f}"} if step else None,
            "pace": {
                "hours_per_week": f"{pace['hours_per_week']:.2f}",
                "projected_completion_date": projected.isoformat() if projected else None,
                "expected_end_date": pace["expected_end_date"].isoformat(),
                "on_track": pace["on_track"],
            },
        }


def _hours_block(block: dict) -> dict:
    return {
        **{key: _HOURS_TOTAL.to_representation(block[key]) for key in HOURS_BLOCK},
        "percent": float(block["percent"]),
    }


class SummaryFilterSerializer(serializers.Serializer):
    sponsor = serializers.UUIDField(required=False)
    employer = serializers.UUIDField(required=False)
    format = serializers.ChoiceField(choices=["json", "csv"], required=False, help_text="csv: the same, as a file.")


class _Numbers(serializers.Serializer):
    apprenticeships_by_status = serializers.DictField(child=serializers.IntegerField())
    enrolled = serializers.IntegerField()
    completed = serializers.IntegerField()
    placements = serializers.IntegerField(
        help_text="Apprenticeships that started work with their employer (past registered)."
    )
    ojt_hours_approved = DecimalField(max_digits=12, decimal_places=2)
    rti_hours_approved = DecimalField(max_digits=12, decimal_places=2)
    pending_hour_logs = serializers.IntegerField()
    pending_milestones = serializers.IntegerField()


class _ProgramNumbers(_Numbers):
    id = serializers.UUIDField()
    title = serializers.CharField()


class _EmployerNumbers(_Numbers):
    id = serializers.UUIDField()
    name = serializers.CharField()


class SummarySerializer(_Numbers):
    partners = serializers.IntegerField(help_text="Employers taking part in the sponsor's programs.")
    by_program = _ProgramNumbers(many=True)
    by_employer = _EmployerNumbers(many=True)
    investment = InvestmentSerializer(help_text="The funds recorded for the sponsor (Worker Equity Fund).")
    aid = AidFiguresSerializer(help_text="The aid its funds committed and disbursed.")
    outcomes = OutcomesSerializer(help_text="The funders' figures (docs/api.md).")

    def to_representation(self, summary):
        """Written out: a sponsor's summary holds a set of numbers per program and per employer
        (61 sets at 50 employers), and DRF's per-field machinery cost more than its queries. The
        fields above stay the schema; a test holds the two equal
        (tests/api/test_written_out_serializers.py)."""
        return {
            **_numbers(summary),
            "partners": summary["partners"],
            **aid_summary_representation(summary),
            "by_program": [
                {**_numbers(group), "id": str(group["id"]), "title": group["title"]} for group in summary["by_program"]
            ],
            "by_employer": [
                {**_numbers(group), "id": str(group["id"]), "name": group["name"]} for group in summary["by_employer"]
            ],
            "outcomes": OutcomesSerializer(summary["outcomes"]).data,
        }


_SUMMARY_HOURS = serializers.DecimalField(max_digits=12, decimal_places=2)


def _numbers(numbers: dict) -> dict:
    return {
        "apprenticeships_by_status": {key: int(value) for key, value in numbers["apprenticeships_by_status"].items()},
        "enrolled": numbers["enrolled"],
        "completed": numbers["completed"],
        "placements": numbers["placements"],
        "ojt_hours_approved": _SUMMARY_HOURS.to_representation(numbers["ojt_hours_approved"]),
        "rti_hours_approved": _SUMMARY_HOURS.to_representation(numbers["rti_hours_approved"]),
        "pending_hour_logs": numbers["pending_hour_logs"],
        "pending_milestones": numbers["pending_milestones"],
    }


# --- the work summary ---------------------------------------------------------------------------


class _WorkItem(serializers.Serializer):
    """Whose apprenticeship an item is, by name."""

    apprenticeship = serializers.UUIDField()
    apprentice = PersonWithEmailSerializer()
    program = TitledRefSerializer()
    employer = NamedRefSerializer()


class _QuietItem(_WorkItem):
    last_logged_on = DateField(allow_null=True, help_text="The last day logged; null: none yet.")


class _WaitingLogItem(_WorkItem):
    id = serializers.UUIDField()
    date = DateField()
    hours = DecimalField(max_digits=4, decimal_places=2)
    kind = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    days_waiting = serializers.IntegerField()


class _MilestoneItem(_WorkItem):
    id = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField()
    reached_at = serializers.DateTimeField()


class _BehindItem(_WorkItem):
    hours_per_week = DecimalField(max_digits=9, decimal_places=2)
    projected_completion_date = DateField(allow_null=True)
    expected_end_date = DateField()
    on_track = serializers.BooleanField()


class _ProbationItem(_WorkItem):
    probation_hours = DecimalField(max_digits=7, decimal_places=2)
    hours_to_go = DecimalField(max_digits=9, decimal_places=2)
    projected_on = DateField(help_text="When the pace of the last 8 weeks reaches the probation hours.")


class _EndingItem(_WorkItem):
    expected_end_date = DateField()
    percent = serializers.FloatField(help_text="OJT percent done.")


class _ReviewOverdueItem(_WorkItem):
    reason = serializers.CharField(help_text="periodic or wage_step.")
    period = serializers.IntegerField(allow_null=True)
    milestone = serializers.UUIDField(allow_null=True, help_text="The wage-step milestone (wage-step reviews).")
    due_on = DateField()
    review = serializers.UUIDField(allow_null=True, help_text="The review started for it, if any.")
    status = serializers.CharField(allow_null=True, help_text="That review's status (draft or submitted).")


_WORK_LISTS: dict = {}


def _work_list(item: type[serializers.Serializer], help_text: str) -> serializers.Serializer:
    """{count, items} of one kind of item: one class per kind (one schema component each)."""
    if item not in _WORK_LISTS:
        fields = {
            "count": serializers.IntegerField(help_text="How many in all."),
            "items": item(many=True, help_text="The first 200."),
        }
        _WORK_LISTS[item] = type(f"WorkList{item.__name__.strip('_')}", (serializers.Serializer,), fields)
    return _WORK_LISTS[item](help_text=help_text)


class WorkSummarySerializer(serializers.Serializer):
    as_of = DateField()
    no_hours_lately = _work_list(_QuietItem, "Active apprentices with no hours logged in the last 7 days.")
    hours_waiting = _work_list(_WaitingLogItem, "Submitted hours waiting longer than 7 days, oldest first.")
    milestones_pending = _work_list(_MilestoneItem, "Milestones waiting for a decision (wage steps apart).")
    wage_steps_due = _work_list(_MilestoneItem, "Wage steps reached and not yet decided.")
    behind_pace = _work_list(_BehindItem, "Active apprentices whose pace does not finish by the expected end.")
    probation_ending = _work_list(_ProbationItem, "Probation ending within 30 days at the current pace.")
    ending_soon = _work_list(_EndingItem, "Expected end dates within 60 days (or past).")
    reviews_overdue = _work_list(
        _ReviewOverdueItem, "Progress reviews past their due date by more than 14 days and not signed, oldest first."
    )
