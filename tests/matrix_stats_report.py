"""Permission-matrix rows of the stats report (工作报告) and the plausibility checks (数据核查).

Who: admins and secretaries read them for the subtrees they hold (the dashboard's rule); without a
node in the query string they open their own area (so the other county's do too: SAME). Other staff
roles get 403, young people 404 (no staff pages at all). A node of another county in the query
string answers 404 like a missing one: youthlink/stats/tests/test_report_access.py."""
from __future__ import annotations

from .matrix_expectations import LOGIN, SAME

ALL_405 = (LOGIN, 405, 405, 405, 405, 405, 405, 405)

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    ("stats_report:report", "GET"):             (LOGIN, 200,   200,   403,   403,   403,   404,    SAME),
    ("stats_report:report", "POST"):            ALL_405,
    ("stats_report:checks", "GET"):             (LOGIN, 200,   200,   403,   403,   403,   404,    SAME),
    ("stats_report:checks", "POST"):            ALL_405,
}
# fmt: on
