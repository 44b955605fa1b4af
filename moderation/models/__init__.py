"""Moderation: what producers propose, the private links they use, shoppers' error reports and the decisions log.

A NEW listing is a producers.Listing with status "pending": it is never public since every public page uses
`.published()`. An EDIT of a published listing is a Revision: the live listing stays as it is until a volunteer
approves it. Every decision is written to Decision, which nobody edits or deletes.
"""

from .decisions import AlreadyDecided, AwaitingChanges, ChangedSinceReview, Decision
from .edits import Revision, RevisionPhoto, RevisionQuerySet, decisions_about, volunteer_message
from .links import EDIT_LINK_SALT, EditToken, EditTokenQuerySet, edit_url
from .listings import (
    LISTING_TRANSITIONS,
    ConfirmationStep,
    PendingListing,
    StaleListing,
    confirm_by_producer,
    decide_listing,
    listing_actions,
    listing_version,
    record_erasure,
    record_hiding,
)
from .reports import ErrorReport, ErrorReportQuerySet
from .sent import FORM_TOKEN_MAX_AGE, FORM_TOKEN_SALT, AlreadySent, ProducerEdits, SentForm
from .volunteers import DismissedMarketSuggestion, ModeratorProfile

__all__ = [
    "EDIT_LINK_SALT",
    "FORM_TOKEN_MAX_AGE",
    "FORM_TOKEN_SALT",
    "LISTING_TRANSITIONS",
    "AlreadyDecided",
    "AlreadySent",
    "AwaitingChanges",
    "ChangedSinceReview",
    "ConfirmationStep",
    "Decision",
    "DismissedMarketSuggestion",
    "EditToken",
    "EditTokenQuerySet",
    "ErrorReport",
    "ErrorReportQuerySet",
    "ModeratorProfile",
    "PendingListing",
    "ProducerEdits",
    "Revision",
    "RevisionPhoto",
    "RevisionQuerySet",
    "SentForm",
    "StaleListing",
    "confirm_by_producer",
    "decide_listing",
    "decisions_about",
    "edit_url",
    "listing_actions",
    "listing_version",
    "record_erasure",
    "record_hiding",
    "volunteer_message",
]
