from clients import parq


def test_parq_has_the_seven_general_questions():
    assert sorted(parq.QUESTIONS) == [1, 2, 3, 4, 5, 6, 7]


def test_all_no_needs_no_clearance():
    assert not parq.needs_clearance(parq.yes_numbers(dict.fromkeys(range(1, 8), False)))


def test_any_yes_needs_clearance():
    answers = dict.fromkeys(range(1, 8), False) | {6: True}
    assert parq.yes_numbers(answers) == [6]
    assert parq.needs_clearance([6])
