"""The staff's order screens: the list, the order page with its move buttons, the printable sheet,
and the custom statuses staff define.

Status and payment status change only through orders/services/: the order page shows them
read-only and offers a button per move, each a page under the order's admin address.

- order.py: OrderAdmin, the list and the order page, and get_urls, which wires its pages;
- actions.py: the list's bulk actions (accept, start preparing, set a custom status);
- moves.py: the moves' buttons and their pages, and Register payment;
- refunds.py: Register refund, its button and page;
- custom_statuses.py: the order page's custom status rows and page, and CustomStatusAdmin;
- sheet.py: the printable order sheet and the download of a payment's proof;
- pages.py: what those pages share (the order of the address, the form page, the buttons);
- inlines.py: the order page's read-only tables (products, payments, refunds, timeline);
- filters.py: the list's oversold filter;
- display.py: statuses, custom status changes and the amount paid, in words.

What other apps show the same way (amounts, who did something) is orders/display.py.
"""
from .custom_statuses import CustomStatusAdmin
from .order import OrderAdmin

__all__ = ["CustomStatusAdmin", "OrderAdmin"]
