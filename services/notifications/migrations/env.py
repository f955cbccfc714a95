from services.common.migrate import run_env
from services.notifications.adapters.orm import metadata

run_env(metadata)
