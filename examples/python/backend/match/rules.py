"""Created by scaffold from specs/KW-3/spec.md; yours to edit: later spec changes are merged in.

What the spec of `match` leaves to people: the rules of its operations
(hooks the generated service calls before it acts), the fields it cannot
compute, and the bodies of free operations. The rest is in `service.py`.
"""

from ..scaffold_support import NotImplementedOperation
from .models import ImplInput, Option
from .repository import MatchRepository, OptionRepository


class MatchRules:
    """The hand-written part of `MatchService`, which inherits it: its
    repositories are attributes here too."""

    matches: MatchRepository
    options: OptionRepository

    async def impl(self, input: ImplInput) -> Option:
        """Impl.

        Free operation: answers 501 Not Implemented until its body is written.
        """
        raise NotImplementedOperation("Impl")
