"""The progress chart's labels, month ticks and text alternative are in the reader's language."""

import re
import xml.etree.ElementTree as ET

from tests.reports.conftest import chart_url

SVG = "{http://www.w3.org/2000/svg}"


def _chart(client, apprenticeship):
    response = client.get(chart_url(apprenticeship))
    assert response.status_code == 200, response.content
    return ET.fromstring(response.content)


def _texts(root) -> str:
    return " ".join("".join(text.itertext()) for text in root.iter(f"{SVG}text"))


def _months(root) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text") if "month" in (text.get("class") or "")]


def test_a_spanish_reader_gets_the_chart_in_spanish(client_for, apprentice, apprenticeship):
    apprentice.language = "es"
    apprentice.save()

    root = _chart(client_for(apprentice), apprenticeship)

    months = _months(root)
    assert months
    assert all(re.fullmatch(r"[a-z]{3} \d{4}", month) for month in months), months
    texts = _texts(root)
    assert "Horas de capacitación en el trabajo (OJT):" in texts
    assert "Instrucción relacionada (RTI):" in texts
    assert "requeridas 2,000 h" in texts
    assert "fin previsto" in texts
    description = root.find(f"{SVG}desc").text
    assert "Capacitación en el trabajo (OJT): 0.00 de 2,000 horas (0%)." in description
    assert "Finalización prevista:" in description or "finalización prevista:" in description


def test_an_english_reader_gets_the_same_chart_in_english(client_for, apprentice, apprenticeship):
    root = _chart(client_for(apprentice), apprenticeship)

    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", month) for month in _months(root))
    assert "On-the-job hours:" in _texts(root)
    assert "On-the-job: 0.00 of 2,000 hours (0%)." in root.find(f"{SVG}desc").text
