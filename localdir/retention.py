"""Apps that keep personal data register here what the daily `purge_personal_data` must erase, so the command
(moderation's) runs every app's rules without importing the apps that depend on it.

A purger is called as `purger(now=…, dry_run=…)` and returns lines saying what was (or would be) erased.
"""

_purgers = []


def register(purger):
    if purger not in _purgers:
        _purgers.append(purger)
    return purger


def purge_others(now=None, dry_run=False):
    """Run every registered purger; their report lines, in registration order."""
    lines = []
    for purger in _purgers:
        lines.extend(purger(now=now, dry_run=dry_run))
    return lines
