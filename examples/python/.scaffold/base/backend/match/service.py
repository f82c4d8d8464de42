"""Created by scaffold from specs/KW-3/spec.md; yours to edit: later spec changes are merged in.

The `match` service: one method per operation, and the domain's errors.
"""

from typing import Self

from ..scaffold_support import DomainError, NotImplementedOperation
from .models import CreateMatchInput, ImplInput, Match, Option
from .repository import (
    InMemoryMatchRepository,
    InMemoryOptionRepository,
    MatchRepository,
    OptionRepository,
)


class MatchError(DomainError):
    """Everything an operation of `match` can fail with."""


class NoMatchError(MatchError):
    """NO_MATCH (404): No such match"""

    code = "NO_MATCH"
    status = 404
    message = "No such match"


class MatchService:
    """The operations of `match`."""

    def __init__(self, matches: MatchRepository, options: OptionRepository) -> None:
        self.matches = matches
        self.options = options

    @classmethod
    def in_memory(cls) -> Self:
        """A service over in-memory repositories."""
        return cls(InMemoryMatchRepository(), InMemoryOptionRepository())

    async def create_match(self, input: CreateMatchInput) -> Match:
        """CreateMatch."""
        item = Match(
            id=input.id,
            type=input.type,
            ref=input.ref,
            async_=input.async_,
            move=input.move,
            where=None,
        )
        return await self.matches.insert(item)

    async def loop(self, match_id: str) -> Match:
        """Loop.

        Errors: `NO_MATCH`.
        """
        item = await self.matches.get(match_id)
        if item is None:
            raise NoMatchError()
        return item

    async def impl(self, input: ImplInput) -> Option:
        """Impl.

        Free operation: answers 501 Not Implemented until its body is written.
        """
        raise NotImplementedOperation("Impl")
