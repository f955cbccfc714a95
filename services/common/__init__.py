"""Mechanisms every service needs and nothing domain-specific."""

from .arguments import keep_schema_instances
from .korean import use_korean_messages

# Field messages are fixed when a schema's fields are built (at import of the schema
# modules, which all import this package first): make them Korean before that.
use_korean_messages()
keep_schema_instances()
