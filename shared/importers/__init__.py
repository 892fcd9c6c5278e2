"""Parsers of the files an operator imports: one module per format, each `parse(data, name)`."""
