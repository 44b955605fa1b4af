from django import template

register = template.Library()


@register.simple_tag
def moderation_queue_counts():
    from moderation.admin import queue_counts

    return queue_counts()


@register.simple_tag(takes_context=True)
def moderation_counts_by_department(context):
    from moderation import teams

    user = context["request"].user
    return teams.counts_by_department(first=teams.departments_of(user))
