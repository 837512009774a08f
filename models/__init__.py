"""The data layer of postmortem.

Nothing in this package imports Textual, so the command line and other tools can
use it without paying for the UI. Heavy modules (SQLModel, the store) are imported
by name where needed rather than re-exported here, keeping `import models` cheap.
"""
