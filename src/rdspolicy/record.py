"""A base for small data classes that are created at every start-up.

``@dataclass`` compiles the source of each method it writes when the class is created:
about 0.6 ms a class (more when frozen), a few percent of a small check for the classes
on its path.  A :class:`Record` writes its own ``__init__`` and gets what the dataclass
gave it besides: ``__repr__`` and ``__eq__`` over ``_fields`` (the same text and the
same comparison), and no hash.  The rule API (``Rule``, ``Param``, ``Verdict``) stays
dataclasses: rule packs may use :func:`dataclasses.replace` on them.
"""

from __future__ import annotations

import reprlib


class Record:
    #: the field names, in order: what ``__eq__`` compares and ``__repr__`` shows
    _fields: tuple[str, ...] = ()
    #: the fields ``__repr__`` shows, when not all of them (``repr=False`` fields)
    _repr_fields: tuple[str, ...] | None = None

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: as a dataclass

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        names = self._fields if self._repr_fields is None else self._repr_fields
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"

    def __eq__(self, other: object):
        if other.__class__ is self.__class__:
            return tuple(getattr(self, n) for n in self._fields) == tuple(getattr(other, n) for n in self._fields)
        return NotImplemented
