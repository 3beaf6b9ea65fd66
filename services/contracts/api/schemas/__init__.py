"""Request and response schemas of the contracts API (the contract with its clients)."""

from .catalogue import (  # noqa: F401
    PackageCreateSchema,
    PackageQuerySchema,
    PackageSchema,
    ProviderAuditQuerySchema,
    ProviderContactSchema,
    ProviderCreateSchema,
    ProviderQuerySchema,
    ProviderSchema,
    ProviderStatusSchema,
)
from .contracts import (  # noqa: F401
    AmendmentCreateSchema,
    AmendmentSchema,
    ContractCreateSchema,
    ContractEditSchema,
    ContractQuerySchema,
    ContractSchema,
    ReasonSchema,
    SignatureCreateSchema,
    StepSchema,
)
from .money import (  # noqa: F401
    AccountQuerySchema,
    AccountSchema,
    AllocationCreateSchema,
    BudgetAllocationSchema,
    BudgetCreateSchema,
    BudgetQuerySchema,
    BudgetSchema,
    EntrySchema,
    OcdsQuerySchema,
    PaymentCreateSchema,
    PaymentQuerySchema,
    PaymentSchema,
)
from .procurement import (  # noqa: F401
    AwardProposalSchema,
    BidCreateSchema,
    BidSchema,
    DecisionSchema,
    ReasonOnlySchema,
    TenderCreateSchema,
    TenderQuerySchema,
    TenderSchema,
)
