from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from .models import NewOrderNoticeState


@require_POST
@staff_member_required
def new_orders_seen(request):
    """Mark the new-order notices on the admin index as seen, up to the newest one shown."""
    until = parse_datetime(request.POST.get("until") or "") or timezone.now()
    if timezone.is_naive(until):
        until = timezone.make_aware(until)
    until = min(until, timezone.now())
    state = NewOrderNoticeState.objects.filter(user=request.user).first()
    if state is None:
        NewOrderNoticeState.objects.create(user=request.user, seen_until=until)
    elif until > state.seen_until:
        state.seen_until = until
        state.save(update_fields=["seen_until"])
    return redirect("admin:index")
