"""``python -m rdspolicy.parse --write-packaged-grammar``: compile the grammar and write
the entry packaged with rdspolicy (when python-hcl2, lark or our grammar changes;
tests/test_parse.py says when)."""

import sys

from .grammar import write_packaged_grammar

if sys.argv[1:] != ["--write-packaged-grammar"]:
    sys.exit("usage: python -m rdspolicy.parse --write-packaged-grammar")
print(write_packaged_grammar())
