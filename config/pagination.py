"""Paging of every API list (``?limit=&offset=``).

DRF's limit has no ceiling by default: ``?limit=<25 digits>`` reached PostgreSQL as a
LIMIT beyond bigint and answered 500. Larger asks are cut to MAX_LIMIT, which is also
more than any screen or export of ours reads at once. (A large offset is safe: DRF
answers an empty page without querying past the count.)
"""

from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 1000


class ListPagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT
