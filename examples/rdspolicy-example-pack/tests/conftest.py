import sys
from pathlib import Path

# the tests run against the sources whether or not the pack is installed
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
