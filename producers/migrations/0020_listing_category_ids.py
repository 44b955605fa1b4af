"""Each listing's category ids on its own row, on PostgreSQL: a filtered count reads the circle from an index alone.

A category filter joined the listings to their links, probing the link table once per listing of the circle (Lille +
10 km at 1,000,000 listings: 10,828 probes, 20 of the count's 22 ms). The ids are now a `bigint[]` column of the
listing, in an index beside (department, latitude, longitude), so that the count never leaves the index
(producers.models.listing.in_category reads it; SQLite keeps the join).

The column is no field of the model: Django never writes it, so a listing saved from an instance read before its
categories changed cannot write old ids back. The database keeps it: triggers on the link table rewrite the ids of
the listings whose links a statement inserted, deleted or updated, whatever wrote them (the admin's and the forms'
`categories.set()`, imports, seed_demo's COPY, a category deleted, SQL typed in a shell). Each trigger locks the
listings first, then reads their links in a statement begun after the lock: two transactions changing one listing's
categories at once end with the ids of both (as producers.counts recounts). A link inserted before its listing in
one transaction (foreign keys are checked at commit) is missed: no path of the site does that, and the daily
`recount_listings` repairs any listing whose stored ids differ from its links (producers.counts).
"""

from django.db import migrations

FORWARD = """
-- No link changes until this commits: one made before the triggers exist and committed after the fill began would
-- be in neither (the fill's snapshot misses it, no trigger fires for it). Writers wait; readers do not.
LOCK TABLE producers_listing_categories IN SHARE ROW EXCLUSIVE MODE;

ALTER TABLE producers_listing ADD COLUMN category_ids bigint[] NOT NULL DEFAULT '{}';

-- listing_published_dept_pos (migration 0014) holds the ids too: a department's circle in a category is counted
-- from the index alone. Same name, same columns: Django knows it by its name only. Built before the ids are
-- written, so that it is usable at once (an index built after would wait for the transactions older than it).
DROP INDEX listing_published_dept_pos;
CREATE INDEX listing_published_dept_pos ON producers_listing (department_id, latitude, longitude)
    INCLUDE (id, category_ids) WHERE status = 'published';

CREATE FUNCTION producers_listing_store_category_ids() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed bigint[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE producers_listing SET category_ids = '{}' WHERE category_ids <> '{}';
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT listing_id) INTO changed FROM new_links;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT listing_id) INTO changed FROM old_links;
    ELSE
        SELECT array_agg(DISTINCT listing_id) INTO changed
        FROM (SELECT listing_id FROM new_links UNION SELECT listing_id FROM old_links) AS both_sides;
    END IF;
    IF changed IS NULL THEN
        RETURN NULL;
    END IF;
    -- Locked first: the next statement takes a new snapshot, which holds what a concurrent change to the same
    -- listings' links committed while this one waited.
    PERFORM 1 FROM producers_listing WHERE id = ANY(changed) ORDER BY id FOR NO KEY UPDATE;
    UPDATE producers_listing AS listing SET category_ids = ARRAY(
        SELECT link.category_id FROM producers_listing_categories AS link
        WHERE link.listing_id = listing.id ORDER BY link.category_id
    )
    WHERE listing.id = ANY(changed);
    RETURN NULL;
END
$$;

CREATE TRIGGER producers_listing_category_ids_insert AFTER INSERT ON producers_listing_categories
    REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION producers_listing_store_category_ids();
CREATE TRIGGER producers_listing_category_ids_delete AFTER DELETE ON producers_listing_categories
    REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION producers_listing_store_category_ids();
CREATE TRIGGER producers_listing_category_ids_update AFTER UPDATE ON producers_listing_categories
    REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION producers_listing_store_category_ids();
CREATE TRIGGER producers_listing_category_ids_truncate AFTER TRUNCATE ON producers_listing_categories
    FOR EACH STATEMENT EXECUTE FUNCTION producers_listing_store_category_ids();

UPDATE producers_listing AS listing SET category_ids = links.ids
FROM (
    SELECT listing_id, array_agg(category_id ORDER BY category_id) AS ids
    FROM producers_listing_categories GROUP BY listing_id
) AS links
WHERE links.listing_id = listing.id;
"""

BACKWARD = """
DROP INDEX listing_published_dept_pos;
CREATE INDEX listing_published_dept_pos ON producers_listing (department_id, latitude, longitude)
    INCLUDE (id) WHERE status = 'published';
DROP TRIGGER producers_listing_category_ids_insert ON producers_listing_categories;
DROP TRIGGER producers_listing_category_ids_delete ON producers_listing_categories;
DROP TRIGGER producers_listing_category_ids_update ON producers_listing_categories;
DROP TRIGGER producers_listing_category_ids_truncate ON producers_listing_categories;
DROP FUNCTION producers_listing_store_category_ids();
ALTER TABLE producers_listing DROP COLUMN category_ids;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0019_markets"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
