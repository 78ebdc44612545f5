"""Extractors: from an Article to mentions, entities and facts with evidence."""
