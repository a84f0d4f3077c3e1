"""Decidim open-data exports (placeholder until the module lands)."""


def sniff(data: bytes) -> bool:
    return False


def read(data, name, options, cities):  # pragma: no cover
    raise NotImplementedError
