"""Supervision: what a team's supervisor sees and decides (`docs/supervision.md` in the
shared docs is the fixed interface). Plain functions, no Flask.

    caseloads       the team: workers against their caps, clients and who serves them;
                    assigning, handing over, ending an assignment
    sync_dashboard  the team's devices, what they last reported, their alerts
    devices         revoking (lost) and retiring (replaced) a device
    workload        the workload dashboard: caseloads, hours, cancellations, flags
    figures         what the workload and the report both count (orders in force, hours,
                    bands, month bounds in the users' zone)
    reports         the monthly report's rows and totals; report_format its CSV and HTML
    swedish         Swedish alphabetical order
    months          approving (closing) a month; work recorded about it afterwards is late
                    and listed as a correction
"""
