"""briefing command line: agency client, local runner, operator tools (not shipped in the layer)."""
