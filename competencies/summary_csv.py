"""The sponsor's summary as CSV (`reports/summary/?format=csv`): one figure a line, so that the
file keeps its shape whatever figures the summary gains: section, id, name, figure, value."""

from collections.abc import Iterator


def _plain(value) -> object:
    return "" if value is None else value if isinstance(value, str | int | float) else str(value)


def _numbers(section: str, record_id, name: str, numbers: dict) -> Iterator[list]:
    for figure, value in numbers.items():
        if figure in ("id", "title", "name"):
            continue
        if isinstance(value, dict):
            for key, inner in value.items():
                yield [section, record_id, name, f"{figure}.{key}", _plain(inner)]
        else:
            yield [section, record_id, name, figure, _plain(value)]


def summary_csv_rows(data: dict) -> Iterator[list]:
    """`data`: the summary as the API writes it (SummarySerializer)."""
    yield ["section", "id", "name", "figure", "value"]
    totals = {key: value for key, value in data.items() if key not in ("by_program", "by_employer", "outcomes")}
    yield from _numbers("total", "", "", totals)
    for program in data["by_program"]:
        yield from _numbers("program", program["id"], program["title"], program)
    for employer in data["by_employer"]:
        yield from _numbers("employer", employer["id"], employer["name"], employer)
    outcomes = {key: value for key, value in data["outcomes"].items() if key != "priority_populations"}
    yield from _numbers("outcomes", "", "", outcomes)
    populations = data["outcomes"]["priority_populations"]
    yield ["outcomes", "", "", "priority_populations.participants", populations["participants"]]
    yield from _numbers("outcomes", "", "", {"priority_populations.in_any": populations["in_any"]})
    for population in populations["populations"]:
        yield from _numbers(
            "priority_population",
            "",
            population["name"],
            {"count": population["count"], "share": _plain(population["share"]), "criterion": population["criterion"]},
        )
