class DepartmentCodeConverter:
    """01–95, 2A/2B (Corsica) and 971–976 (overseas)."""

    regex = r"(?:97[1-6]|2[ABab]|[0-9]{2})"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return str(value)


class InseeCodeConverter:
    regex = r"(?:2[ABab][0-9]{3}|[0-9]{5})"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return str(value)
