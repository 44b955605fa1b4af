"""The directory on partners' sites: the embed builder (/integrer/), the framed pages (/embed/…) and oEmbed.

The embedded pages are the only ones another site may frame (views.py says how); the builder and oEmbed both write
the <iframe> snippet from the one template, templates/producers/embed/snippet.html.
"""
