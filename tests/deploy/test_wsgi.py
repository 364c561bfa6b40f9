"""The WSGI entry point that gunicorn's workers load (portal/wsgi.py)."""

import gc
import importlib

import portal.wsgi


def test_a_worker_freezes_what_it_loaded_out_of_the_collectors_passes():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0

    importlib.reload(portal.wsgi)

    try:
        assert gc.get_freeze_count() > 0
        assert callable(portal.wsgi.application)
    finally:
        gc.unfreeze()  # the test process as it was
