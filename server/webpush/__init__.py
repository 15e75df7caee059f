"""Web push: the instance's VAPID keys and contact (`config`), browsers' subscriptions
(`subscriptions`), the sender (`sender`: pywebpush's encryption over keep-alive
`connections`) and the pool that bounds pushes in flight, in all and per push service
(`pool`)."""
