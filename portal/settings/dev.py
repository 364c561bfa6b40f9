"""Local development and the demo: debug on, e-mail to the console unless EMAIL_URL says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
