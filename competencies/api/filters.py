from portal.api.fields import DateFromToRangeFilter
from portal.api.filters import FilterSet

from ..models import HourLog


class HourLogFilter(FilterSet):
    """?status=&kind=&apprenticeship=&work_process=&hour_import=&date_after=&date_before="""

    date = DateFromToRangeFilter()

    class Meta:
        model = HourLog
        fields = ["status", "kind", "apprenticeship", "work_process", "hour_import", "date"]
