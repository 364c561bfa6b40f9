import django_filters

from ..models import HourLog


class HourLogFilter(django_filters.FilterSet):
    """?status=&kind=&apprenticeship=&work_process=&date_after=&date_before="""

    date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = HourLog
        fields = ["status", "kind", "apprenticeship", "work_process", "date"]
