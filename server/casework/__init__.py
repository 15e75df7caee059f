"""Domain logic as plain functions over the database: no Flask imports here.

One module per domain noun: teams and workers, devices, clients and assignments, orders,
plans, visits, notes; `access` decides who sees and writes what, and when; `mutations` lists
what a phone may send; `schema` holds the tables as ordered migrations.
"""
