from services.budget.adapters.orm import metadata
from services.common.migrate import run_env

run_env(metadata)
