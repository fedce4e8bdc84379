"""CSV exports that are safe to open in a spreadsheet."""


def spreadsheet_safe(value: object) -> object:
    """A text cell starting with = + - @ (or a tab or carriage return) would run as a formula in
    Excel or LibreOffice; a learner's name or a course title must not. Prefix it with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
