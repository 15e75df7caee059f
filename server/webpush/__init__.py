"""Web push: the instance's VAPID keys and contact (`config`), browsers' subscriptions
(`subscriptions`) and the sender over pywebpush (`sender`)."""
