"""What the category filter finds, against the listings' categories: the check that PostgreSQL's stored category ids
(migration 0020) follow every path that changes a listing's categories. On SQLite the filter joins the links."""

from producers.models import Category, Listing


def assert_category_filter_agrees():
    """Every listing is found by the filter of each of its categories, and by no other."""
    links = {}
    for listing_id, category_id in Listing.categories.through.objects.values_list("listing_id", "category_id"):
        links.setdefault(listing_id, set()).add(category_id)
    found = {}
    for category_id in Category.objects.values_list("pk", flat=True):
        for listing_id in Listing.objects.in_category(category_id).values_list("pk", flat=True):
            found.setdefault(listing_id, set()).add(category_id)
    assert found == links
    return found
