"""harvester: I/O around the pure `cleaners` package — read, run, write, fetch, and the CLI."""
