"""Finding versions (directory, compiled list, git revision) and loading their files."""
