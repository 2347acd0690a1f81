"""The catalog import pipeline: read -> map columns -> validate rows -> commit -> report."""
