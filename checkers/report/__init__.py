"""The report of a run, in four renderings.

- `table`: the terminal table, the summary line, the mismatches and the gauntlet's line;
- `json_report`: the JSON document (schema in docs/json.md), its timing-free comparable form, the SMT-LIB2 texts;
- `markdown`: the review of the post, as Markdown and as one self-contained HTML file;
- `plots`: the figures of evidence and the argument graph (PNG);
- `outputs`: output paths checked before a run, atomic writes.
"""

from checkers.report.json_report import (
    SCHEMA,
    comparable_json,
    differences,
    strip_timings,
    to_json,
    write_json,
    write_smt_dir,
)
from checkers.report.markdown import (
    VERDICT_GUIDE,
    write_html,
    write_markdown,
    write_report,
)
from checkers.report.plots import Drawn, draw, draw_claims
from checkers.report.table import (
    TABLE_WIDTH,
    Gauntlet,
    gauntlet_line,
    mismatches,
    plural,
    render_table,
    summary_line,
)

__all__ = [
    "SCHEMA", "TABLE_WIDTH", "VERDICT_GUIDE", "Drawn", "Gauntlet", "comparable_json", "differences", "draw", "draw_claims",
    "gauntlet_line", "mismatches", "plural", "render_table", "strip_timings", "summary_line", "to_json", "write_html",
    "write_json", "write_markdown", "write_report", "write_smt_dir",
]
