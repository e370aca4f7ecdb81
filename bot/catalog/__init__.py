"""The task and employee catalogue: source files, database models, import and queries."""
