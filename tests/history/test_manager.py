"""Writing a history record reads its model's history manager: the manager's class is built once
(portal/history.py), not once for each record written."""

from competencies.models import HourLog
from notifications.models import Notification
from portal.history import HistoryManager


def test_a_models_history_manager_class_is_built_once():
    assert type(HourLog.history) is type(HourLog.history)
    assert isinstance(HourLog.history, HistoryManager)


def test_one_manager_class_still_reads_each_models_own_history():
    assert HourLog.history.model.__name__ == "HistoricalHourLog"
    assert Notification.history.model.__name__ == "HistoricalNotification"
