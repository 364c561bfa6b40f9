"""Where every settings module reads the environment from: the project folder and one `env`.

Its own module so that base.py and hrtp.py share one `env` that has already read the project's
.env file (values set in the real environment win), whichever of them is imported first.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
