from services.common.migrate import run_env
from services.markets.adapters.orm import metadata

run_env(metadata)
