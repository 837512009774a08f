"""One screen per section of a postmortem, plus the library and dialogs."""
