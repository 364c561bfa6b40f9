import django_filters

from portal.api.filters import FilterSet

from ..models import HourLog


class HourLogFilter(FilterSet):
    """?status=&kind=&apprenticeship=&work_process=&date_after=&date_before="""

    date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = HourLog
        fields = ["status", "kind", "apprenticeship", "work_process", "date"]
