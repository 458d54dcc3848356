"""CSV files the agents open in a spreadsheet: no cell may start a formula."""


def safe_cell(value) -> str:
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def safe_row(values) -> list[str]:
    return [safe_cell(v) for v in values]
