"""GET review-queue/: everything waiting for the caller's decision, in one list, oldest first
(competencies/selectors/queue.py `review_queue`), by page or by cursor."""

import base64
import binascii
import datetime
import json
import uuid

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.pagination import INVALID_CURSOR, PagePagination, encode_cursor
from portal.tenancy import resolve_scope

from .. import selectors
from .serializers import ReviewQueueItemSerializer, ReviewQueuePageSerializer


class ReviewQueuePagination(PagePagination):
    """The project's pages, with the counts by kind beside them."""

    counts: dict

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["counts"] = self.counts
        return response


class ReviewQueueView(APIView):
    """Everything waiting for the caller's decision, oldest first: submitted hour logs they may
    review and pending milestones they may decide, with names and the action links."""

    @extend_schema(
        responses=ReviewQueuePageSerializer,
        parameters=[
            OpenApiParameter("page", int, description="A page number (the default paging)."),
            OpenApiParameter("page_size", int, description="Items a page, at most 200 (default 50)."),
            OpenApiParameter(
                "cursor",
                str,
                description="Cursor paging instead of pages, forward only: empty for the first page, then the "
                "cursor of an answer's `next`. It never repeats or skips an item while others are added or "
                "decided. Not with `page`.",
            ),
        ],
    )
    def get(self, request):
        paginator = ReviewQueuePagination()
        if paginator.cursor_query_param in request.query_params:
            return self._by_cursor(request, paginator)
        rows, counts = selectors.review_queue(scope=resolve_scope(request))
        rows.known_count = counts["hour_logs"] + counts["milestones"]  # type: ignore[attr-defined]  # CountedPaginator reads it
        paginator.counts = counts
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(self._written(page))

    def _by_cursor(self, request, paginator):
        """`?cursor=`: the items after the cursor's (waiting since, id), forward only (`previous`
        is null): a full read misses and repeats nothing while items are added and decided."""
        if paginator.page_query_param in request.query_params:
            raise ValidationError({"cursor": [_("Give `page` or `cursor`, not both.")]})
        after = _queue_cursor(request.query_params[paginator.cursor_query_param])
        rows, counts = selectors.review_queue(scope=resolve_scope(request), after=after)
        size = paginator.get_page_size(request) or paginator.max_page_size
        fetched = list(rows[: size + 1])
        page = fetched[:size]
        paginator.request = request
        cursor = (
            encode_cursor(QUEUE_ORDER, [page[-1][2], page[-1][0]], backwards=False) if len(fetched) > size else None
        )
        return Response(
            {
                "next": paginator._cursor_link(cursor),
                "previous": None,
                "counts": counts,
                "results": self._written(page),
            }
        )

    def _written(self, page):
        items = selectors.review_queue_items(page)
        # Each kind's links reversed once, with a stand-in id that each item's replaces.
        stand_in = "00000000-0000-0000-0000-000000000000"
        links = {
            kind: reverse(name, args=[stand_in])
            for kind, name in (
                (selectors.HOUR_LOG_ITEM, "api:hour-log-approve"),
                (selectors.MILESTONE_ITEM, "api:milestone-approve"),
            )
        }
        for item in items:
            approve = links[item["kind"]].replace(stand_in, str(item["id"]))
            item["actions"] = {"approve": approve, "reject": approve.replace("/approve/", "/reject/")}
        return ReviewQueueItemSerializer(items, many=True).data


# The queue's one order, as its cursors carry it.
QUEUE_ORDER = ["waiting_since", "id"]


def _queue_cursor(value: str) -> tuple[datetime.datetime, uuid.UUID] | None:
    """The (waiting since, id) a queue cursor continues after; None for the empty one (the first
    page); a 400 naming `cursor` for anything else."""
    if not value:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        since, pk = payload["k"]
        if payload["o"] != QUEUE_ORDER or payload["b"] is not False:
            raise ValueError
        after = datetime.datetime.fromisoformat(since), uuid.UUID(pk)
        if after[0].tzinfo is None:
            raise ValueError
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        raise ValidationError({"cursor": [INVALID_CURSOR]}) from None
    return after
