from services.applicants.adapters.orm import metadata
from services.common.migrate import run_env

run_env(metadata)
