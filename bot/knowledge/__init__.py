"""The knowledge base: one YAML entry per invitation status, validated and loaded into memory."""
