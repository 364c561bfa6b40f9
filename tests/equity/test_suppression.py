"""The suppression rules on tables small enough to check by hand (competencies/suppression.py)."""

from competencies.suppression import suppressed_cells


def test_a_count_under_the_threshold_is_suppressed_and_zero_and_the_threshold_are_not():
    values = {"a": 0, "b": 1, "c": 4, "d": 5}

    assert suppressed_cells(values, threshold=5, sums=[]) == {"b", "c"}


def test_one_suppressed_part_of_a_sum_takes_the_next_smallest_part_with_it():
    values = {"total": 30, "a": 3, "b": 12, "c": 15}

    hidden = suppressed_cells(values, threshold=5, sums=[("total", ["a", "b", "c"])])

    assert hidden == {"a", "b"}


def test_a_non_zero_complement_is_chosen_before_a_zero_and_a_part_before_the_total():
    values = {"total": 13, "a": 3, "b": 0, "c": 10}

    assert suppressed_cells(values, threshold=5, sums=[("total", ["a", "b", "c"])]) == {"a", "c"}


def test_a_zero_is_the_complement_when_nothing_else_is_left():
    values = {"total": 3, "a": 3, "b": 0}

    # The total is itself small: two of the sum are hidden, nothing more is needed.
    assert suppressed_cells(values, threshold=5, sums=[("total", ["a", "b"])]) == {"total", "a"}


def test_a_small_rows_zeros_are_suppressed_with_its_head():
    values = {"head": 3, "active": 3, "completed": 0}

    hidden = suppressed_cells(values, threshold=5, sums=[], rows=[("head", ["active", "completed"])])

    assert hidden == {"head", "active", "completed"}


def test_suppression_cascades_until_no_sum_has_exactly_one_hidden_cell():
    # Two breakdowns of the same 40 people share the total; rows and columns both add up.
    values = {"t": 40, "x1": 2, "x2": 38, "y1": 20, "y2": 20, "x1y1": 2, "x1y2": 0, "x2y1": 18, "x2y2": 20}
    sums = [
        ("t", ["x1", "x2"]),
        ("t", ["y1", "y2"]),
        ("x1", ["x1y1", "x1y2"]),
        ("x2", ["x2y1", "x2y2"]),
        ("y1", ["x1y1", "x2y1"]),
        ("y2", ["x1y2", "x2y2"]),
    ]

    hidden = suppressed_cells(values, threshold=5, sums=sums)

    for total, parts in sums:
        assert sum(cell in hidden for cell in [total, *parts]) != 1
    assert {"x1", "x1y1"} <= hidden
