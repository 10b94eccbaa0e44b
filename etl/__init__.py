"""Wijkimpact ETL: read source files, validate them and load DuckDB atomically."""
