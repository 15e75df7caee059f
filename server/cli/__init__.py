"""`faltstod`: the operator's command line, one module per command group:

    database     migrate, backup, restore
    demo         seed-demo
    users        user add, user list, user deactivate, user password
    devices      device list, device revoke, device retire
    assignments  assign
    web          serve
    push         vapid
    scheduler    scheduler (the reminder process)
    audit        audit (the access log, for the operator)
    cover        cover grant, cover list, cover end (cover for an absent colleague)
    extract      extract (a client's register extract, GDPR article 15)
    districts    district list, district add, district phone (the districts orders may come
                 from, and each one's number for reports of concern)
    imports      import orders (the orderer's export, JSON or CSV)

Every command reads its settings from `FALTSTOD_*` (the data directory from `FALTSTOD_DATA`).
Mistakes are answered with one clear line, never a traceback: a command raises
`click.ClickException`, or domain code raises a `Problem`, which `main` turns into one.
Nothing about clients is printed beyond the ids the operator typed.
"""

import click

from server.cli import (
    assignments,
    audit,
    cover,
    database,
    demo,
    devices,
    districts,
    extract,
    imports,
    push,
    scheduler,
    users,
    web,
)
from server.clock import SystemClock
from sync.errors import Problem


class _Main(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Problem as problem:
            raise click.ClickException(problem.message) from None


@click.group(cls=_Main)
@click.pass_context
def main(ctx):
    """Fältstöd: the server of the field app for social-services outreach."""
    # Time is injected: tests pass `obj={"clock": FixedClock(...)}`.
    ctx.ensure_object(dict).setdefault("clock", SystemClock())


for _module in (database, demo, users, devices, assignments, web, push, scheduler, audit, cover,
                extract, districts, imports):
    for _command in _module.COMMANDS:
        main.add_command(_command)
