from datetime import date

from reportlab.graphics.shapes import Drawing

from assessments.charts import (
    ChartSeries,
    ReferenceBand,
    drawing_to_svg,
    format_date,
    format_value,
    nice_ticks,
    progress_chart,
)

CVA = ChartSeries(
    "Craniovertebral angle (CVA)",
    ((date(2026, 1, 5), 44.0), (date(2026, 2, 9), None), (date(2026, 3, 2), 46.5)),
    "degrees",
    50.0,
    "typical from 50°",
)


def svg_of(*args, **kwargs):
    return drawing_to_svg(progress_chart(*args, **kwargs))


def test_chart_is_a_reportlab_drawing_for_the_pdf_too():
    assert isinstance(progress_chart(CVA), Drawing)


def test_svg_is_ready_to_inline_without_an_xml_prolog():
    assert svg_of(CVA).startswith("<svg ")


def test_svg_shows_the_title_unit_and_values():
    svg = svg_of(CVA)
    assert "Craniovertebral angle (CVA)" in svg
    assert "degrees" in svg
    assert ">44<" in svg
    assert ">46.5<" in svg


def test_svg_shows_the_reference_line_label():
    assert "typical from 50°" in svg_of(CVA)


def test_svg_dates_are_readable_on_the_x_axis():
    svg = svg_of(CVA)
    assert "5 Jan 2026" in svg
    assert "2 Mar 2026" in svg


def test_svg_is_titled_for_screen_readers():
    svg = svg_of(CVA)
    assert "<title>Craniovertebral angle (CVA)</title>" in svg
    assert 'role="img"' in svg


def test_a_gap_is_described_as_not_measured_not_drawn_as_zero():
    svg = svg_of(CVA)
    assert "9 Feb 2026 not measured" in svg
    assert ">0<" not in svg


def test_a_single_point_draws():
    one = ChartSeries("Timed Up and Go", ((date(2026, 3, 2), 13.2),), "seconds", 12.0)
    assert ">13.2<" in svg_of(one)


def test_equal_values_draw_with_room_around_them():
    flat = ChartSeries("Tandem stance", ((date(2026, 1, 1), 10.0), (date(2026, 2, 1), 10.0)))
    svg = svg_of(flat)
    assert svg.count(">10<") >= 2
    assert ">9<" in svg
    assert ">11<" in svg


def test_two_series_get_a_legend():
    right = ChartSeries("Right side", ((date(2026, 1, 1), 12.0), (date(2026, 2, 1), 13.0)))
    left = ChartSeries("Left side", ((date(2026, 1, 1), 14.0), (date(2026, 2, 1), 15.0)))
    svg = svg_of([left, right], title="Pelvic tilt", unit="degrees")
    assert "Left side" in svg
    assert "Right side" in svg
    assert "Pelvic tilt" in svg


def test_a_norm_band_is_labelled():
    stands = ChartSeries("30-second chair stand", ((date(2026, 1, 1), 9.0),), "repetitions")
    svg = svg_of(stands, band=ReferenceBand(10, 15, "typical range, women 70-74"))
    assert "typical range, women 70-74" in svg


def test_no_values_at_all_says_so():
    empty = ChartSeries("6-minute walk", ((date(2026, 1, 1), None),), "m")
    assert "No measurements yet" in svg_of(empty)


def test_user_text_is_escaped_in_the_svg():
    named = ChartSeries('<b>Ana</b> & "Zoë"', ((date(2026, 1, 1), 1.0),))
    svg = svg_of(named)
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp;" in svg
    assert "<b>" not in svg


def test_any_object_with_points_and_a_title_can_be_charted():
    class Stored:
        title = "Back scratch"
        unit = "cm"
        points = ((date(2026, 1, 1), -3.5), (date(2026, 4, 1), -2.0))
        reference = None
        reference_label = None

    assert ">-3.5<" in svg_of(Stored())


def test_values_are_labelled_with_at_most_two_decimals():
    assert (format_value(557.784), format_value(44.0), format_value(-0.0)) == ("557.78", "44", "0")


def test_dates_are_written_day_month_year():
    assert format_date(date(2026, 3, 2)) == "2 Mar 2026"


def test_ticks_are_round_numbers_covering_the_range():
    assert nice_ticks(43.4, 47.1) == [43.0, 44.0, 45.0, 46.0, 47.0, 48.0]
