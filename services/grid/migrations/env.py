from services.chassis.migrations import run_env
from services.grid.models import Base

run_env(Base.metadata)
