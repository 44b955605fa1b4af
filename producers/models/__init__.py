from .closures import Closure
from .listing import DeliveryMode, Listing, ListingDelivery, ListingPhoto, OpeningSlot
from .markets import Attendance
from .places import Commune, Department, Locality, Region
from .taxonomy import Category, LocalCurrency

__all__ = [
    "Attendance",
    "Category",
    "Closure",
    "Commune",
    "DeliveryMode",
    "Department",
    "Listing",
    "ListingDelivery",
    "ListingPhoto",
    "LocalCurrency",
    "Locality",
    "OpeningSlot",
    "Region",
]
