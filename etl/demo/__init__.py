"""Deterministic generator for the bundled, fictional demo data set "Demostad" (GM9999)."""

from etl.demo.generator import generate

__all__ = ["generate"]
