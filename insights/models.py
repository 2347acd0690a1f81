"""Seasons, market brands, sales facts and the rollups that insights read."""
