"""Casework: the work with clients, as plain functions over the database (no Flask), one
module per glossary noun, with the mutators a phone sends about it.

    workers            teams and workers (medarbetare)
    clients            clients (brukare): contact details, `client.update`
    assignments        which worker serves which client, when; the caseload caps
    orders             orders (beställning): goals, activities, hours per month
    plans              plans (genomförandeplan): activities and support levels, `plan.update`
    visits             visits (besök): `visit.plan`, `.log`, `.complete`, `.cancel`, `.reschedule`
    visit_args         what a phone may send about a visit (marshmallow schemas)
    notes              notes about a client, `note.add`; the note given with any mutation;
                       the journal's corrections, `note.correct` (every version kept)
    personal_reminders a worker's own reminders, `reminder.add`, `.done`, `.snooze`
    contacts           a case manager's outreach and coordination, `contact.log`
    appointments       the client's own appointments, `appointment.add`, `.update`,
                       `.cancel`, `.outcome`
    consents           the client's consents to share with a party, `consent.record`,
                       `.withdraw`, and the rule of valid and stale consents
    followups          follow-ups of an order's goals, `followup.record`, and when a goal
                       is due and overdue
    concerns           a worker's concern the orderer must act on, `concern.add`
    deviations         deviation reports (avvikelser) for the supervisor, `deviation.add`
    fields, hooks      shared schema fields; mutators whose records others follow
    extract            a client's register extract (GDPR article 15, `faltstod extract`)
    retention          the law's retention of whole cases (gallring, the scheduler's sweep)

A function that writes a synced record returns its `sync.changes.Change`; it never writes
the record index.
"""
