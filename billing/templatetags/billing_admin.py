from django import template

register = template.Library()


@register.simple_tag
def sms_credit_widget():
    return ""
