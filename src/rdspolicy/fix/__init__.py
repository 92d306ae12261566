"""``rdspolicy fix``: each failing finding's fix (declared by its rule: ``Rule.fix`` and
the change classes of :mod:`rdspolicy.rule`) placed where the value comes from in its
environment (:mod:`.place`), spliced into the files with their formatting kept
(:mod:`.text`, :mod:`.apply`), shown as a diff or written, and checked again
(:mod:`.run`, :mod:`.command`)."""
