"""Server-rendered SVG charts: well-formed, named and described for assistive technology."""

import xml.etree.ElementTree as ET

from core.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(chart):
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own output, not untrusted input


def weeks(**overrides):
    options = {
        "chart_id": "weeks",
        "title": "Enrolments per week",
        "desc": "12 enrolments over 3 weeks.",
        "labels": ["05 Jan", "12 Jan", "19 Jan"],
        "values": [5, 0, 7],
        "x_label": "Week starting",
        "y_label": "Enrolments",
    }
    return line_chart(**{**options, **overrides})


def test_a_line_chart_is_valid_svg_named_by_its_title_and_desc():
    root = parse(weeks())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Enrolments per week"
    assert desc.text == "12 enrolments over 3 weeks."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_a_line_chart_has_axis_labels_and_a_point_per_value():
    root = parse(weeks())
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Week starting" in texts and "Enrolments" in texts
    points = root.findall(f".//{SVG}circle")
    assert [p.find(f"{SVG}title").text for p in points] == ["05 Jan: 5", "12 Jan: 0", "19 Jan: 7"]
    assert len(root.find(f".//{SVG}polyline").get("points").split()) == 3


def test_the_data_table_rows_carry_the_same_figures():
    chart = weeks()
    assert chart.rows == [("05 Jan", "5"), ("12 Jan", "0"), ("19 Jan", "7")]


def test_a_bar_chart_of_shares_draws_a_bar_per_value_on_a_percent_axis():
    chart = bar_chart(
        chart_id="lessons",
        title="Finished each lesson",
        desc="Most drop off at lesson 2.",
        labels=["1", "2"],
        values=[1.0, 0.25],
        x_label="Lesson",
        y_label="Learners",
        percent=True,
    )
    root = parse(chart)
    bars = root.findall(f".//{SVG}rect")
    assert [b.find(f"{SVG}title").text for b in bars] == ["1: 100 %", "2: 25 %"]
    assert float(bars[0].get("height")) == 4 * float(bars[1].get("height"))
    assert "100 %" in [t.text for t in root.iter(f"{SVG}text")]


def test_text_is_escaped():
    root = parse(weeks(title='<script>"&', labels=["<a>", "b", "c"]))
    assert root.find(f"{SVG}title").text == '<script>"&'
    assert root.find(f".//{SVG}circle/{SVG}title").text == "<a>: 5"


def test_an_empty_chart_still_renders_and_says_so():
    root = parse(weeks(labels=[], values=[]))
    assert "No data yet" in [t.text for t in root.iter(f"{SVG}text")]


def test_long_series_label_only_some_ticks():
    labels = [str(n) for n in range(52)]
    root = parse(weeks(labels=labels, values=list(range(52))))
    tick_labels = [t.text for t in root.iter(f"{SVG}text") if t.text in labels]
    assert len(root.findall(f".//{SVG}circle")) == 52
    assert len(tick_labels) <= 8 + 5  # x labels thinned to 8, plus the 5 y ticks
