from django import template

register = template.Library()


@register.simple_tag
def moderation_queue_counts():
    from moderation.admin import queue_counts

    return queue_counts()
