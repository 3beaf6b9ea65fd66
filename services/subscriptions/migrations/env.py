from services.chassis.migrations import run_env
from services.subscriptions.models import Base

run_env(Base.metadata)
