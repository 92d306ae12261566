"""Running one function over many items in forked worker processes, in order.

The check pipeline uses this to evaluate many root modules at once: each worker is a
fork of the process that has already parsed everything, so it starts with the parsed
trees, the rules and the settings in memory (nothing of that is sent to it); only each
item's result comes back, pickled.  Pydantic models in a result travel as their field
values (:func:`pack` / :func:`unpack`): pickle's generic path for them costs several
times as much, which was a large share of what the workers saved.

Forking is used only where the platform offers it (Linux, other Unix); elsewhere
:func:`fork_available` is false and the caller works in its own process.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Iterable, Sequence

_work: Callable[[Any], Any] | None = None  # the function the forked workers call

_new_object = object.__new__
_object_setattr = object.__setattr__


def available_cores() -> int:
    """The cores this process may run on (a container's or ``taskset``'s CPU set, not
    every core of the machine), the default number of workers."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on every platform
        return max(1, os.cpu_count() or 1)


def fork_available() -> bool:
    if sys.platform == "win32":
        return False
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _call(item: Any) -> tuple[bool, Any]:
    """In a worker: ``(True, result)``, or ``(False, (exception, traceback text))`` (an
    exception that cannot be pickled is sent as a RuntimeError with its text)."""
    assert _work is not None
    try:
        return True, _work(item)
    except Exception as exc:
        import pickle
        import traceback

        text = traceback.format_exc()
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        return False, (exc, text)


def in_processes(function: Callable[[Any], Any], items: Sequence[Any], workers: int, context: Any,
                 chunksize: int = 1) -> list[Any] | None:
    """``[function(item) for item in items]`` by a pool of ``workers`` processes made by
    the multiprocessing ``context``, in order; None when a worker died (killed for
    memory, a crash in an extension): the caller then does the work itself.  (A pool
    that waits for a dead worker, as ``multiprocessing.Pool`` does, waits for ever.)"""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(function, items, chunksize=chunksize))
    except BrokenProcessPool:
        return None


def map_forked(work: Callable[[Any], Any], items: Sequence[Any], workers: int) -> list[Any]:
    """``[work(item) for item in items]``, computed by ``workers`` forked processes.

    ``work`` and everything it reads are inherited by the fork; each item and each
    result is pickled.  An exception in a worker is raised here.  When a worker dies,
    the work is done again in this process, as ``--jobs 1`` would."""
    import gc
    import multiprocessing

    global _work
    _work = work
    # what the parent holds now is not walked by the collector in the workers (which
    # would touch, and so copy, every page of it)
    gc.freeze()
    try:
        answers = in_processes(_call, items, workers, multiprocessing.get_context("fork"))
    finally:
        _work = None
        gc.unfreeze()
    if answers is None:
        return [work(item) for item in items]
    results = []
    for ok, answer in answers:
        if not ok:
            exc, text = answer
            exc.add_note(f"raised in a worker process:\n{text}")  # shown with --debug
            raise exc
        results.append(answer)
    return results


# ---------------------------------------------------------------- models by value


def pack(models: Iterable[Any]) -> tuple[list[type], list[tuple[str, ...]], list[tuple]]:
    """Pydantic models (made by ``model_construct`` or validation) as plain tuples:
    each model's class index, its field values, its set-fields index.  Nested models
    (a finding's suppression) stay models, pickled the generic way: they are rare."""
    from operator import itemgetter

    classes: dict[type, int] = {}
    getters: list[Callable[[dict], tuple]] = []
    field_sets: dict[frozenset, int] = {}
    rows = []
    for model in models:
        cls = type(model)
        ci = classes.get(cls)
        if ci is None:
            ci = classes[cls] = len(classes)
            names = tuple(cls.model_fields)
            get = itemgetter(*names)
            getters.append(get if len(names) > 1 else (lambda d, get=get: (get(d),)))
        fs = frozenset(model.__pydantic_fields_set__)
        fi = field_sets.get(fs)
        if fi is None:
            fi = field_sets[fs] = len(field_sets)
        if model.__pydantic_extra__ is not None or model.__pydantic_private__ is not None:
            raise TypeError(f"{cls.__name__} has extra or private values: not packable")
        rows.append((ci, fi, getters[ci](model.__dict__)))  # in the fields' order
    return list(classes), [tuple(sorted(fs)) for fs in field_sets], rows


def unpack(packed: tuple[list[type], list[tuple[str, ...]], list[tuple]]) -> list[Any]:
    """The models :func:`pack` was given: equal, field for field and set-fields too."""
    classes, field_sets, rows = packed
    names = [tuple(cls.model_fields) for cls in classes]
    out = []
    append = out.append
    for ci, fi, values in rows:
        obj = _new_object(classes[ci])
        _object_setattr(obj, "__dict__", dict(zip(names[ci], values)))
        _object_setattr(obj, "__pydantic_fields_set__", set(field_sets[fi]))
        _object_setattr(obj, "__pydantic_extra__", None)
        _object_setattr(obj, "__pydantic_private__", None)
        append(obj)
    return out
