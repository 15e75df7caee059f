"""Security: who may do what, and who is calling. Plain functions, no Flask.

    roles      the roles and what each may do beyond its own caseload (one table)
    access     which records a user may read and write, and when (scopes, for the engine)
    passwords  argon2id hashes; the check that costs the same for a wrong username
    devices    devices and their bearer tokens: login, authenticate, logout, revoke, retire
    accounts   deactivating a login (its devices retired), a new password

Coming here: the access log, PIN unlock of the phone.
"""
