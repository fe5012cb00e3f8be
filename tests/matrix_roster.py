"""Permission-matrix rows for roster import (名册导入): county admins and township secretaries import
into their own area (roster/permissions.py); other staff get 403; a young person, and anyone with
an id from the other county, 404. The job (PARAMS "job_id") is a finished import of the home
county's admin into the home township, built by tests/test_permission_matrix.py."""
from .matrix_expectations import LOGIN, R200, SAME

# fmt: off
#                                                anon   admin  secr.  cadre  micro  centre youth   other county
MATRIX = {
    # POST without a file: the form comes back with an error and nothing is written
    ("roster:list", "GET"):                     (LOGIN, 200,   200,   403,   403,   403,   404,    SAME),
    ("roster:list", "POST"):                    (LOGIN, R200,  R200,  403,   403,   403,   404,    SAME),
    ("roster:template", "GET"):                 (LOGIN, 200,   200,   403,   403,   403,   404,    SAME),
    ("roster:template", "POST"):                (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("roster:job", "GET"):                      (LOGIN, 200,   200,   404,   404,   404,   404,    404),
    ("roster:job", "POST"):                     (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    ("roster:progress", "GET"):                 (LOGIN, 200,   200,   404,   404,   404,   404,    404),
    ("roster:progress", "POST"):                (LOGIN, 405,   405,   405,   405,   405,   405,    405),
    # the rejected rows hold ID numbers in the clear: each download writes an audit row
    ("roster:rejected", "GET"):                 (LOGIN, 200,   200,   404,   404,   404,   404,    404),
    ("roster:rejected", "POST"):                (LOGIN, 405,   405,   405,   405,   405,   405,    405),
}
# fmt: on

MAY_CHANGE = {
    ("roster:rejected", "GET"): {"audit.AuditEvent"},
}
