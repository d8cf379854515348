"""How much one program may hold and how often a client may log a session.

Practice defaults, not clinical facts: no source fixes these numbers. They sit well above
any real program (the population profiles suggest at most 4 exercises a phase and 11 a
program; their parser allows 8 a phase over 4 phases) and exist so that no one, by
mistake or on purpose, can make a plan too large to render or a log too long to read.
"""

from __future__ import annotations

MAX_ITEMS_PER_PHASE = 12
MAX_ITEMS_PER_PROGRAM = 40
MAX_SESSION_LOGS_PER_DAY = 3  # per plan version, counted by the day the session was done

PHASE_FULL = (
    f"This phase already holds {MAX_ITEMS_PER_PHASE} exercises, the most a phase may hold "
    "(a practice default). Remove one before adding another."
)
PROGRAM_FULL = (
    f"This program already holds {MAX_ITEMS_PER_PROGRAM} exercises, the most a program may "
    "hold (a practice default). Remove one before adding another."
)
SESSION_LOGS_FULL = (
    f"You have already logged {MAX_SESSION_LOGS_PER_DAY} sessions for this day, the most "
    "a plan takes for one day. Add anything else to the note of a session you logged."
)
