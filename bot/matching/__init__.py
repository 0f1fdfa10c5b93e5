"""Matching what people type to a status: normalisation, language guess, label and keyword matching."""
