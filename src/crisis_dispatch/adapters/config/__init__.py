"""Configuration files validated by pydantic: scenarios, sweep grids, triage protocols and
code mappings. Each module turns raw data (from TOML, YAML, CSV) into the existing frozen
domain objects; :mod:`.errors` turns pydantic's errors into our one-line located messages
(``location: what is wrong``), in one place.
"""
