"""The postmortem terminal app and the `postmortem` command.

This package's __init__ imports nothing heavy: the CLI commands that don't
open the UI (list, export, import) must never pay for importing Textual.
"""
