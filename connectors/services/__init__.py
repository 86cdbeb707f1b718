"""What the connectors do, one module per responsibility:

- connecting: link a storefront to its platform account, register the webhooks, the platform's own emails;
- receiving: check and record a platform's webhook (the request's whole work);
- processing: the worker's side of a recorded webhook; retrying held ones;
- applying: make our order agree with the platform's, through orders.services;
- write_back: tracking back to the platform when staff ship (an outbox kind);
- privacy: the platforms' privacy requests (erase a customer, report a customer, erase a store);
- oauth: Tiendanube's install by OAuth (authorization code for an access token).
"""
