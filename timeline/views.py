from django.http import Http404


def order_timeline(request, token):
    raise Http404


def track(request, token):
    raise Http404
