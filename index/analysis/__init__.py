"""Analysing one article's text: cleaning, metadata, language, dates, outlets, folding, terms, entities."""
