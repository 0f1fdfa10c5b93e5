"""The command line's subcommands, one module each, imported only when used (fast start)."""
