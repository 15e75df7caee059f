"""Synthetic demo data (`faltstod seed-demo`): a team or many, their clients with orders,
plans, visits and notes, and the workers' own reminders. No real person is meant.

    seed        the seeding: teams, workers, clients, orders, plans
    visits      a client's visits, paced by the granted hours or by outreach
    catalogue   the Swedish strings the data is made of
"""
