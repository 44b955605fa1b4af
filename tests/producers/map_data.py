"""Reading the maps' GeoJSON as static/js/map.js does: what a listing's popup shows."""


def popups(data):
    """{listing name: {"url", "categories", "is_open", "open_label"}} for the listings (not clusters) of an answer."""
    found = {}
    for feature in data["features"]:
        properties = feature["properties"]
        if "count" in properties:
            continue
        is_open, label = data["hours"][properties["hours"]]
        found[properties["name"]] = {
            "url": data["listing_url"].replace("{slug}", properties["slug"]),
            "categories": ", ".join(data["categories"][str(pk)] for pk in properties["categories"]),
            "is_open": is_open,
            "open_label": label,
        }
    return found
