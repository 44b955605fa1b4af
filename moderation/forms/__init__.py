"""Forms of the moderation flow: the producers' submission and edit form, the lost-link form, shoppers' reports,
the volunteers' reasons, and the spam traps the public forms share."""

from .public import ErrorReportForm, LostLinkForm
from .review import ReasonForm
from .submission import AUTOCOMPLETE, MAX_PHOTOS, MAX_PIN_DISTANCE_KM, PHOTO_SIZES, SubmissionForm
from .traps import TIMER_SALT, SpamTrapsMixin, min_fill_seconds

__all__ = [
    "AUTOCOMPLETE",
    "MAX_PHOTOS",
    "MAX_PIN_DISTANCE_KM",
    "PHOTO_SIZES",
    "TIMER_SALT",
    "ErrorReportForm",
    "LostLinkForm",
    "ReasonForm",
    "SpamTrapsMixin",
    "SubmissionForm",
    "min_fill_seconds",
]
