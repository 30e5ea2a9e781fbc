"""Where Ascolto's logs go: the one logging configuration, for the app and the command line.

Every other module logs through logging.getLogger(__name__); configure() gives the house's
loggers (data_access, ui, pages) one handler on stderr, at the level ASCOLTO_LOG_LEVEL names.
Other libraries' loggers are left as they are, so SQLAlchemy and Alembic stay quiet.
"""

from __future__ import annotations

import logging
import os
import sys

LEVEL_VARIABLE = "ASCOLTO_LOG_LEVEL"
DEFAULT_LEVEL = "INFO"
LOGGERS = ("data_access", "ui", "pages")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

logger = logging.getLogger(__name__)


class _Handler(logging.StreamHandler):
    """The house's handler: writes to sys.stderr as it is now (a test may have swapped it), and
    is told apart so configure() run again replaces it, never adds a second one."""

    @property
    def stream(self):  # a text stream
        """The current sys.stderr."""
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        """Ignored: the stream is always the current sys.stderr."""


def level() -> int:
    """The level ASCOLTO_LOG_LEVEL names (DEBUG, INFO, WARNING, ERROR), INFO when unset."""
    name = (os.environ.get(LEVEL_VARIABLE) or DEFAULT_LEVEL).strip().upper()
    return logging.getLevelNamesMapping().get(name, logging.INFO)


def configure() -> None:
    """Send the house's logs to stderr at ASCOLTO_LOG_LEVEL; safe to call on every run."""
    handler = _Handler()
    handler.setFormatter(logging.Formatter(FORMAT))
    for name in LOGGERS:
        house = logging.getLogger(name)
        for old in [h for h in house.handlers if isinstance(h, _Handler)]:
            house.removeHandler(old)
        house.addHandler(handler)
        house.setLevel(level())
    asked = os.environ.get(LEVEL_VARIABLE, "")
    if asked and asked.strip().upper() not in logging.getLevelNamesMapping():
        logger.warning("%s=%s is not a level; logging at %s", LEVEL_VARIABLE, asked, DEFAULT_LEVEL)
