from .closures import Closure
from .listing import DeliveryMode, Listing, ListingDelivery, ListingPhoto, OpeningSlot
from .places import Commune, Department, Locality, Region
from .taxonomy import Category, LocalCurrency

__all__ = [
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
