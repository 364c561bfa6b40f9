"""The WSGI entry point that gunicorn's workers load (portal/wsgi.py)."""

import gc
import importlib

import portal.wsgi


def test_a_worker_freezes_what_it_loaded_and_collects_young_objects_less_often():
    thresholds = gc.get_threshold()
    gc.unfreeze()
    assert gc.get_freeze_count() == 0

    importlib.reload(portal.wsgi)

    try:
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 7_000
        assert callable(portal.wsgi.application)
    finally:  # the test process as it was
        gc.unfreeze()
        gc.set_threshold(*thresholds)
