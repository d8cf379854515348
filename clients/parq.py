"""PAR-Q+ general questions as data, and what the answers mean (pure).

Wording paraphrases the seven general questions of the PAR-Q+ (2021-2023 versions),
source ids PARQ-JTM, PARQ-MVPF, PARQ-Wellness, PARQ-FRS in shared/domain/reference.md §9.1.
"""

from __future__ import annotations

from collections.abc import Iterable

PARQ_SOURCE = "PARQ-JTM"

QUESTIONS: dict[int, str] = {
    1: "Has a doctor ever said you have a heart condition or high blood pressure?",
    2: "Do you feel pain in your chest at rest, during daily activities, or when you do "
    "physical activity?",
    3: "In the past 12 months, have you lost balance because of dizziness, or lost "
    "consciousness? (Answer no if the dizziness came from over-breathing, including "
    "during hard exercise.)",
    4: "Have you ever been diagnosed with another chronic medical condition (other than "
    "heart disease or high blood pressure)?",
    5: "Are you currently taking prescribed medication for a chronic medical condition?",
    6: "Do you have, or have you had in the past 12 months, a bone, joint or soft-tissue "
    "(muscle, ligament or tendon) problem that could be made worse by becoming more "
    "physically active? (Answer no if a past problem no longer limits you.)",
    7: "Has a doctor ever said that you should only do medically supervised physical activity?",
}

ALL_NO_GUIDANCE = (
    "All answers were no: the client can start becoming more active, slowly and progressively."
)
ANY_YES_GUIDANCE = (
    "At least one answer was yes: medical clearance is recommended before exercise. "
    "Ask the client to discuss the answers marked yes with a physician, and record the "
    "clearance here when it is given."
)


def yes_numbers(answers: dict[int, bool]) -> list[int]:
    """The question numbers answered yes, in order."""
    return sorted(number for number, answer in answers.items() if answer)


def needs_clearance(yes: Iterable[int]) -> bool:
    """Any yes to a general question means medical clearance is recommended."""
    return any(True for _ in yes)
