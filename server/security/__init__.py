"""Security: who may do what, and who is calling. Plain functions, no Flask.

    roles      the roles and what each may do beyond its own caseload (one table)
    rules      whose clients, teams, records and devices a user reaches: one pure function
    access     the facts that function decides from, for an instant; the engine's scopes
    cover      cover for an absent colleague: explicit, time-limited grants
    access_log who read, wrote or was refused which client's records (its own file)
    touched    which clients a pull page or a push touched, for the access log
    passwords  argon2id hashes; the check that costs the same for a wrong username
    devices    devices and their bearer tokens: login, authenticate, logout, revoke, retire
    accounts   deactivating a login (its devices retired), a new password
"""
