"""Hand a page file that Streamlit ran on its own back to the entry script, dashboard.py.

With a pages/ folder beside dashboard.py, Streamlit 1.67 starts every server in its legacy
multipage mode: until some run has called st.navigation, a deep link such as /trends runs
pages/trends.py alone (no sign-in, no scope, no filters, a file-name menu). Each page module ends
with an `if __name__ == "__main__":` guard calling run_entry(), so such a run becomes a normal
run of dashboard.py, whose st.navigation ends the legacy mode for the whole process.
"""

from __future__ import annotations

import runpy
from pathlib import Path

ENTRY = Path(__file__).resolve().parents[1] / "dashboard.py"


def run_entry() -> None:
    """Run dashboard.py in the current script run, as `streamlit run dashboard.py` would."""
    runpy.run_path(str(ENTRY), run_name="__main__")
