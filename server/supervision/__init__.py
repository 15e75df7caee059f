"""Supervision: what the team's supervisor sees and decides. Plain functions, no Flask.

    months     closing a month for the team; later work about it is marked late
    sync_dashboard  the team's devices, what they last reported, their alerts
    devices    revoking (lost) and retiring (replaced) a device

Coming here: the sync and workload dashboards, device management, the monthly report and its
approval (`docs/supervision.md` in the shared docs).
"""
