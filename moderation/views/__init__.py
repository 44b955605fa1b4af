"""Public moderation pages: registering an activity, the private edit link, lost links, shoppers' error reports."""

from .closures import closures, delete_closure
from .edit import confirm, edit, erase
from .links import lost_link, renew_link
from .reports import report
from .submit import submit, submitted

__all__ = [
    "closures",
    "confirm",
    "delete_closure",
    "edit",
    "erase",
    "lost_link",
    "renew_link",
    "report",
    "submit",
    "submitted",
]
