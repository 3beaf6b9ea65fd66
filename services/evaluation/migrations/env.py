from services.chassis.migrations import run_env
from services.evaluation.models import Base

run_env(Base.metadata)
