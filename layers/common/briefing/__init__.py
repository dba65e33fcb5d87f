"""briefing: the runtime core shipped to Lambda in the common layer.

Sub-packages by capability: ``releases`` (ingestion), ``moderation`` (comments),
``index`` (read side), ``storage`` (AWS adapters). Nothing here imports a handler,
the CLI, or moto.
"""
