"""Logger, metrics and tracer shared by every function; configured by POWERTOOLS_* variables.

Never log bodies, comment texts or personal data: log ids, agencies, reasons and counts.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
metrics = Metrics()
tracer = Tracer()
